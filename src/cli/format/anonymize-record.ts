import type { Palette } from '../terminal/terminal.js';
import type { PlannedTable } from '../../core/anonymize.js';
import type { RecordOwner, RecordPlan, RecordReceipt } from '../../core/anonymize-record.js';
import type { RecordBatchItem, RecordBatchPlan, RecordBatchResult } from '../../core/anonymize-records.js';
import { showKey } from '../../db/row-key.js';
import { formatFileCount, formatFilesDeleted, tableTotals, whatChanges } from './anonymize.js';
import { printable, renderGrid } from './grid.js';

/** `conversations 42` */
export function recordName(record: { table: string; key: Parameters<typeof showKey>[0] }): string {
  return `${record.table} ${printable(showKey(record.key))}`;
}

function ownersPhrase(owners: RecordOwner[]): string {
  if (owners.length === 0) return 'it belongs to nobody in the map: the detectors alone find the personal data in its text';
  const who = owners.map((o) => `${o.subject} ${recordName(o)}`).join(' and ');
  return `it belongs to ${who}, whose own row${owners.length === 1 ? '' : 's'} and other records stay as they are`;
}

function grid(tables: PlannedTable[]): string {
  return renderGrid(
    ['table', 'action', 'rows', 'what changes'],
    tables.map((t) => [t.table, t.action, String(t.rows), whatChanges(t)]),
    { maxCell: 200 },
  );
}

export function formatRecordPlan(plan: RecordPlan, palette: Palette): string {
  const out = [
    palette.bold(`Plan: anonymize the record ${recordName(plan.record)} and what belongs to it`) + ` (${ownersPhrase(plan.owners)})`,
    grid(plan.tables),
  ];
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

export function formatRecordReceipt(receipt: RecordReceipt, palette: Palette): string {
  const changed = receipt.tables.filter((t) => t.action === 'anonymize' && t.columns.length > 0).reduce((n, t) => n + t.rows, 0);
  const deleted = receipt.tables.filter((t) => t.action === 'delete').reduce((n, t) => n + t.rows, 0);
  return [
    palette.green(`Anonymized the record ${recordName(receipt.record)}`) +
      `: ${changed} row${changed === 1 ? '' : 's'} rewritten, ${deleted} deleted. Audit entry ${receipt.auditEntry}, request ${receipt.requestId}.`,
    ...(receipt.files ? formatFilesDeleted(receipt.files, palette) : []),
    ...receipt.notes,
  ].join('\n');
}

export function formatRecordBatchPlan(batch: RecordBatchPlan, palette: Palette): string {
  const planned = batch.items.filter((i) => i.plan);
  const totals = tableTotals(planned.map((i) => i.plan!));
  const out = [palette.bold(`Plan: anonymize ${planned.length} of ${batch.items.length} listed records and what belongs to them`), grid(totals)];
  const skipped = batch.items.filter((i) => !i.plan);
  if (skipped.length > 0) out.push('', `Not included (${skipped.length}):`, ...skipped.map((i) => formatRecordItemLine(i, palette)));
  return out.join('\n');
}

export function formatRecordBatchResult(result: RecordBatchResult, palette: Palette): string {
  return [
    `${palette.bold('Batch')} ${result.batchId}: ${result.anonymized} records anonymized, ${result.failed} not done, ${result.items.length} lines.`,
    ...result.items.map((i) => formatRecordItemLine(i, palette)),
    ...result.notes,
  ].join('\n');
}

function formatRecordItemLine(item: RecordBatchItem, palette: Palette): string {
  const colour = item.status === 'anonymized' ? palette.green : item.status === 'duplicate' || item.status === 'already-anonymized' ? palette.dim : palette.red;
  const what = item.receipt ? `${recordName(item.receipt.record)}, audit entry ${item.receipt.auditEntry}` : (item.message ?? '');
  return `  line ${item.line}: ${colour(item.status)}${what ? ` - ${what}` : ''}`;
}
