import { describe, expect, it } from 'vitest';
import {
  BATCH_TARGET_MS,
  FIRST_BATCH_SIZE,
  fixedBatchSize,
  LARGEST_KEY_BATCH,
  LARGEST_ROW_BATCH,
  SMALLEST_BATCH_SIZE,
  timedBatchSize,
} from '../../../src/core/batch-size.js';

/** Runs batches that each cost `msPerRow` per row, returning the sizes asked for. */
function sizes(sizer: ReturnType<typeof timedBatchSize>, batches: number, msPerRow: number): number[] {
  const asked: number[] = [];
  for (let i = 0; i < batches; i++) {
    asked.push(sizer.size);
    sizer.observe(sizer.size, sizer.size * msPerRow);
  }
  return asked;
}

describe('batch sizes', () => {
  it('keeps the size the operator gave, whatever batches take', () => {
    const sizer = fixedBatchSize(7);
    sizer.observe(7, 1);
    sizer.observe(7, 60_000);
    expect(sizer.size).toBe(7);
  });

  it('refuses a size that is not a whole number of at least 1', () => {
    for (const size of [0, -5, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => fixedBatchSize(size)).toThrow(/whole number of at least 1/);
  });

  it('starts at 1,000 and grows, at most doubling, while batches are quick, up to the bound', () => {
    const asked = sizes(timedBatchSize(LARGEST_KEY_BATCH), 12, 0.001);
    expect(asked.slice(0, 4)).toEqual([FIRST_BATCH_SIZE, 2000, 4000, 8000]);
    expect(Math.max(...asked)).toBe(LARGEST_KEY_BATCH);
    expect(asked.at(-1)).toBe(LARGEST_KEY_BATCH);
    for (let i = 1; i < asked.length; i++) expect(asked[i]!).toBeLessThanOrEqual(asked[i - 1]! * 2);
  });

  it('settles where a batch takes about the target time', () => {
    // 0.02 ms per row: the target is reached at 12,500 rows.
    const asked = sizes(timedBatchSize(LARGEST_KEY_BATCH), 20, 0.02);
    expect(asked.at(-1)).toBe(BATCH_TARGET_MS / 0.02);
  });

  it('shrinks, at most halving, when batches are slow, but not below the least size', () => {
    const asked = sizes(timedBatchSize(LARGEST_ROW_BATCH), 10, 5);
    expect(asked.slice(0, 4)).toEqual([1000, 500, 250, 125]);
    expect(asked.at(-1)).toBe(SMALLEST_BATCH_SIZE);
  });

  it('learns nothing from a batch that was not full, nor from one that took no time', () => {
    const sizer = timedBatchSize(LARGEST_ROW_BATCH);
    sizer.observe(10, 60_000);
    expect(sizer.size).toBe(FIRST_BATCH_SIZE);
    sizer.observe(FIRST_BATCH_SIZE, 0);
    expect(sizer.size).toBe(2 * FIRST_BATCH_SIZE);
  });

  it('never starts above its bound', () => {
    expect(timedBatchSize(300).size).toBe(300);
  });
});
