/**
 * How many rows (or people) a sweep's next batch takes. Given `--batch-size N`, always N.
 * Otherwise the size follows the time a batch takes, as pt-online-schema-change's
 * --chunk-time does: a batch is one transaction, and on SQLite it holds the database's write
 * lock until it commits, so what an operator wants bounded is how long a batch runs, not how
 * many rows it has. Batches start at 1,000 and grow (at most doubling) while they take less
 * than BATCH_TARGET_MS, shrink (at most halving) when they take longer, and stay within
 * bounds: a batch's keys (and, where a strategy computes from them, its rows) are held in
 * memory, so the bound is lower where whole rows are read.
 */

import { UsageError } from '../errors.js';

/** The time a batch is meant to take, when the operator did not fix its size. */
export const BATCH_TARGET_MS = 250;
/** The first batch's size, and the size `--batch-size` had as its default before batches followed time. */
export const FIRST_BATCH_SIZE = 1000;
/** The least a batch shrinks to (a table of rows so large that 1,000 take seconds). */
export const SMALLEST_BATCH_SIZE = 100;
/** The most: rows per batch where only keys are held (constants in SQL, deletes). */
export const LARGEST_KEY_BATCH = 50_000;
/** The most where whole rows are held: rows computed in JS, people with their rows. */
export const LARGEST_ROW_BATCH = 10_000;
/**
 * The most rows of the table a batch of constants spans where many rows are due (it holds the
 * keys of the due ones among them): where few are due, a span of many rows is still quick,
 * and each batch is a commit.
 */
export const LARGEST_SPAN_BATCH = 500_000;

export interface BatchSizer {
  /** The size of the next batch. */
  readonly size: number;
  /** Tells how the last batch went: how many it looked at (fewer than its size: the last one) and how long it took. */
  observe(looked: number, ms: number): void;
}

/** `--batch-size N`: every batch takes N (a whole number, at least 1: a limit of 0 would end the task at once, NaN would lift it). */
export function fixedBatchSize(size: number): BatchSizer {
  if (!Number.isInteger(size) || size < 1) throw new UsageError(`The batch size must be a whole number of at least 1, not ${size}.`);
  return { size, observe() {} };
}

/** Sizes that follow the time batches take (see the module's comment), between SMALLEST_BATCH_SIZE and `largest`. */
export function timedBatchSize(largest: number, targetMs = BATCH_TARGET_MS): BatchSizer {
  let size = Math.min(FIRST_BATCH_SIZE, largest);
  return {
    get size() {
      return size;
    },
    observe(looked, ms) {
      // A batch that was not full was the last one, or ran short: it says little about the next.
      if (looked < size) return;
      const factor = ms <= 0 ? 2 : Math.min(2, Math.max(0.5, targetMs / ms));
      size = Math.min(largest, Math.max(SMALLEST_BATCH_SIZE, Math.round(size * factor)));
    },
  };
}
