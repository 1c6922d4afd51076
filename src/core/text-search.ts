import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { AuditDetail, AuditTables } from '../audit/index.js';
import type { TableMapping } from '../config/data-map.js';
import { keyOf, orderByKey, whereKeyBeyond, type RowKey } from '../db/row-key.js';
import { strictTextType, type ColumnInfo } from '../db/schema-snapshot.js';
import { InterruptedError, UsageError } from '../errors.js';
import { errorFacts } from './error-facts.js';
import { stopRequested } from './event-loop.js';
import { matchContext, wordsIn } from './search-context.js';
import type { Session } from './session.js';
import { withProblem } from './request-problem.js';

export const DEFAULT_SEARCH_LIMIT = 100;
/**
 * Rows read per query at most: one keyset page of the candidates the database's LIKE let
 * through. A page asks for no more rows than are still wanted: PostgreSQL's planner takes
 * `LIKE '%word%'` to be rare and answers each page with a scan of the whole table and a
 * top-N sort, so the fewer pages, the fewer scans (one for the default --limit).
 */
const MAX_BATCH_SIZE = 500;
/** Each word is a LIKE per searched column; past this, a query is too wide to be useful. */
const MAX_WORDS = 20;

/** `--where column=value`: a column the map keeps, compared with the value (text case-insensitively). */
export interface KeptColumnFilter {
  column: string;
  value: string;
}

export interface TextSearchOptions {
  /** What the person typed: words, and "quoted phrases" that must occur as written. */
  text: string;
  /** Search this mapped table only. */
  table?: string;
  /** Only rows whose retention.timestamp is at or after this time. */
  since?: Date;
  /** Only rows whose retention.timestamp is before this time. */
  until?: Date;
  where?: KeptColumnFilter[];
  /** Records listed at most (default 100); the result says when there were more. */
  limit?: number;
  /** Contexts as they are: no mask on the match, no detectors. */
  showValues?: boolean;
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { table: string; matched: number }) => void;
}

/** One record holding every word: where, when, and a short masked context of the first match. */
export interface TextMatch {
  table: string;
  key: RowKey;
  /** The record's retention.timestamp (ISO 8601 when the database returns a time), or null. */
  time: string | null;
  /** The column the context is taken from: the one holding most of the words. */
  column: string;
  context: string;
}

/** A table the search left out because of a filter, and why. */
export interface SkippedTable {
  table: string;
  reason: 'no-timestamp' | 'no-where-column';
  /** For no-where-column: the --where column the table does not keep. */
  column?: string;
}

export interface TextSearchResult {
  requestId: string;
  /** How many words (and phrases) every record had to hold. */
  words: number;
  /** The tables searched and their text columns. */
  searched: { table: string; columns: string[] }[];
  matches: TextMatch[];
  /** More records matched than `limit`. */
  more: boolean;
  skipped: SkippedTable[];
}

/** A table as the search reads it: its text columns, its time, and how each --where compares. */
interface SearchTarget {
  table: TableMapping;
  columns: string[];
  timestamp?: string;
  filters: { column: ColumnInfo; value: string }[];
}

/**
 * Words to search for: split on whitespace, except inside double quotes ("late delivery" is
 * one phrase), folded to lower case as the database's `lowerCase` folds the columns.
 */
export function searchWords(text: string): string[] {
  const words = [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => (m[1] ?? m[2] ?? '').replace(/\s+/g, ' ').trim().toLowerCase());
  return [...new Set(words.filter((w) => w !== ''))];
}

/**
 * Keyword search over the mapped free text of every table that is not impersonal (or of one):
 * records holding every word, in any of their text columns, case-insensitively. The database
 * filters with LIKE on its lower-cased columns (words are bound parameters, never SQL), a
 * keyset page at a time; each candidate is confirmed in JS, which folds case exactly. At most
 * `limit` records are kept, plus whether there were more. Audited: how many words and which
 * filters, never the words or values.
 */
export async function searchText(session: Session, options: TextSearchOptions): Promise<TextSearchResult> {
  const words = searchWords(options.text);
  if (words.length === 0) throw withProblem(new UsageError('The search holds no word to search for.'), { kind: 'no-search-words' });
  if (words.length > MAX_WORDS)
    throw new UsageError(
      `The search holds ${words.length} words; lethe searches for at most ${MAX_WORDS} at once.`,
      'Quote a phrase ("late delivery") to search for it as one.',
    );
  const limit = options.limit ?? DEFAULT_SEARCH_LIMIT;
  if (options.since && options.until && options.since >= options.until)
    throw new UsageError('The time range is empty: its start (since) must be before its end (until).');
  const { targets, skipped } = searchTargets(session, options);

  const requestId = randomUUID();
  const matches: TextMatch[] = [];
  let more = false;
  const listed = new Map<string, RowKey[]>(targets.map((t) => [t.table.name, []]));
  try {
    for (const target of targets) {
      if (more) break;
      const wanted = limit + 1 - matches.length;
      for await (const match of matchesIn(session, target, words, { ...options, batchSize: options.batchSize ?? Math.min(wanted, MAX_BATCH_SIZE) })) {
        if (matches.length === limit) {
          more = true;
          break;
        }
        matches.push(match);
        listed.get(target.table.name)!.push(match.key);
      }
      options.onProgress?.({ table: target.table.name, matched: matches.length });
    }
  } catch (error) {
    session.audit.append({
      ...auditBase(session, requestId),
      outcome: error instanceof InterruptedError ? 'cancelled' : 'failed',
      tables: auditTables(listed),
      detail: { ...searchDetail(words.length, options, skipped), ...errorFacts(error) },
    });
    throw error;
  }
  session.audit.append({
    ...auditBase(session, requestId),
    outcome: matches.length > 0 ? 'ok' : 'nothing-matched',
    tables: auditTables(listed),
    detail: { ...searchDetail(words.length, options, skipped), matches: matches.length, more },
  });
  return {
    requestId,
    words: words.length,
    searched: targets.map((t) => ({ table: t.table.name, columns: t.columns })),
    matches,
    more,
    skipped,
  };
}

/** The matching records of one table, in key order, read a keyset page at a time. */
async function* matchesIn(
  session: Session,
  target: SearchTarget,
  words: string[],
  options: TextSearchOptions & { batchSize: number },
): AsyncGenerator<TextMatch> {
  const { knex, dialect } = session;
  const { table, columns, timestamp } = target;
  const keyColumns = table.keyColumns;
  const batchSize = options.batchSize;
  const selected = [...new Set([...keyColumns, ...columns, ...(timestamp ? [timestamp] : [])])];
  let after: RowKey | undefined;
  for (;;) {
    if (await stopRequested(options.signal ? { signal: options.signal } : {}))
      throw new InterruptedError('Interrupted: the search stopped; nothing was changed.');
    const query = knex(table.name).select(selected);
    for (const word of words) {
      const pattern = `%${escapeLike(word)}%`;
      query.where((anyColumn) => {
        for (const column of columns) anyColumn.orWhereRaw("? LIKE ? ESCAPE '!'", [dialect.lowerCase(knex, knex.raw('??', [column])), pattern]);
      });
    }
    if (timestamp && options.since) query.whereNot(dialect.timeBefore(knex, timestamp, options.since));
    if (timestamp && options.until) query.where(dialect.timeBefore(knex, timestamp, options.until));
    for (const filter of target.filters) whereKept(knex, session, query, filter.column, filter.value);
    if (after !== undefined) whereKeyBeyond(query, keyColumns, after, '>');
    const rows = (await orderByKey(query, keyColumns).limit(batchSize)) as Record<string, unknown>[];
    for (const row of rows) {
      const match = confirmed(row, target, words, options, session);
      if (match) yield match;
    }
    if (rows.length < batchSize) return;
    after = keyOf(keyColumns, rows[rows.length - 1]!);
  }
}

/**
 * The record as a match when its text holds every word, folded as JS folds (the database's
 * LIKE may have let through more: MySQL's collations also ignore accents).
 */
function confirmed(row: Record<string, unknown>, target: SearchTarget, words: string[], options: TextSearchOptions, session: Session): TextMatch | undefined {
  const held = target.columns.map((column) => {
    const value = row[column];
    return { column, text: typeof value === 'string' ? value : '', found: typeof value === 'string' ? wordsIn(value, words) : new Set<string>() };
  });
  if (!words.every((word) => held.some((h) => h.found.has(word)))) return undefined;
  const best = held.reduce((a, b) => (b.found.size > a.found.size ? b : a));
  const context = matchContext(best.text, [...best.found], { ...(options.showValues ? { showValues: true } : {}), detection: session.map.detection });
  if (context === undefined) return undefined;
  return {
    table: target.table.name,
    key: keyOf(target.table.keyColumns, row),
    time: target.timestamp ? timeText(row[target.timestamp]) : null,
    column: best.column,
    context,
  };
}

/**
 * The tables to search and the filters each gets; a usage error for a table or a kept-column
 * filter that cannot be used as asked, so that a typo never reads as "nothing matched".
 */
function searchTargets(session: Session, options: TextSearchOptions): { targets: SearchTarget[]; skipped: SkippedTable[] } {
  const { map } = session;
  const timed = options.since !== undefined || options.until !== undefined;
  let tables = [...map.order].map((name) => map.tables.get(name)!);
  if (options.table !== undefined) {
    const table = map.tables.get(options.table);
    if (!table) throw new UsageError(`The map has no table ${options.table}.`, `Mapped tables: ${[...map.tables.keys()].join(', ')}.`);
    if (table.impersonal !== undefined) throw new UsageError(`The map marks ${table.name} as holding nothing personal, so lethe does not search it.`);
    if (textColumns(session, table).length === 0) throw new UsageError(`None of the mapped columns of ${table.name} holds text.`);
    if (timed && !table.retention?.timestamp) {
      throw withProblem(
        new UsageError(
          `${table.name} has no time: a time range compares retention.timestamp, which its map does not set.`,
          'Search it without a time range, or set retention.timestamp.',
        ),
        { kind: 'table-has-no-time' },
      );
    }
    tables = [table];
  }
  tables = tables.filter((t) => t.impersonal === undefined && textColumns(session, t).length > 0);

  const where = options.where ?? [];
  for (const { column } of where) {
    const personal = tables.filter((t) => t.columns.get(column) !== undefined && t.columns.get(column)!.strategy !== 'keep').map((t) => t.name);
    if (personal.length > 0) {
      throw withProblem(
        new UsageError(
          `${personal.map((t) => `${t}.${column}`).join(', ')} ${personal.length === 1 ? 'is' : 'are'} personal data in the map; a search is narrowed only by columns the map keeps (such as an agent or a status).`,
          options.table === undefined ? 'Search for the value itself, or only in a table that keeps the column.' : 'Search for the value itself instead.',
        ),
        { kind: 'narrowed-by-personal-column', table: options.table !== undefined },
      );
    }
    if (!tables.some((t) => isKept(t, column))) {
      const kept = [...new Set(tables.flatMap((t) => [...t.columns.values()].filter((c) => c.strategy === 'keep').map((c) => c.name)))].sort();
      throw new UsageError(
        options.table === undefined ? `No searched table keeps a column named ${column}.` : `${options.table} keeps no column named ${column}.`,
        kept.length > 0 ? `Kept columns: ${kept.join(', ')}.` : undefined,
      );
    }
  }

  const targets: SearchTarget[] = [];
  const skipped: SkippedTable[] = [];
  for (const table of tables) {
    const timestamp = table.retention?.timestamp;
    if (timed && !timestamp) {
      skipped.push({ table: table.name, reason: 'no-timestamp' });
      continue;
    }
    const missing = where.find((f) => !isKept(table, f.column));
    if (missing) {
      skipped.push({ table: table.name, reason: 'no-where-column', column: missing.column });
      continue;
    }
    const live = session.schema.get(table.name)!;
    const filters = where.map((f) => ({ column: live.columns.get(f.column)!, value: f.value }));
    for (const filter of filters) checkFilterValue(table.name, filter.column, filter.value);
    targets.push({ table, columns: textColumns(session, table), ...(timestamp ? { timestamp } : {}), filters });
  }
  if (targets.length === 0) {
    throw new UsageError(
      options.table !== undefined
        ? `The map of ${options.table} does not keep every column the search is narrowed by.`
        : 'No mapped table can be searched with these filters.',
      skipped.length > 0
        ? `Left out: ${skipped.map(describeSkipped).join('; ')}.`
        : 'Map the text columns to search (keep or a strategy) on tables not marked impersonal.',
    );
  }
  return { targets, skipped };
}

/** `orders (no retention.timestamp)`, `users (does not keep agent_name)`. */
export function describeSkipped(skipped: SkippedTable): string {
  return `${skipped.table} (${skipped.reason === 'no-timestamp' ? 'no retention.timestamp' : `does not keep ${skipped.column}`})`;
}

/**
 * The mapped columns of `table` (kept or with a strategy) whose live type is text. Types that
 * only look like text (PostgreSQL's uuid, json, inet...) are left out: LOWER() does not take them.
 */
function textColumns(session: Session, table: TableMapping): string[] {
  const live = session.schema.get(table.name);
  if (!live) return [];
  return [...table.columns.values()]
    .map((c) => live.columns.get(c.name))
    .filter((c): c is ColumnInfo => c !== undefined && c.type === 'text' && strictTextType(c.declaredType) === undefined)
    .map((c) => c.name);
}

/** A column a search may be narrowed by: one the map keeps, or the key. */
function isKept(table: TableMapping, column: string): boolean {
  return table.columns.get(column)?.strategy === 'keep' || (!table.columns.has(column) && table.keyColumns.includes(column));
}

/** A value the column's type cannot hold is a usage error here, not a database error later. */
function checkFilterValue(table: string, column: ColumnInfo, value: string): void {
  if ((column.type === 'integer' || column.type === 'number') && (value.trim() === '' || !Number.isFinite(Number(value)))) {
    throw new UsageError(`${table}.${column.name} holds numbers; "${value}" is not one.`);
  }
  if (column.type === 'boolean' && booleanOf(value) === undefined) throw new UsageError(`${table}.${column.name} is true or false; write true, false, 1 or 0.`);
  if (column.type === 'binary') throw new UsageError(`${table}.${column.name} holds binary data, which a search cannot compare.`);
}

/**
 * `column = value`, as a bound parameter. Text compares case-insensitively (as MySQL's
 * collations do, so every database agrees); a boolean is bound as 1 or 0, which SQLite and
 * MySQL store and PostgreSQL reads as a boolean.
 */
function whereKept(knex: Knex, session: Session, query: Knex.QueryBuilder, column: ColumnInfo, value: string): void {
  if (column.type === 'integer' || column.type === 'number') query.where(column.name, Number(value));
  else if (column.type === 'boolean') query.where(column.name, booleanOf(value)! ? 1 : 0);
  else if (column.type === 'text' && strictTextType(column.declaredType) === undefined) {
    query.whereRaw('? = ?', [session.dialect.lowerCase(knex, knex.raw('??', [column.name])), value.toLowerCase()]);
  } else query.where(column.name, value);
}

function booleanOf(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  return v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : undefined;
}

/** A stored time as text: a Date as ISO 8601; SQLite's epoch milliseconds likewise; text as stored. */
function timeText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'number') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
  }
  return String(value);
}

/** LIKE's wildcards and its escape character, escaped with `!` (ESCAPE '!'). */
function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}

function auditBase(session: Session, requestId: string) {
  return { operator: session.operator, command: 'find', action: 'search', requestId, phase: 'event' as const, intentId: null, subject: null, dryRun: false };
}

/** Per searched table: the records listed, by key. */
function auditTables(listed: Map<string, RowKey[]>): AuditTables {
  return Object.fromEntries([...listed].map(([table, keys]) => [table, { action: 'read' as const, rows: keys.length, ...(keys.length > 0 ? { keys } : {}) }]));
}

/** How the search was asked: counts and flag names only, never a word or a value (an e-mail, a name). */
function searchDetail(words: number, options: TextSearchOptions, skipped: SkippedTable[]): AuditDetail {
  const flags = [
    ...(options.table !== undefined ? ['--table'] : []),
    ...(options.since ? ['--since'] : []),
    ...(options.until ? ['--until'] : []),
    ...(options.where?.length ? ['--where'] : []),
    ...(options.limit !== undefined ? ['--limit'] : []),
    ...(options.showValues ? ['--show-values'] : []),
  ];
  return {
    words,
    flags,
    whereColumns: [...new Set((options.where ?? []).map((f) => f.column))],
    limit: options.limit ?? DEFAULT_SEARCH_LIMIT,
    skipped: skipped.map((s) => s.table),
  };
}
