import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { defineStrategy } from './definition.js';
import { columnLabel, MaskingError } from './masking-error.js';
import { fitToColumn } from './text-length.js';
import type { MaskingStrategy } from './types.js';

export const DEFAULT_HASH_LENGTH = 32;
/** An HMAC-SHA256 digest is 64 hex characters; a longer hash cannot be made. */
export const MAX_HASH_LENGTH = 64;

export const hashDefinition = defineStrategy({
  name: 'hash',
  description: 'Keyed HMAC-SHA256 in hex (needs secrets.key), cut to the column; deterministic, so joins survive. Pseudonymisation, not anonymisation.',
  options: z.strictObject({
    length: z.int().min(1).max(MAX_HASH_LENGTH).optional().describe(`Hex characters to keep, 1 to ${MAX_HASH_LENGTH}.`),
  }),
  bare: true,
  create: (options) => hashStrategy(options),
  repeatable: false,
});

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
