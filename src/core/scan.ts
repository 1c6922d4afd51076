import { randomUUID } from 'node:crypto';
import type { AuditTables } from '../audit/index.js';
import { isLetheTable } from '../db/database-identity.js';
import { detect } from '../detect/index.js';
import type { Session } from './session.js';

/** What a sample of one text column holds. Values only with showValues. */
export interface ColumnScan {
  table: string;
  column: string;
  sampled: number;
  /** Per type of personal data: how many sampled rows hold at least one. */
  found: Record<string, number>;
  /** How the map treats the column. */
  declared: 'personal' | 'keep' | 'unmapped';
  /** Personal data found where the map does not declare any. */
  flagged: boolean;
  /** Up to three found spans, only when asked for (--show-values). */
  examples?: string[];
}

export interface ScanOptions {
  /** Rows read per column (default 1000). */
  sample?: number;
  showValues?: boolean;
}

/**
 * Discovery: reads a sample of every text column of every table, mapped or not, runs the
 * detectors over it and reports, per column, which kinds of personal data it holds and
 * how often, flagging those the map does not declare. Audited as a read.
 */
export async function scanDatabase(session: Session, options: ScanOptions = {}): Promise<ColumnScan[]> {
  const sample = options.sample ?? 1000;
  const { knex, dialect, map } = session;
  const names = (await dialect.listTables(knex)).filter((t) => !isLetheTable(t));
  const schema = await dialect.introspect(knex, names);
  const results: ColumnScan[] = [];
  for (const table of schema.values()) {
    const mapped = map.tables.get(table.name);
    for (const column of table.columns.values()) {
      if (column.type !== 'text' && column.type !== 'other') continue;
      const rows: Record<string, unknown>[] = await knex(table.name).select(column.name).whereNotNull(column.name).limit(sample);
      const found: Record<string, number> = {};
      const examples: string[] = [];
      for (const row of rows) {
        const value = row[column.name];
        if (typeof value !== 'string' || value === '') continue;
        // Recall first: a column of personal data left unreported stays unmapped.
        const spans = detect(value, { ...map.detection, purpose: 'redact' });
        for (const type of new Set(spans.map((s) => s.type))) found[type] = (found[type] ?? 0) + 1;
        if (options.showValues) for (const span of spans) if (examples.length < 3) examples.push(`${span.type}: ${value.slice(span.start, span.end)}`);
      }
      const mapping = mapped?.columns.get(column.name);
      const declared = !mapping ? 'unmapped' : mapping.strategy === 'keep' ? 'keep' : 'personal';
      results.push({
        table: table.name,
        column: column.name,
        sampled: rows.length,
        found,
        declared,
        flagged: declared !== 'personal' && Object.keys(found).length > 0,
        ...(options.showValues ? { examples } : {}),
      });
    }
  }
  const tables: AuditTables = {};
  for (const r of results) tables[r.table] = { action: 'read', rows: Math.max(tables[r.table]?.rows ?? 0, r.sampled) };
  session.audit.append({
    operator: session.operator,
    command: 'find',
    action: 'scan',
    requestId: randomUUID(),
    phase: 'event',
    intentId: null,
    subject: null,
    dryRun: false,
    outcome: 'ok',
    tables,
    detail: { sample, showValues: Boolean(options.showValues), flagged: results.filter((r) => r.flagged).map((r) => `${r.table}.${r.column}`) },
  });
  return results;
}
