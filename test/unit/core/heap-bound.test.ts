import v8 from 'node:v8';
import { expect, it } from 'vitest';
import { heapBound } from '../../../src/core/heap-bound.js';

const MB = 1024 * 1024;
const used = () => v8.getHeapStatistics().used_heap_size;

it('collects what batches left once the heap has grown past the margin, where V8 alone would wait', () => {
  const bound = heapBound(MB);
  // Arrays of 256 KB each: V8 puts them straight into its large-object space, which only a full collection empties.
  let garbage: number[][] | undefined = Array.from({ length: 64 }, () => new Array(32 * 1024).fill(1.5));
  const holding = used();
  expect(garbage.length).toBe(64);
  garbage = undefined;
  bound();
  expect(used()).toBeLessThan(holding - 8 * MB);
});
