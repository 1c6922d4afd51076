/**
 * `lethe suppressed`: is this address on a suppression list? Answered from the audit store and
 * secrets.key alone (no database), and audited with counts only: the values asked about are
 * never written anywhere.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AuditStore } from '../audit/index.js';
import type { DataMap } from '../config/data-map.js';
import { readDataMap } from '../config/load.js';
import { ConfigError, LetheError, UsageError } from '../errors.js';
import { readAuditSettings } from './audit-report.js';
import { resolveOperator } from './session.js';
import { lookupDigests, phoneRegionsOf, pruneExpiredSuppressions, SuppressionKey, suppressionPolicies } from './suppression.js';

export interface SuppressedQuery {
  configPath: string;
  env: NodeJS.ProcessEnv;
  operator?: string;
  /** Only this subject's list. */
  subject?: string;
  /** The values asked about, with the line each came from when read from a file. */
  values: { value: string; line?: number }[];
  now?: Date;
}

export interface SuppressedAnswer {
  value: string;
  line?: number;
  suppressed: boolean;
  /** The subjects whose list holds it (never when or by which erasure: that would tie the address to an anonymized record). */
  subjects: string[];
}

export interface SuppressedResult {
  answers: SuppressedAnswer[];
  suppressed: number;
  auditEntry: number;
}

export async function lookUpSuppressed(query: SuppressedQuery): Promise<SuppressedResult> {
  const { auditPath, key, map } = await readSuppressionSettings(query.configPath, query.env, query.subject);
  // A missing store or a wrong key must fail loudly: a quiet "not suppressed" would get a person mailed.
  if (!existsSync(auditPath)) {
    throw new LetheError(
      `No audit store at ${auditPath}, so no suppression list to look in.`,
      undefined,
      'Check audit.path in the data map: it must name the store the anonymizations wrote to.',
    );
  }
  const store = AuditStore.open(auditPath, { key });
  try {
    const now = query.now ?? new Date();
    const operator = resolveOperator(query.operator, query.env);
    pruneExpiredSuppressions(store, { operator, now, policies: map ? suppressionPolicies(map, now) : [] });
    const hashes = new SuppressionKey(key);
    const regions = phoneRegionsOf(map);
    const answers = query.values.map(({ value, line }): SuppressedAnswer => {
      const subjects = store.suppressedSubjects(lookupDigests(hashes, value, regions), now, query.subject);
      return { value, ...(line !== undefined ? { line } : {}), suppressed: subjects.length > 0, subjects };
    });
    const suppressed = answers.filter((a) => a.suppressed).length;
    // Recorded before anything is answered: counts only, never a value.
    const entry = store.recordEvent({
      operator,
      command: 'suppressed',
      action: 'suppressed',
      requestId: randomUUID(),
      subject: null,
      dryRun: false,
      outcome: suppressed > 0 ? 'ok' : 'nothing-matched',
      tables: {},
      detail: { values: answers.length, suppressed, ...(query.subject ? { onlySubject: query.subject } : {}) },
    });
    return { answers, suppressed, auditEntry: entry.id };
  } finally {
    store.close();
  }
}

/**
 * audit.path and secrets.key, as the audit commands read them (problems elsewhere in the map,
 * such as an unset ${DATABASE_URL}, do not stop the command), and the map's subjects when the
 * map can be read whole, to check --subject and to apply each subject's keepFor.
 */
async function readSuppressionSettings(
  configPath: string,
  env: NodeJS.ProcessEnv,
  subject?: string,
): Promise<{ auditPath: string; key: string; map?: DataMap }> {
  const file = path.resolve(configPath);
  const { map, problems } = await readDataMap(file, env);
  // This command writes an audit entry, so a weak key is refused here as for every writer.
  const own = problems.filter((p) => /^(audit|secrets)(\.|$)/.test(p.path));
  if (own.length > 0) throw new ConfigError(file, own);
  const settings = map ? { auditPath: map.auditPath, ...(map.key ? { key: map.key } : {}) } : await readAuditSettings(file, env);
  if (!settings.key) {
    throw new ConfigError(file, [
      { path: 'secrets.key', message: 'lethe suppressed compares keyed hashes and needs the key they were kept with; set it, e.g. key: ${LETHE_KEY}' },
    ]);
  }
  if (map) {
    const lists = [...map.subjects.values()].filter((s) => s.suppress);
    if (lists.length === 0) {
      throw new UsageError(
        'No subject in the data map keeps a suppression list.',
        'Add suppress: { when: { unsubscribed: true } } under the subject (it needs secrets.key).',
      );
    }
    if (subject !== undefined && !lists.some((s) => s.name === subject)) {
      throw new UsageError(
        map.subjects.has(subject) ? `Subject "${subject}" keeps no suppression list.` : `No subject "${subject}" in the data map.`,
        `Subjects with a suppression list: ${lists.map((s) => s.name).join(', ')}.`,
      );
    }
  }
  return { auditPath: settings.auditPath, key: settings.key, ...(map ? { map } : {}) };
}

/** Header names taken for the column of values when --column names none. */
const VALUE_COLUMNS = ['email', 'e-mail', 'mail', 'phone', 'telephone', 'tel', 'mobile', 'value'];

/**
 * The values of a --from file: one per line (blank lines and # comments skipped), or a CSV
 * whose header names the column (`column`, else the first of email, phone, ... it has).
 */
export function readSuppressedValues(text: string, column?: string): { value: string; line: number }[] {
  const lines = text.split(/\r?\n/);
  const skipped = (line: string) => line.trim() === '' || line.trim().startsWith('#');
  const first = lines.findIndex((line) => !skipped(line));
  if (first < 0) return [];
  const header = csvCells(lines[first]!).map((cell) => cell.trim().toLowerCase());
  const wanted = column?.trim().toLowerCase() ?? VALUE_COLUMNS.find((name) => header.includes(name));
  if (wanted === undefined) {
    return lines.flatMap((line, i) => (skipped(line) ? [] : [{ value: line.trim(), line: i + 1 }]));
  }
  const index = header.indexOf(wanted);
  if (index < 0) throw new UsageError(`The header of the CSV has no column "${column}".`, `Its columns: ${header.join(', ')}.`);
  return lines.flatMap((line, i) => {
    if (i <= first || skipped(line)) return [];
    const value = csvCells(line)[index]?.trim();
    return value ? [{ value, line: i + 1 }] : [];
  });
}

function csvCells(line: string): string[] {
  try {
    return (parse(line, { relax_quotes: true }) as string[][])[0] ?? [];
  } catch {
    return [line];
  }
}
