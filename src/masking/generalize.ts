import { z } from 'zod';
import { closestName } from './closest-name.js';
import { defineStrategy } from './definition.js';
import { columnLabel, MaskingError } from './masking-error.js';
import type { MaskingContext, MaskingStrategy } from './types.js';
import { kindOfValue, quote } from './wording.js';

const LEVELS = ['year', 'month', 'decade'] as const;
type Level = (typeof LEVELS)[number];

export const generalizeDefinition = defineStrategy({
  name: 'generalize',
  description: 'Coarser values in the same format: { generalize: year } (month, decade) for dates, { generalize: { bucket: 10 } } for numbers.',
  options: z.union(
    [
      z
        .enum(LEVELS)
        .describe('Dates to the start of their year, month or decade: 1987-06-15 becomes 1987-01-01.')
        .transform((to) => ({ to })),
      z.strictObject({
        bucket: z.number().positive().describe('Numbers to the bucket below: with 10, 37 becomes 30.'),
      }),
    ],
    { error: (issue) => levelProblem(issue.input) },
  ),
  bare: { needs: 'a level', example: '{ generalize: year } or { generalize: { bucket: 10 } }' },
  create: (options) => generalizeStrategy(options),
});

function levelProblem(written: unknown): string {
  if (typeof written !== 'string') return `generalize must be year, month, decade or { bucket: n }, not ${kindOfValue(written)}`;
  const suggestion = closestName(written, [...LEVELS, 'bucket']);
  return `unknown generalize level ${quote(written)} (${suggestion ? `did you mean ${quote(suggestion)}? ` : ''}known: year, month, decade, or { bucket: n })`;
}

// YYYY-MM-DD, optionally followed by a time with a T or a space, seconds, a fraction and a zone.
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:([T ])(\d{2}):(\d{2})(?::(\d{2})([.,]\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

export function generalizeStrategy(spec: { to: Level } | { bucket: number }): MaskingStrategy {
  return {
    kind: 'generalize',
    pseudonymous: false,
    apply(value, ctx) {
      if (value === null || value === undefined) return null;
      return 'bucket' in spec ? toBucket(value, spec.bucket, ctx) : toLevel(value, spec.to, ctx);
    },
    describe: () => ('bucket' in spec ? `generalize to buckets of ${spec.bucket}` : `generalize to ${spec.to}`),
  };
}

function toLevel(value: unknown, level: Level, ctx: MaskingContext): unknown {
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    // pg and mysql2 read a DATE as local midnight; reading it in UTC east of Greenwich would
    // turn 1 January into 31 December of the year before.
    if (ctx.column.type === 'date' && isLocalMidnight(value)) return startOfLocal(value, level);
    return startOf(value, level);
  }
  if (typeof value === 'number' && (ctx.column.type === 'date' || ctx.column.type === 'datetime')) {
    // Dates stored as numbers are epoch milliseconds.
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return startOf(date, level).getTime();
  }
  if (typeof value === 'string') {
    const generalized = generalizeDateText(value, level);
    if (generalized !== undefined) return generalized;
  }
  throw unusable(
    ctx,
    value,
    `generalize to ${level} expects a date: a Date, YYYY-MM-DD, YYYY-MM-DD HH:MM:SS, ISO 8601, or epoch milliseconds in a date column (for numbers such as years use { generalize: { bucket: 10 } })`,
  );
}

function startOf(date: Date, level: Level): Date {
  const year = date.getUTCFullYear();
  if (level === 'month') return utcDate(year, date.getUTCMonth(), 1);
  return utcDate(level === 'decade' ? Math.floor(year / 10) * 10 : year, 0, 1);
}

function startOfLocal(date: Date, level: Level): Date {
  const year = date.getFullYear();
  const start = new Date(0);
  start.setFullYear(level === 'decade' ? Math.floor(year / 10) * 10 : year, level === 'month' ? date.getMonth() : 0, 1);
  start.setHours(0, 0, 0, 0);
  return start;
}

function isLocalMidnight(date: Date): boolean {
  return date.getHours() === 0 && date.getMinutes() === 0 && date.getSeconds() === 0 && date.getMilliseconds() === 0;
}

// Date.UTC would read years 0-99 as 1900-1999.
function utcDate(year: number, monthIndex: number, day: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date;
}

/** The same text with the parts finer than `level` reset, keeping its format (separator, seconds, fraction digits, zone). */
function generalizeDateText(text: string, level: Level): string | undefined {
  const match = DATE_TEXT.exec(text.trim());
  if (!match) return undefined;
  const [, year = '', month = '', day = '', separator, hours, minutes, seconds, fraction, zone] = match;
  if (!isCalendarDate(Number(year), Number(month), Number(day))) return undefined;
  if (Number(hours ?? 0) > 23 || Number(minutes ?? 0) > 59 || Number(seconds ?? 0) > 60) return undefined;

  const keptYear = level === 'decade' ? String(Math.floor(Number(year) / 10) * 10).padStart(4, '0') : year;
  const keptMonth = level === 'month' ? month : '01';
  let result = `${keptYear}-${keptMonth}-01`;
  if (separator !== undefined) {
    result += `${separator}00:00`;
    if (seconds !== undefined) result += ':00';
    if (fraction !== undefined) result += fraction.slice(0, 1) + '0'.repeat(fraction.length - 1);
    result += zone ?? '';
  }
  return result;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = utcDate(year, month - 1, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function toBucket(value: unknown, size: number, ctx: MaskingContext): unknown {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.floor(value / size) * size;
  if (typeof value === 'bigint' && Number.isInteger(size)) {
    const bucket = BigInt(size);
    const floored = value / bucket - (value % bucket < 0n ? 1n : 0n);
    return floored * bucket;
  }
  // Drivers hand DECIMAL and BIGINT columns back as text; the result stays text too.
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return String(Math.floor(Number(value) / size) * size);
  }
  throw unusable(ctx, value, `generalize to buckets of ${size} expects a number`);
}

/** Names the column and the kind of value, never the value: it is personal data. */
function unusable(ctx: MaskingContext, value: unknown, expectation: string): MaskingError {
  const kind = value instanceof Date ? 'an invalid Date' : `a ${typeof value}`;
  return new MaskingError(`cannot generalize ${columnLabel(ctx.table, ctx.column.name)}: found ${kind}, but ${expectation}`);
}
