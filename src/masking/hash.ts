import { createHmac } from 'node:crypto';
import { columnLabel, MaskingError } from './masking-error.js';
import { fitToColumn } from './text-length.js';
import type { MaskingStrategy } from './types.js';

export const DEFAULT_HASH_LENGTH = 32;

export function hashStrategy(spec: { length?: number }): MaskingStrategy {
  const length = spec.length ?? DEFAULT_HASH_LENGTH;
  return {
    kind: 'hash',
    // Anyone holding the key can recompute the hash of a known value and find the row again.
    pseudonymous: true,
    apply(value, ctx) {
      if (value === null || value === undefined) return null;
      // An unkeyed hash of an e-mail or phone number is reversed by hashing candidates: refuse it.
      if (!ctx.key) {
        throw new MaskingError(
          `hash for ${columnLabel(ctx.table, ctx.column.name)} needs a key and none is set`,
          undefined,
          'Set secrets.key in the data map, e.g. key: ${LETHE_KEY}.',
        );
      }
      const digest = createHmac('sha256', ctx.key).update(stringForm(value)).digest('hex');
      return fitToColumn(digest.slice(0, length), ctx.column);
    },
    describe: () => `hash (HMAC-SHA256, ${length} hex chars): pseudonymisation, not anonymisation`,
  };
}

function stringForm(value: unknown): string | Buffer {
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value;
  return String(value);
}
