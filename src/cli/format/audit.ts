import type { Palette } from '../terminal/terminal.js';
import type { AuditEntry, AuditTableRecord } from '../../audit/index.js';
import { auditTrailIntact, type AuditTrailCheck } from '../../core/audit-report.js';
import { printable, renderGrid } from './grid.js';
import { showKey } from '../../db/row-key.js';

/** `2026-03-01 10:00:00`: the stored ISO time, easier to scan in a table; always UTC. */
function shortTime(at: string): string {
  return at.slice(0, 19).replace('T', ' ');
}

function subjectText(entry: AuditEntry): string {
  return entry.subject ? `${entry.subject.name} ${showKey(entry.subject.key)}` : '';
}

function outcomeText(entry: AuditEntry, interrupted: ReadonlySet<number>, palette: Palette): string {
  if (entry.phase === 'intent') return interrupted.has(entry.id) ? palette.yellow('interrupted') : '';
  if (entry.outcome === 'ok') return palette.green('ok');
  if (entry.outcome === 'failed') return palette.red('failed');
  return entry.outcome ?? '';
}

/** The table of `lethe audit list`: newest first, as given. */
export function formatAuditList(entries: AuditEntry[], interrupted: ReadonlySet<number>, palette: Palette): string {
  entries = entries.map(printableEntry);
  return renderGrid(
    ['id', 'time (UTC)', 'operator', 'command', 'action', 'phase', 'outcome', 'dry run', 'subject', 'tables (action rows)', 'database'],
    entries.map((e) => [
      String(e.id),
      shortTime(e.at),
      e.operator,
      e.command,
      e.action,
      e.phase,
      outcomeText(e, interrupted, palette),
      e.dryRun ? 'yes' : 'no',
      subjectText(e),
      Object.entries(e.tables)
        .map(([table, record]) => tableText(table, record))
        .join(', '),
      e.database?.label ?? '',
    ]),
    { maxCell: 60 },
  );
}

/** How an intent or outcome relates to the rest of its job, for `audit show`. */
export interface AuditEntryLinks {
  /** For an intent: the outcome that completes it, or null when none was written. */
  completedBy?: number | null;
}

/** One entry whole, for `lethe audit show`. */
export function formatAuditEntry(entry: AuditEntry, links: AuditEntryLinks, palette: Palette): string {
  entry = printableEntry(entry);
  const field = (name: string, value: string) => `  ${name.padEnd(10)}  ${value}`;
  let phase: string = entry.phase;
  if (entry.phase === 'outcome' && entry.intentId !== null) phase += ` (completes intent ${entry.intentId})`;
  if (entry.phase === 'intent') {
    phase +=
      links.completedBy == null
        ? ` ${palette.yellow('(no outcome: the job was interrupted, or is still running)')}`
        : ` (completed by entry ${links.completedBy})`;
  }
  const out = [
    palette.bold(`Audit entry ${entry.id}`),
    field('time', entry.at),
    field('operator', entry.operator),
    field('command', entry.command),
    field('action', entry.action),
    field('phase', phase),
    field('outcome', entry.outcome ?? '-'),
    field('dry run', entry.dryRun ? 'yes' : 'no'),
    field('request', entry.requestId),
    field('subject', entry.subject ? subjectText(entry) : '-'),
    field('database', entry.database ? `${entry.database.label} (id ${entry.database.id})` : '-'),
  ];
  const tables = Object.entries(entry.tables);
  out.push(field('tables', tables.length ? '' : '-').trimEnd());
  for (const [table, record] of tables) out.push(...tableLines(table, record));
  const detail = Object.entries(entry.detail ?? {});
  out.push(field('detail', detail.length ? '' : '-').trimEnd());
  for (const [name, value] of detail) out.push(`    ${name}: ${Array.isArray(value) ? value.join(', ') : String(value)}`);
  out.push(field('prev hash', entry.prevHash), field('hash', entry.hash));
  return out.join('\n');
}

function tableLines(table: string, record: AuditTableRecord): string[] {
  const lines = [`    ${table}: ${record.action} ${record.rows} row${record.rows === 1 ? '' : 's'}`];
  if (record.keys?.length) lines.push(`      keys     ${record.keys.map(showKey).join(', ')}`);
  if (record.keyRange) lines.push(`      range    ${String(record.keyRange[0])} .. ${String(record.keyRange[1])}`);
  if (record.keyDigest) lines.push(`      digest   sha256 ${record.keyDigest}`);
  if (record.columns?.length) lines.push(`      columns  ${record.columns.join(', ')}`);
  return lines;
}

/** `lethe audit verify` on stdout, when the chain is intact (a broken one is an error on stderr). */
export function formatAuditTrailCheck(check: AuditTrailCheck, palette: Palette): string {
  const { verification } = check;
  if (!verification.ok || !auditTrailIntact(check)) return '';
  const out = [
    palette.green(
      `Audit trail intact: ${verification.entries} entr${verification.entries === 1 ? 'y' : 'ies'}, chained with ${check.chain === 'hmac-sha256' ? 'HMAC-SHA256 (keyed)' : 'SHA-256 (not keyed)'}.`,
    ),
    `Last hash: ${verification.lastHash}`,
    palette.dim('Record it elsewhere (a ticket, a mail): removing the newest entries leaves a shorter chain that is intact, and only this hash shows it.'),
  ];
  if (verification.tombstones > 0) out.push(`Tombstones: ${verification.tombstones}, each as the audit entry that declares it recorded it.`);
  if (verification.suppressions > 0) out.push(`Suppression hashes: ${verification.suppressions}, each as the audit entry that declares it recorded it.`);
  if (verification.legacyTombstones > 0) {
    out.push(
      palette.dim(
        `${verification.legacyTombstones} older tombstone${verification.legacyTombstones === 1 ? ' was' : 's were'} written before lethe declared tombstones in the chain; verify cannot vouch for ${verification.legacyTombstones === 1 ? 'it' : 'them'}.`,
      ),
    );
  }
  if (check.anchor) out.push(`Anchor ${check.anchor.hash} is entry ${check.anchor.entry}.`);
  if (check.interrupted.length > 0) {
    out.push(
      '',
      palette.yellow(
        `Interrupted: ${check.interrupted.length} job step${check.interrupted.length === 1 ? '' : 's'} started and never completed (or still running):`,
      ),
      renderGrid(
        ['id', 'time (UTC)', 'operator', 'command', 'action', 'subject', 'tables (action rows)', 'request'],
        check.interrupted.map(printableEntry).map((e) => [
          String(e.id),
          shortTime(e.at),
          e.operator,
          e.command,
          e.action,
          subjectText(e),
          Object.entries(e.tables)
            .map(([table, record]) => tableText(table, record))
            .join(', '),
          e.requestId,
        ]),
        { maxCell: 60 },
      ),
    );
  }
  return out.join('\n');
}

/** The --json document of `lethe audit verify`. */
export function auditTrailCheckJson(check: AuditTrailCheck): Record<string, unknown> {
  return {
    intact: auditTrailIntact(check),
    path: check.path,
    chain: check.chain,
    ...check.verification,
    ...(check.anchor ? { anchor: check.anchor } : {}),
    interrupted: check.interrupted.map((e) => ({
      id: e.id,
      at: e.at,
      operator: e.operator,
      command: e.command,
      action: e.action,
      requestId: e.requestId,
      subject: e.subject,
      tables: e.tables,
    })),
  };
}

/** `messages delete 44`: the action too, since a sweep anonymizes and deletes in the same table. */
function tableText(table: string, record: AuditTableRecord): string {
  return `${table} ${record.action} ${record.rows}`;
}

/** The entry with every string made safe for a terminal (see printable): anyone could name themselves with an escape sequence. */
function printableEntry(entry: AuditEntry): AuditEntry {
  return JSON.parse(JSON.stringify(entry), (_key, value: unknown) => (typeof value === 'string' ? printable(value) : value)) as AuditEntry;
}
