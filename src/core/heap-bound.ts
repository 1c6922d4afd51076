/**
 * Keeps a long job's JS heap near what it holds. A sweep's batches each leave garbage (a batch's
 * keys, its audit entries, the rows read), much of it large enough to go straight to V8's old
 * generation, which V8 collects only when that generation reaches a limit of its own choosing:
 * a sweep of 5 million rows peaked 25 MB higher than one of 1 million (61 against 40 MB of
 * heap), holding the same. Called between batches, this asks for a full collection when the
 * heap has grown GROWTH_BYTES past what the last one left: the peak is then what a batch holds
 * plus that margin, whatever the table's size, for a collection every few batches (about 10 ms
 * each, at this heap's size).
 */
import v8 from 'node:v8';
import vm from 'node:vm';

const GROWTH_BYTES = 16 * 1024 * 1024;

/** A check to call between batches; it does nothing where V8's full collection cannot be reached. */
export function heapBound(growthBytes = GROWTH_BYTES): () => void {
  const collect = fullCollection();
  if (!collect) return () => {};
  const used = () => v8.getHeapStatistics().used_heap_size;
  let floor = used();
  return () => {
    if (used() <= floor + growthBytes) return;
    collect();
    floor = used();
  };
}

let cached: (() => void) | null | undefined;

/** V8's gc(): node's --expose-gc, or the same flag set now and gc taken from a new context. */
function fullCollection(): (() => void) | undefined {
  if (cached !== undefined) return cached ?? undefined;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return (cached = exposed);
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    cached = typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    cached = null;
  }
  return cached ?? undefined;
}
