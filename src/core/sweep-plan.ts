import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { before } from '../config/duration.js';
import { personalColumns, type ColumnMapping, type ColumnRef, type DataMap, type SubjectMapping, type TableMapping } from '../config/data-map.js';
import { changesRow, maskedValues } from './column-masking.js';
import type { Row } from './subject-lookup.js';
import { keyOf, orderByKey, qualified, whereKeyBeyond, whereKeyIn, type KeyPart, type RowKey } from '../db/row-key.js';
import { countFiles, fileColumns, fileRefsOf, type FileCount, type FileRef } from './file-deletion.js';
import type { Dialect } from '../db/dialect.js';
import type { SchemaSnapshot } from '../db/schema-snapshot.js';
import { readSweepState } from '../db/sweep-state.js';
import { UsageError } from '../errors.js';
import { constantOf as constantOfSpec } from '../masking/registry.js';
import type { Session } from './session.js';

/**
 * One piece of a sweep: a table and what happens to its rows that are due.
 * - anonymize: rows whose timestamp is before `cutoff` (and not before `notBefore`) get
 *   their personal columns rewritten;
 * - delete: rows whose timestamp is before `cutoff` are deleted, with the rows below them;
 * - inactive: people whose latest activity is before `cutoff` are anonymized whole.
 */
export interface SweepTask {
  table: string;
  action: 'anonymize' | 'delete' | 'inactive';
  cutoff: Date;
  /** anonymize: rows older than this are deleted instead, or were done by an earlier sweep (the watermark). */
  notBefore?: Date;
  /** The period, as written in the map. */
  period: string;
  /** Rows (or people) due now; undefined when the plan did not count them (`count: false`). */
  due?: number;
  /** inactive: of those, people due only through activityFallback: nothing of theirs was found. */
  dueWithoutActivity?: number;
  /** anonymize: the columns rewritten. */
  columns: string[];
  /** Set-based SQL (true) or values computed in JS and written in batches (false). */
  setBased: boolean;
  /** anonymize: identifies the strategies and timestamp of the pass (see strategyDigest); inactive: see inactivityDigest. */
  digest?: string;
  /** anonymize and inactive: how far an earlier pass that stopped got (its rows, or people, are not read again). */
  resume?: { after: RowKey; cutoff: Date; from?: Date };
  /** anonymize and delete, planned with countFiles: the files the due rows name (delete-file columns). */
  files?: FileCount;
  /** anonymize and delete: an index leads with the retention timestamp, so due rows are read through it. */
  timestampIndexed?: boolean;
  /**
   * The index range around the time window holds few rows (a night's): they are read through
   * the index, each batch taking their keys first, then the next ones in key order. (Asked for
   * rows in key order up to a limit, SQLite without statistics walks the table by key instead;
   * and for many rows, reading in key order is faster.) Set on SQLite only, whose exact time
   * test no index serves; on the servers it is itself the index's range.
   */
  fewInWindow?: boolean;
  /**
   * anonymize, set-based: batches span rows of the table (KeysetBatch.spanRows), where the
   * dialect's writes hand back their keys (a span spares only the read of the due keys before
   * the write) and the rows are not read through a timestamp index: on SQLite that index
   * serves a night's few rows (fewInWindow); on the servers the exact time test is the index's
   * own range, and their planner picks between it and the key for as many rows as are due.
   */
  spansRows?: boolean;
}

export interface SweepPlan {
  requestId: string;
  now: Date;
  tasks: SweepTask[];
}

export interface SweepPlanOptions {
  now?: Date;
  /** Only this table (--table). */
  table?: string;
  /** Ignore the watermarks of earlier sweeps and re-check every row past its period. */
  full?: boolean;
  /** Count the files and bytes the due rows name (a dry run): one stat or HEAD per file. */
  countFiles?: boolean;
  /**
   * Count the rows due (default). A run nobody confirms (`--yes`) may skip it: on a large first
   * sweep the count reads every due row (and every inactive person) once more; tasks then carry no `due`.
   */
  count?: boolean;
}

/** Counts what is due, per table and action, without changing anything. */
export async function planSweep(session: Session, options: SweepPlanOptions = {}): Promise<SweepPlan> {
  const { map, knex, dialect } = session;
  const now = options.now ?? new Date();
  if (options.table && !map.tables.has(options.table)) {
    throw new UsageError(`The data map has no table ${options.table} to sweep.`, `Mapped tables: ${[...map.tables.keys()].join(', ')}.`);
  }
  const selected = (name: string) => !options.table || options.table === name;
  const tasks: SweepTask[] = [];

  for (const name of map.order) {
    const table = map.tables.get(name)!;
    const rule = table.retention;
    if (!rule || !selected(name)) continue;
    if (rule.inactiveFor) {
      const subject = [...map.subjects.values()].find((s) => s.table === name)!;
      const cutoff = before(now, rule.inactiveFor);
      const digest = inactivityDigest(map, table);
      const { progress } = options.full ? {} : await readSweepState(knex, name, 'inactive', digest);
      const resume = progress ? { after: progress.lastKey, cutoff: progress.cutoff } : undefined;
      const task: SweepTask = {
        table: name,
        action: 'inactive',
        cutoff,
        period: rule.inactiveFor.text,
        columns: [],
        setBased: false,
        digest,
        ...(resume ? { resume } : {}),
      };
      if (options.count !== false) {
        task.due = await countInactive(session, subject, cutoff, { ...(resume ? { resume } : {}) });
        task.dueWithoutActivity = await countInactive(session, subject, cutoff, { withoutActivity: true, ...(resume ? { resume } : {}) });
      }
      tasks.push(task);
    }
    if (rule.anonymizeAfter && rule.timestamp) {
      const columns = personalColumns(table);
      if (columns.length === 0) continue;
      const cutoff = before(now, rule.anonymizeAfter);
      const deleteCutoff = rule.deleteAfter ? before(now, rule.deleteAfter) : undefined;
      const digest = strategyDigest(table);
      const { watermark, progress } = options.full ? {} : await readSweepState(knex, name, 'anonymize', digest);
      const notBefore = latest(deleteCutoff, watermark);
      const task: SweepTask = {
        table: name,
        action: 'anonymize',
        cutoff,
        ...(notBefore ? { notBefore } : {}),
        period: rule.anonymizeAfter.text,
        digest,
        columns: columns.map((c) => c.name),
        // Strategies that write a constant need no JS: the whole batch is one UPDATE.
        setBased: columns.every((c) => c.strategy !== 'keep' && constantOfSpec(c.strategy) !== undefined),
        ...(progress ? { resume: { after: progress.lastKey, cutoff: progress.cutoff, ...(progress.from ? { from: progress.from } : {}) } } : {}),
        timestampIndexed: timestampIndexed(session, table),
      };
      task.fewInWindow = await fewInWindow(knex, dialect, table, task);
      const throughIndex = task.timestampIndexed === true && (dialect.timeWindow ? task.fewInWindow : true);
      task.spansRows = task.setBased && dialect.writeReturning !== undefined && !throughIndex;
      if (options.count !== false) task.due = await countDue(knex, dialect, table, task);
      if (options.countFiles) await countTaskFiles(session, table, task);
      tasks.push(task);
    }
  }
  // Deletes last, children before parents: a parent's delete also removes what is left below it.
  for (const name of [...map.order].reverse()) {
    const table = map.tables.get(name)!;
    const rule = table.retention;
    if (!rule?.deleteAfter || !rule.timestamp || !selected(name)) continue;
    const task: SweepTask = {
      table: name,
      action: 'delete',
      cutoff: before(now, rule.deleteAfter),
      period: rule.deleteAfter.text,
      columns: [],
      setBased: true,
      timestampIndexed: timestampIndexed(session, table),
    };
    task.fewInWindow = await fewInWindow(knex, dialect, table, task);
    if (options.count !== false) task.due = await countDue(knex, dialect, table, task);
    if (options.countFiles) await countTaskFiles(session, table, task);
    tasks.push(task);
  }
  return { requestId: randomUUID(), now, tasks };
}

/** The files the task's due rows name, page by page (the rows below a deleted row count when they go). */
async function countTaskFiles(session: Session, table: TableMapping, task: SweepTask): Promise<void> {
  if (fileColumns(table).length === 0 || task.due === 0) return;
  const refs: FileRef[] = [];
  let after: RowKey | undefined;
  for (;;) {
    const query = orderByKey(dueRows(session.knex, session.dialect, table, task).select('*'), table.keyColumns).limit(1000);
    if (after !== undefined) whereKeyBeyond(query, table.keyColumns, after, '>');
    const rows = (await query) as Row[];
    if (rows.length === 0) break;
    after = keyOf(table.keyColumns, rows.at(-1)!);
    refs.push(...fileRefsOf(session.map, session.schema, table, rows));
  }
  task.files = await countFiles(session.map, refs);
}

/**
 * Rows of the task's table in its time window, as a query to count, page or update. For a
 * set-based anonymization only rows not yet holding the constants count as due.
 */
export function dueRows(
  knex: Knex,
  dialect: Dialect,
  table: TableMapping,
  task: Pick<SweepTask, 'action' | 'cutoff' | 'notBefore' | 'setBased' | 'resume' | 'timestampIndexed' | 'fewInWindow'>,
): Knex.QueryBuilder {
  const timestamp = table.retention!.timestamp!;
  const query = knex(table.name);
  // A night's rows: first a range the index on the timestamp serves (where the exact test is
  // none), so the sweep reads them, not the table. Many rows are read faster in key order.
  const window = task.fewInWindow ? timeWindowOf(knex, dialect, table, task) : undefined;
  if (window) query.where(window);
  query.where(dialect.timeBefore(knex, timestamp, task.cutoff));
  if (task.notBefore) query.whereNot(dialect.timeBefore(knex, timestamp, task.notBefore));
  const resume = task.resume;
  if (resume) {
    // Not what the stopped pass did: keys up to where it got, in its time window.
    query.where((q) => {
      q.where((beyond) => whereKeyBeyond(beyond, table.keyColumns, resume.after, '>')).orWhereNot(dialect.timeBefore(knex, timestamp, resume.cutoff));
      if (resume.from) q.orWhere(dialect.timeBefore(knex, timestamp, resume.from));
    });
  }
  if (task.action === 'anonymize' && task.setBased) {
    query.where((q) => {
      for (const column of personalColumns(table)) differsFromConstant(q, column);
    });
  }
  // Planned alone, without the ORDER BY and LIMIT a batch adds, the keys come from the index.
  if (window) {
    const keys = query.select(table.keyColumns);
    return table.keyColumns.length === 1 ? knex(table.name).whereIn(table.keyColumns[0]!, keys) : knex(table.name).whereIn([...table.keyColumns], keys);
  }
  return query;
}

/** The dialect's index range around the task's time window, where the timestamp is indexed and the dialect needs one. */
function timeWindowOf(
  knex: Knex,
  dialect: Dialect,
  table: TableMapping,
  task: Pick<SweepTask, 'cutoff' | 'notBefore' | 'timestampIndexed'>,
): Knex.Raw | undefined {
  if (!task.timestampIndexed) return undefined;
  return dialect.timeWindow?.(knex, table.retention!.timestamp!, { before: task.cutoff, ...(task.notBefore ? { notBefore: task.notBefore } : {}) });
}

/** Below this many rows in the index range of its time window, a task reads the keys of each batch through the index first. */
const FEW_IN_WINDOW = 10_000;

/** Whether the index range holds fewer than FEW_IN_WINDOW rows: read from the index, at most that many entries. */
async function fewInWindow(knex: Knex, dialect: Dialect, table: TableMapping, task: SweepTask): Promise<boolean> {
  const window = timeWindowOf(knex, dialect, table, task);
  if (!window) return false;
  const sample = knex(table.name).select(knex.raw('1')).where(window).limit(FEW_IN_WINDOW).as('sample');
  const [row] = (await knex.count({ n: '*' }).from(sample)) as { n: number | string }[];
  return Number(row?.n ?? 0) < FEW_IN_WINDOW;
}

/** The value a constant strategy (null, empty, value) writes. */
export function constantOf(column: ColumnMapping): unknown {
  return constantOfSpec(column.strategy as Exclude<ColumnMapping['strategy'], 'keep'>);
}

/** OR-ed into the due query: rows whose value is not yet the constant. */
function differsFromConstant(query: Knex.QueryBuilder, column: ColumnMapping): void {
  const value = constantOf(column);
  if (value === null) query.orWhereNotNull(column.name);
  else query.orWhereNull(column.name).orWhereNot(column.name, value as string | number | boolean);
}

async function countDue(knex: Knex, dialect: Dialect, table: TableMapping, task: SweepTask): Promise<number> {
  const [row] = await dueRows(knex, dialect, table, task).count({ n: '*' });
  return Number(row?.n ?? 0);
}

/**
 * People with no activity since `cutoff`: every activity column is NULL or older, on the
 * person's own row and on every row linked below it; and something of theirs says they were
 * there before it: an activity time (older, then), or else the rule's activityFallback (their
 * signup). A person with no time at all is never due. `withoutActivity` keeps only the people
 * due through the fallback alone (nothing of theirs was found), for the plan to say so.
 * A query: awaited, it gives the rows; a batch of the sweep runs it locked (readForUpdate).
 */
export function inactiveSubjects(
  knex: Knex,
  dialect: Dialect,
  map: DataMap,
  subject: SubjectMapping,
  cutoff: Date,
  after?: RowKey,
  limit?: number,
  options: InactiveOptions = {},
): Knex.QueryBuilder {
  const table = map.tables.get(subject.table)!;
  const key = qualified(table.keyColumns, table.name);
  const query = orderByKey(knex(table.name).select(`${table.name}.*`), key);
  const inactive = inactivity(knex, dialect, map, table, options, after);
  query.where((q) => inactive(q, cutoff));
  const resume = options.resume;
  if (resume) {
    // Not what the stopped pass did: people after its last key, or inactive only since its cutoff.
    query.where((q) => q.where((beyond) => whereKeyBeyond(beyond, key, resume.after, '>')).orWhereNot((earlier) => inactive(earlier, resume.cutoff)));
  }
  if (options.keys) whereKeyIn(query, key, options.keys);
  if (after !== undefined) whereKeyBeyond(query, key, after, '>');
  if (limit !== undefined) query.limit(limit);
  return query;
}

export interface InactiveOptions {
  /** Only the people due through activityFallback alone (nothing of theirs was found). */
  withoutActivity?: boolean;
  /** Only these people (a batch checking, in its transaction, who is still due). */
  keys?: RowKey[];
  /** The progress of a stopped pass: the people it did are not read again. */
  resume?: { after: RowKey; cutoff: Date };
  /** The live schema: where the people's key and a link to it are integer columns, a page's bound is repeated on the link. */
  schema?: SchemaSnapshot;
}

/**
 * The test of inactivity as `cutoff` goes, added to a query on the subject table. A test that
 * cannot tell (a time that is no time) is false for every cutoff alike, so "inactive now and
 * not at the earlier cutoff" is exact.
 */
function inactivity(
  knex: Knex,
  dialect: Dialect,
  map: DataMap,
  table: TableMapping,
  options: InactiveOptions,
  after?: RowKey,
): (query: Knex.QueryBuilder, cutoff: Date) => void {
  const rule = table.retention!;
  // Rows below the person link to their key, which is then of one column (the map checks).
  const pk = qualified(table.keyColumns, table.name)[0]!;
  // The page's lower bound, repeated on the links of rows right below the person: the same rows,
  // but PostgreSQL's merge anti-join then starts its scan of their index there, not at its start
  // (each page of 1,000 people read every earlier page's sessions again). Only where the key and
  // the link are both integer columns: the join converts one type to the other, a bound does not
  // ('10' > 9 is false as text), and it would hide the activity of people on later pages.
  const pageStart = after === undefined ? undefined : ([after].flat()[0] as KeyPart);
  const integer = (tableName: string, column: string) => options.schema?.get(tableName)?.columns.get(column)?.type === 'integer';
  const boundsLink = (child: TableMapping, column: string) =>
    // An integer, as a number or as the text PostgreSQL's bigint arrives in.
    pageStart !== undefined && /^-?\d+$/.test(String(pageStart)) && integer(table.name, table.keyColumns[0]!) && integer(child.name, column);
  /** Rows of `ref.table` below the person (a correlated subquery on `pk`), narrowed by `where`. */
  const below = (ref: ColumnRef, where: (q: Knex.QueryBuilder) => void) =>
    function linked(this: Knex.QueryBuilder) {
      this.select(knex.raw('1')).from(ref.table);
      const path = pathUp(map, ref.table, table.name);
      for (let i = 0; i < path.length - 1; i += 1) {
        const child = map.tables.get(path[i]!)!;
        const parent = map.tables.get(path[i + 1]!)!;
        const link = child.parents.find((p) => p.table === parent.name)!;
        if (i === path.length - 2) {
          this.whereRaw('?? = ??', [`${child.name}.${link.column}`, pk]);
          if (boundsLink(child, link.column)) this.where(`${child.name}.${link.column}`, '>', pageStart!);
        } else this.join(parent.name, `${parent.name}.${parent.keyColumns[0]}`, `${child.name}.${link.column}`);
      }
      where(this);
    };
  const hadActivity = (q: Knex.QueryBuilder) => {
    for (const ref of rule.activity) {
      if (ref.table === table.name) q.orWhereNotNull(`${table.name}.${ref.column}`);
      else q.orWhereExists(below(ref, (sub) => sub.whereNotNull(`${ref.table}.${ref.column}`)));
    }
  };
  const fallback = rule.activityFallback ? `${table.name}.${rule.activityFallback}` : undefined;
  return (query, cutoff) => {
    for (const ref of rule.activity) {
      if (ref.table === table.name) {
        query.where((q) => q.whereNull(`${table.name}.${ref.column}`).orWhere(dialect.timeBefore(knex, `${table.name}.${ref.column}`, cutoff)));
      } else {
        query.whereNotExists(below(ref, (q) => q.whereNot(dialect.timeBefore(knex, `${ref.table}.${ref.column}`, cutoff))));
      }
    }
    if (options.withoutActivity) {
      if (!fallback) query.whereRaw('1 = 0');
      else query.whereNot(hadActivity).where(dialect.timeBefore(knex, fallback, cutoff));
    } else {
      query.where((q) => {
        hadActivity(q);
        if (fallback) q.orWhere(dialect.timeBefore(knex, fallback, cutoff));
      });
    }
  };
}

/** People due for inactivity, not anonymized already: counted a page at a time, so that millions of people are never all in memory. */
async function countInactive(session: Session, subject: SubjectMapping, cutoff: Date, options: InactiveOptions): Promise<number> {
  const table = session.map.tables.get(subject.table)!;
  let due = 0;
  let after: RowKey | undefined;
  for (;;) {
    const rows: Row[] = await inactiveSubjects(session.knex, session.dialect, session.map, subject, cutoff, after, INACTIVE_COUNT_PAGE, {
      ...options,
      schema: session.schema,
    });
    due += rows.filter((row) => !alreadyAnonymized(session, table, row)).length;
    if (rows.length < INACTIVE_COUNT_PAGE) return due;
    after = keyOf(table.keyColumns, rows.at(-1)!);
  }
}

const INACTIVE_COUNT_PAGE = 5000;

/**
 * Identifies the inactive pass of a subject: the rule's activity columns and every strategy
 * that erases the person. Another digest means the progress of a stopped pass no longer holds.
 */
export function inactivityDigest(map: DataMap, table: TableMapping): string {
  const rule = table.retention;
  const strategies = [...map.tables.values()].map((t) => [t.name, t.onErase, personalColumns(t).map((c) => [c.name, c.strategy])]);
  return createHash('sha256')
    .update(JSON.stringify([rule?.activity, rule?.activityFallback, strategies]))
    .digest('hex')
    .slice(0, 16);
}

/**
 * A person whose own row would not change under the map's strategies was anonymized
 * already (by an earlier sweep or by `lethe anonymize`). Read from the data, not from a
 * local record, so a person restored from a backup is anonymized again.
 */
export function alreadyAnonymized(session: Session, table: TableMapping, row: Row): boolean {
  return !changesRow(maskedValues(session.map, session.schema, table, row), row);
}

/** Tables from `from` up to `to` along belongsTo links: [from, parent, ..., to]. */
function pathUp(map: DataMap, from: string, to: string): string[] {
  if (from === to) return [to];
  for (const link of map.tables.get(from)!.parents) {
    const rest = pathUp(map, link.table, to);
    if (rest.length > 0) return [from, ...rest];
  }
  return [];
}

/** Whether an index of the live table leads with the retention timestamp. */
function timestampIndexed(session: Session, table: TableMapping): boolean {
  const timestamp = table.retention?.timestamp;
  return session.schema.get(table.name)?.indexes.some((index) => index.columns[0] === timestamp) ?? false;
}

/** Identifies a table's anonymize pass: a changed timestamp or strategy means the watermark no longer holds. */
export function strategyDigest(table: TableMapping): string {
  const strategies = personalColumns(table).map((c) => [c.name, c.strategy]);
  return createHash('sha256')
    .update(JSON.stringify([table.retention?.timestamp, strategies]))
    .digest('hex')
    .slice(0, 16);
}

function latest(...dates: (Date | undefined)[]): Date | undefined {
  const defined = dates.filter((d): d is Date => d !== undefined);
  return defined.length ? new Date(Math.max(...defined.map((d) => d.getTime()))) : undefined;
}
