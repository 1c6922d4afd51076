import type { Palette } from '../terminal/terminal.js';
import type { AnonymizationPlan, AnonymizationReceipt, PlannedTable } from '../../core/anonymize.js';
import type { BatchItem, BatchPlan, BatchResult } from '../../core/anonymize-many.js';
import { renderGrid } from './grid.js';
import { showKey } from '../../db/row-key.js';
import type { FileCount, FilesDeleted, RefusedFile } from '../../core/file-deletion.js';

const verbs = { anonymize: 'anonymize', delete: 'delete', keep: 'keep' } as const;

export function formatPlan(plan: AnonymizationPlan, palette: Palette): string {
  const out = [
    palette.bold(`Plan: anonymize ${plan.subject.name} ${plan.subject.table} ${showKey(plan.subject.key)}`) +
      ` (matched by ${plan.subject.matchedBy.join(', ')})`,
    renderGrid(
      ['table', 'action', 'rows', 'what changes'],
      plan.tables.map((t) => [t.table, verbs[t.action], String(t.rows), whatChanges(t)]),
      { maxCell: 200 },
    ),
  ];
  if (plan.mentions.length > 0) {
    out.push(
      `Mentions of the person in ${plan.mentions.length} other row${plan.mentions.length === 1 ? '' : 's'} (${[...new Set(plan.mentions.map((m) => `${m.table}.${m.column}`))].join(', ')}): their e-mail, phone and name are redacted there, the rest of the text stays.`,
    );
  }
  if (plan.files) out.push(...formatFileCount(plan.files, palette));
  if (plan.pseudonymousColumns.length > 0) {
    out.push(
      palette.yellow(
        `Note: ${plan.pseudonymousColumns.join(', ')} use hash, which is pseudonymisation, not anonymisation: whoever holds the key can still link the records.`,
      ),
    );
  }
  return out.join('\n');
}

/** The tables of several plans, their rows summed: what a batch will change, table by table. */
export function tableTotals(plans: { tables: PlannedTable[] }[]): PlannedTable[] {
  const totals = new Map<string, PlannedTable>();
  for (const table of plans.flatMap((p) => p.tables)) {
    const sum = totals.get(table.table) ?? { ...table, rows: 0, keys: [] };
    sum.rows += table.rows;
    totals.set(table.table, sum);
  }
  return [...totals.values()];
}

export function formatBatchPlan(batch: BatchPlan, palette: Palette): string {
  const planned = batch.items.filter((i) => i.plan);
  const totals = tableTotals(planned.map((i) => i.plan!));
  const out = [
    palette.bold(`Plan: anonymize ${planned.length} of ${batch.items.length} requested people`),
    renderGrid(
      ['table', 'action', 'rows', 'what changes'],
      totals.map((t) => [t.table, verbs[t.action], String(t.rows), whatChanges(t)]),
      { maxCell: 200 },
    ),
  ];
  const skipped = batch.items.filter((i) => !i.plan);
  if (skipped.length > 0) out.push('', `Not included (${skipped.length}):`, ...skipped.map((i) => formatItemLine(i, palette)));
  return out.join('\n');
}

export function formatReceipt(receipt: AnonymizationReceipt, palette: Palette): string {
  const changed = receipt.tables.filter((t) => t.action === 'anonymize' && t.columns.length > 0).reduce((n, t) => n + t.rows, 0);
  const deleted = receipt.tables.filter((t) => t.action === 'delete').reduce((n, t) => n + t.rows, 0);
  return [
    palette.green(`Anonymized ${receipt.subject.name} ${receipt.subject.table} ${showKey(receipt.subject.key)}`) +
      `: ${changed} row${changed === 1 ? '' : 's'} rewritten, ${deleted} deleted${receipt.mentionsRedacted ? `, mentions redacted in ${receipt.mentionsRedacted} other rows` : ''}. Audit entry ${receipt.auditEntry}, request ${receipt.requestId}.`,
    ...(receipt.files ? formatFilesDeleted(receipt.files, palette) : []),
    ...receipt.notes,
  ].join('\n');
}

/** `Files: 3 to delete (1.2 MB) after the commit; 1 already gone; 1 refused (outside its root): messages.attachment of 42`. */
export function formatFileCount(files: FileCount, palette: Palette): string[] {
  const lines = [
    `Files: ${plural(files.files, 'file')} to delete (${formatBytes(files.bytes)}) after the commit${files.missing > 0 ? `; ${files.missing} named but already gone` : ''}.`,
  ];
  if (files.refused.length > 0) lines.push(palette.yellow(refusedLine(files.refused)));
  return lines;
}

export function formatFilesDeleted(files: FilesDeleted, palette: Palette): string[] {
  const lines = [`Files: ${plural(files.deleted, 'file')} deleted${files.missing > 0 ? `, ${files.missing} already gone` : ''}.`];
  if (files.failed > 0)
    lines.push(palette.yellow(`${plural(files.failed, 'file')} could not be deleted now; they stay listed and the next lethe run deletes them.`));
  if (files.refused.length > 0) lines.push(palette.yellow(refusedLine(files.refused)));
  return lines;
}

function refusedLine(refused: RefusedFile[]): string {
  const shown = refused.slice(0, 10).map((r) => `${r.table}.${r.column} of ${r.key} (${r.reason})`);
  return `Refused, not deleted: ${shown.join('; ')}${refused.length > 10 ? `; and ${refused.length - 10} more` : ''}. The rows were anonymized; check what those values name.`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatBatchResult(result: BatchResult, palette: Palette): string {
  const lines = [
    `${palette.bold('Batch')} ${result.batchId}: ${result.anonymized} anonymized, ${result.failed} not done, ${result.items.length} lines.`,
    ...result.items.map((i) => formatItemLine(i, palette)),
    ...result.notes,
  ];
  return lines.join('\n');
}

function formatItemLine(item: BatchItem, palette: Palette): string {
  const colour = item.status === 'anonymized' ? palette.green : item.status === 'duplicate' || item.status === 'already-anonymized' ? palette.dim : palette.red;
  const what = item.receipt
    ? `${item.receipt.subject.table} ${showKey(item.receipt.subject.key)}, audit entry ${item.receipt.auditEntry}`
    : (item.message ?? '');
  return `  line ${item.line}: ${colour(item.status)}${what ? ` - ${what}` : ''}`;
}

export function whatChanges(table: PlannedTable): string {
  if (table.action === 'delete') return 'rows deleted';
  if (table.action === 'keep') return 'kept as is';
  if (table.columns.length === 0) return 'nothing personal';
  return table.columns.map((c) => `${c.name}: ${c.strategy}`).join('; ');
}
