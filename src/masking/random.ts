import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { defineStrategy, noOptions } from './definition.js';
import { columnLabel, MaskingError } from './masking-error.js';
import { fitToColumn } from './text-length.js';
import type { ColumnShape, MaskingStrategy } from './types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MIN_TEXT_LENGTH = 12;
const INT32_MAX = 2 ** 31 - 1;

export const randomDefinition = defineStrategy({
  name: 'random',
  description: 'A random value shaped like the old one (UUID, digits, alphanumerics), cut to the column.',
  options: noOptions,
  bare: true,
  create: () => randomStrategy(),
  repeatable: false,
});

export function randomStrategy(): MaskingStrategy {
  return {
    kind: 'random',
    pseudonymous: false,
    apply(value, ctx) {
      if (value === null || value === undefined) return null;
      if (typeof value === 'number' || typeof value === 'bigint') return randomPositiveInteger(value);
      if (typeof value !== 'string') {
        throw new MaskingError(
          `random cannot replace a ${value instanceof Date ? 'date' : typeof value} in ${columnLabel(ctx.table, ctx.column.name)}; it makes identifiers, numbers and text`,
        );
      }
      return randomLike(value, ctx.column);
    },
    describe: () => 'random',
  };
}

function randomLike(old: string, column: ColumnShape): string | number {
  if (UUID.test(old)) {
    const uuid = randomUUID();
    return old === old.toUpperCase() ? uuid.toUpperCase() : uuid;
  }
  if (/^\d+$/.test(old)) return randomDigits(old.length);
  if (column.type === 'integer') return randomPositiveInteger(Number.MAX_SAFE_INTEGER);
  const length = Math.max([...old].length, MIN_TEXT_LENGTH);
  return fitToColumn(randomText(length), column);
}

/** Digits without a leading zero (unless there is only one), so the result still reads as the same kind of number. */
function randomDigits(length: number): string {
  let digits = length > 1 ? String(randomInt(1, 10)) : '';
  while (digits.length < length) digits += String(randomInt(0, 10));
  return digits;
}

function randomText(length: number): string {
  return Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('');
}

/**
 * A positive safe integer. An old value that fits a 32-bit INT gets a replacement that fits
 * one too, since the column may be an INT and nothing tells us otherwise.
 */
function randomPositiveInteger(old: number | bigint): number {
  const max = old <= INT32_MAX ? INT32_MAX : Number.MAX_SAFE_INTEGER;
  return Number(randomBytes(8).readBigUInt64BE() % BigInt(max)) + 1;
}
