/**
 * The auditor's side of the audit trail: reading the store without the database, the
 * CSV and JSON-lines exports, and the verification report. Nothing here prints.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import jsYaml from 'js-yaml';
import { AuditStore, canonicalJson, type AuditEntry, type AuditFilter, type AuditVerification, type ChainMode } from '../audit/index.js';
import { interpolateEnv } from '../config/interpolate.js';
import { ConfigError, type ConfigProblem } from '../errors.js';
import { asOutputError, PrivateFile } from './private-file.js';
import { showKey } from '../db/row-key.js';

/** What the audit commands need from the data map, and nothing else. */
export interface AuditSettings {
  /** The data map file. */
  file: string;
  auditPath: string;
  key?: string;
}

/**
 * audit.path and secrets.key from the data map. Problems elsewhere in the map (an unset
 * ${DATABASE_URL}, a table the auditor does not care about) are not the auditor's to fix,
 * so only problems in those two sections stop the command.
 */
export async function readAuditSettings(configPath: string, env: NodeJS.ProcessEnv): Promise<AuditSettings> {
  const file = path.resolve(configPath);
  const quick = await quickAuditSettings(file, env);
  if (quick) return quick;
  // Anything unusual (a file that cannot be read, YAML js-yaml refuses, a section of the wrong
  // shape): the whole map's reader, which says what is wrong as every command does.
  const [{ readDataMap }, { isKeyStrengthProblem }] = await Promise.all([import('../config/load.js'), import('../config/data-map.js')]);
  const { map, problems } = await readDataMap(file, env);
  // A weak key still verifies the trail it keyed: reading is not refused for it (writing is).
  const own = problems.filter((p) => concernsAudit(p.path) && !isKeyStrengthProblem(p));
  if (own.length > 0) throw new ConfigError(file, own);
  if (map) return { file: map.file, auditPath: map.auditPath, ...(map.key ? { key: map.key } : {}) };
  // readDataMap builds no map when any part has the wrong shape (for instance a database URL
  // from an unset variable), so the two sections are read on their own.
  return readAuditSections(file, env);
}

/**
 * The two sections read directly, for an ordinary map: the audit commands then load neither
 * the map's schema (zod) nor the YAML document model, which were most of their start-up time.
 * Undefined when anything is out of the ordinary; the caller then reads the map in full.
 */
async function quickAuditSettings(file: string, env: NodeJS.ProcessEnv): Promise<AuditSettings | undefined> {
  let root: unknown;
  try {
    root = jsYaml.load(await readFile(file, 'utf8'), { schema: jsYaml.CORE_SCHEMA });
  } catch {
    return undefined;
  }
  if (root === null || typeof root !== 'object' || Array.isArray(root)) return undefined;
  const problems: ConfigProblem[] = [];
  const raw = root as Record<string, unknown>;
  const audit = interpolateEnv(raw.audit ?? { path: DEFAULT_AUDIT_PATH }, env, problems, ['audit']);
  const secrets = interpolateEnv(raw.secrets ?? {}, env, problems, ['secrets']);
  if (problems.length > 0 || !onlyStrings(audit, ['path']) || !onlyStrings(secrets, ['key'])) return undefined;
  const auditPath = (audit as { path?: string }).path ?? DEFAULT_AUDIT_PATH;
  const key = (secrets as { key?: string }).key;
  if (auditPath === '') return undefined;
  return { file, auditPath: path.isAbsolute(auditPath) ? auditPath : path.resolve(path.dirname(file), auditPath), ...(key ? { key } : {}) };
}

/** The map's default for audit.path (config/schema.ts says the same). */
const DEFAULT_AUDIT_PATH = './.lethe/audit.db';

/** A mapping whose members are among `allowed`, each a string. */
function onlyStrings(value: unknown, allowed: string[]): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.entries(value).every(([name, member]) => allowed.includes(name) && typeof member === 'string');
}

/** Opens the audit store for reading only; it never connects to the database. */
export async function openAuditTrail(configPath: string, env: NodeJS.ProcessEnv): Promise<AuditStore> {
  const settings = await readAuditSettings(configPath, env);
  return AuditStore.open(settings.auditPath, { readOnly: true, ...(settings.key ? { key: settings.key } : {}) });
}

function concernsAudit(problemPath: string): boolean {
  return /^(audit|secrets)(\.|$)/.test(problemPath);
}

async function readAuditSections(file: string, env: NodeJS.ProcessEnv): Promise<AuditSettings> {
  const [{ parseDocument }, { dataMapSchema }] = await Promise.all([import('yaml'), import('../config/schema.js')]);
  const document = parseDocument(await readFile(file, 'utf8'), { uniqueKeys: true });
  const [yamlError] = document.errors;
  if (yamlError) throw new ConfigError(file, [{ path: '', message: `not valid YAML: ${yamlError.message.split('\n')[0]}` }]);
  let root: unknown;
  try {
    root = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new ConfigError(file, [
      { path: '', message: `not a usable data map: ${(error as Error).message.split('\n')[0]} (YAML aliases that expand too far)` },
    ]);
  }
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    throw new ConfigError(file, [{ path: '', message: 'the data map must be a mapping of sections (database, audit, secrets, ...)' }]);
  }
  const raw = root as Record<string, unknown>;
  const problems: ConfigProblem[] = [];
  const audit = dataMapSchema.shape.audit.safeParse(interpolateEnv(raw.audit, env, problems, ['audit']));
  const secrets = dataMapSchema.shape.secrets.safeParse(interpolateEnv(raw.secrets, env, problems, ['secrets']));
  for (const [section, parsed] of [
    ['audit', audit],
    ['secrets', secrets],
  ] as const) {
    if (parsed.success) continue;
    for (const issue of parsed.error.issues) problems.push({ path: [section, ...issue.path.map(String)].join('.'), message: issue.message });
  }
  if (problems.length > 0 || !audit.success || !secrets.success) throw new ConfigError(file, problems);
  const dir = path.dirname(file);
  return {
    file,
    auditPath: path.isAbsolute(audit.data.path) ? audit.data.path : path.resolve(dir, audit.data.path),
    ...(secrets.data.key ? { key: secrets.data.key } : {}),
  };
}

/**
 * `--since` and `--until`: a day (YYYY-MM-DD, UTC) or an ISO 8601 time (UTC when it names
 * no zone). A day given to `until` includes that whole day, so `--since 2026-01-01 --until
 * 2026-12-31` is the year 2026; a time given to `until` is exclusive. Undefined when the
 * text is neither.
 */
export function parseAuditTime(text: string, bound: 'since' | 'until'): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  // Date.parse rolls 2026-02-30 over to March; a calendar day that does not exist is a typo.
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (calendar.getUTCFullYear() !== Number(year) || calendar.getUTCMonth() !== Number(month) - 1 || calendar.getUTCDate() !== Number(day)) return undefined;
  if (hour === undefined) {
    if (bound === 'until') calendar.setUTCDate(calendar.getUTCDate() + 1);
    return calendar;
  }
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return undefined;
  const iso = `${year}-${month}-${day}T${hour}:${minute}:${second ?? '00'}${fraction ?? ''}${normaliseZone(zone)}`;
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

function normaliseZone(zone: string | undefined): string {
  if (!zone || zone.toUpperCase() === 'Z') return 'Z';
  return zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
}

/**
 * The CSV export's columns, in order. This header is a contract with the auditors'
 * spreadsheets and scripts: add columns at the end, never rename or reorder them.
 */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'operator',
  'command',
  'action',
  'phase',
  'outcome',
  'dry_run',
  'request_id',
  'intent_id',
  'subject_type',
  'subject_key',
  'tables',
  'rows',
  'keys',
  'columns',
  'detail',
  'prev_hash',
  'hash',
  'database',
  'database_id',
] as const;

export type AuditCsvColumn = (typeof AUDIT_CSV_COLUMNS)[number];
export type AuditCsvRecord = Record<AuditCsvColumn, string | number>;

/** Spreadsheets refuse longer cells (Excel's limit is 32,767 characters); the JSON export has every key. */
export const MAX_KEYS_CELL = 32_000;

/** One entry as one CSV row: flat text cells and whole numbers, times in ISO 8601 UTC. */
export function auditCsvRecord(entry: AuditEntry): AuditCsvRecord {
  const tables = Object.entries(entry.tables);
  return {
    id: entry.id,
    at: entry.at,
    operator: entry.operator,
    command: entry.command,
    action: entry.action,
    phase: entry.phase,
    outcome: entry.outcome ?? '',
    dry_run: entry.dryRun ? 'true' : 'false',
    request_id: entry.requestId,
    intent_id: entry.intentId ?? '',
    subject_type: entry.subject?.name ?? '',
    subject_key: entry.subject ? (Array.isArray(entry.subject.key) ? showKey(entry.subject.key) : entry.subject.key) : '',
    tables: tables.map(([table, record]) => `${table}:${record.action}:${record.rows}`).join('; '),
    rows: tables.reduce((n, [, record]) => n + record.rows, 0),
    keys: capKeysCell(
      tables
        .flatMap(([table, record]) => {
          if (record.keys?.length) return [`${table}: ${record.keys.map(showKey).join(',')}`];
          if (record.keyRange)
            return [`${table}: ${showKey(record.keyRange[0])}..${showKey(record.keyRange[1])}${record.keyDigest ? ` sha256=${record.keyDigest}` : ''}`];
          return [];
        })
        .join('; '),
    ),
    columns: tables
      .filter(([, record]) => record.columns?.length)
      .map(([table, record]) => `${table}: ${record.columns!.join(',')}`)
      .join('; '),
    detail: entry.detail ? canonicalJson(entry.detail) : '',
    prev_hash: entry.prevHash,
    hash: entry.hash,
    database: entry.database?.label ?? '',
    database_id: entry.database?.id ?? '',
  };
}

function capKeysCell(text: string): string {
  if (text.length <= MAX_KEYS_CELL) return text;
  const cut = text.slice(0, MAX_KEYS_CELL);
  // End on a whole key, then say that the list goes on.
  return `${cut.slice(0, Math.max(cut.lastIndexOf(','), cut.lastIndexOf(';'), 0))} … (cut: the JSON export has every key)`;
}

export type AuditExportFormat = 'csv' | 'json';

export interface AuditExportOptions {
  format: AuditExportFormat;
  filter?: AuditFilter;
}

/**
 * Streams the matching entries to `destination` in id order: CSV with the header above, or
 * JSON lines (one entry per line, exactly as stored, so its hash can be recomputed).
 * Entries are read a page at a time, so memory stays flat however long the trail is.
 * `end: false` leaves the destination open (standard output).
 */
export async function writeAuditExport(store: AuditStore, destination: Writable, options: AuditExportOptions & { end?: boolean }): Promise<number> {
  let count = 0;
  const csv = options.format === 'csv';
  const records = Readable.from(
    (function* () {
      for (const entry of store.iterate(options.filter ?? {})) {
        count += 1;
        yield csv ? auditCsvRecord(entry) : entry;
      }
    })(),
  );
  // csv-stringify only for a CSV export: the other audit commands start without it.
  const encoder = csv
    ? (await import('csv-stringify')).stringify({
        header: true,
        columns: [...AUDIT_CSV_COLUMNS],
        // RFC 4180 line ends; formulas (=, +, -, @, tab, CR at the start of a text cell) get a leading apostrophe.
        record_delimiter: 'windows',
        escape_formulas: true,
      })
    : new Transform({
        writableObjectMode: true,
        transform(entry: AuditEntry, _encoding, done) {
          done(null, `${JSON.stringify(entry)}\n`);
        },
      });
  await pipeline(records, encoder, destination, { end: options.end ?? true });
  return count;
}

/**
 * Writes the export to a file created 0600 (it holds primary keys), as a private file: under
 * a temporary name beside it, put in place when complete, so a failed export leaves no half
 * file and an existing file of looser mode is replaced, not reused. An existing file is
 * replaced only with `replace` (--force), a symbolic link never.
 */
export async function exportAuditTrailToFile(store: AuditStore, file: string, options: AuditExportOptions & { replace?: boolean }): Promise<number> {
  const target = path.resolve(file);
  const output = await PrivateFile.create(target, { replace: Boolean(options.replace), directoryHint: 'Give a file name, or - for standard output.' });
  let count: number;
  try {
    count = await writeAuditExport(store, output.createWriteStream(), options);
    await output.commit();
  } catch (error) {
    await output.discard();
    throw asOutputError(target, error);
  }
  return count;
}

export interface AuditTrailCheck {
  path: string;
  chain: ChainMode;
  verification: AuditVerification;
  /** Intents without an outcome: jobs killed before they finished, or still running. */
  interrupted: AuditEntry[];
  /** With an anchor: the entry whose hash it is, or null when no entry has it. */
  anchor?: { hash: string; entry: number | null };
}

/**
 * Walks the chain, and lists the jobs that never completed. An anchor (a last hash recorded
 * elsewhere earlier) must still be in the chain: that is what catches the newest entries
 * being removed, which leaves a shorter chain that is itself intact.
 */
export function checkAuditTrail(store: AuditStore, options: { anchor?: string } = {}): AuditTrailCheck {
  const verification = store.verify();
  const check: AuditTrailCheck = { path: store.path, chain: store.chainMode, verification, interrupted: store.interruptedJobs() };
  if (options.anchor !== undefined) {
    const hash = options.anchor.trim().toLowerCase();
    check.anchor = { hash, entry: store.findByHash(hash)?.id ?? null };
  }
  return check;
}

/** Intact: the chain holds and, when an anchor was given, it is in the chain. */
export function auditTrailIntact(check: AuditTrailCheck): boolean {
  return check.verification.ok && (check.anchor === undefined || check.anchor.entry !== null);
}
