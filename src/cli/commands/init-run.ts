import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { readDataMap } from '../../config/load.js';
import { DATABASE_CLIENTS, describeDatabaseClients } from '../../database-clients.js';
import { connectDatabase } from '../../db/connect.js';
import { checkMapAgainstSchema } from '../../core/check-map.js';
import { UsageError } from '../../errors.js';
import { DEFAULT_SAMPLE_SIZE, draftDataMap, type Draft } from '../../init/draft.js';
import { renderDraft } from '../../init/render.js';
import { terminalFor, type CliContext, type GlobalOptions } from '../context.js';
import { parseOptions } from '../parse-options.js';

const initOptions = z.object({
  client: z.enum(DATABASE_CLIENTS, { message: `--client must be ${describeDatabaseClients()}` }),
  connection: z.string().min(1),
  out: z.string().min(1).default('lethe.yml'),
  sample: z.coerce.number().int().min(0, '--sample must be 0 or more').default(DEFAULT_SAMPLE_SIZE),
  force: z.boolean().default(false),
});

/** `lethe init`, loaded when it runs (init.ts defines its options and help). */
export async function runInit(context: CliContext, raw: unknown, globals: GlobalOptions): Promise<void> {
  const options = parseOptions(initOptions, raw);
  const terminal = terminalFor(context, globals);
  const out = path.resolve(options.out);
  if (existsSync(out) && !options.force) {
    throw new UsageError(`${out} already exists; lethe init does not overwrite it.`, 'Use --force to replace it, or --out to write another file.');
  }
  const connection = options.client === 'sqlite' ? path.resolve(options.connection) : options.connection;
  const { database, reached } = await terminal.underSpinner('Reading the schema and sampling the data…', () =>
    connectDatabase({ client: options.client, connection }, ({ knex, dialect }) => draftDataMap(knex, dialect, { sampleSize: options.sample })),
  );
  await database.close();
  const { draft, schema } = reached;
  const written = mapConnection(options.client, connection, out);
  const text = renderDraft(draft, { client: options.client, connection: written.text, out, generatedAt: new Date() });
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, text, { flag: options.force ? 'w' : 'wx', mode: 0o644 });

  // The draft must pass lethe check as written; anything else is a bug worth showing.
  const { map, problems } = await readDataMap(out, {
    ...context.env,
    LETHE_KEY: context.env.LETHE_KEY || 'init-self-check-with-a-placeholder-key',
    DATABASE_URL: connection,
  });
  const live = map ? checkMapAgainstSchema(map, schema).problems : [];
  // Under --json the document lists them (problems).
  if (!globals.json) for (const problem of [...problems, ...live]) terminal.warn(`${problem.path}: ${problem.message}`);

  const personal = draft.tables.flatMap((t) => t.columns.filter((c) => c.personal).map((c) => `${t.name}.${c.name}`));
  if (globals.json) {
    terminal.json({
      file: out,
      // The first kind of person, as before several were drafted; subjects lists them all.
      subject: { name: draft.subject.name, table: draft.subject.table, identifiers: draft.subject.identifiers },
      subjects: draft.subjects.map((s) => ({ name: s.name, table: s.table, identifiers: s.identifiers, name_columns: s.nameColumns, reason: s.reason })),
      notices: draft.notices,
      tables: draft.tables.map((t) => ({
        name: t.name,
        sampled: t.sampled,
        ...(t.primaryKey !== undefined ? { primaryKey: t.primaryKey } : {}),
        ...(t.impersonal !== undefined ? { impersonal: t.impersonal } : {}),
        belongsTo: t.belongsTo,
        references: t.references,
        personal: t.columns.filter((c) => c.personal).map((c) => c.name),
        kept: t.columns.filter((c) => !c.personal).map((c) => c.name),
      })),
      skipped: draft.skipped,
      problems: [...problems, ...live],
    });
    return;
  }
  terminal.result(summary(out, draft, personal, written.needsUrl));
}

/** The connection as the map should hold it: never a password. */
function mapConnection(client: string, connection: string, out: string): { text: string; needsUrl: boolean } {
  if (client === 'sqlite') {
    const relative = path.relative(path.dirname(out), connection).split(path.sep).join('/');
    return { text: relative.startsWith('.') || path.isAbsolute(relative) ? relative : `./${relative}`, needsUrl: false };
  }
  // Anything that may carry a secret (a password in the URL or its query, a key=value string)
  // stays in the environment.
  try {
    const url = new URL(connection);
    const secretParameter = [...url.searchParams.keys()].some((name) => /pass|secret|key|token/i.test(name));
    if (!url.password && !secretParameter) return { text: connection, needsUrl: false };
  } catch {
    // Not a URL (e.g. a libpq key=value string): never copied.
  }
  return { text: '${DATABASE_URL}', needsUrl: true };
}

function summary(out: string, draft: Draft, personal: string[], needsUrl: boolean): string {
  const impersonal = draft.tables.filter((t) => t.impersonal !== undefined).map((t) => t.name);
  const references = draft.tables.flatMap((t) => t.references.map((r) => `${t.name}.${r.column} -> ${r.parent}`));
  return [
    `Wrote ${out}: ${draft.tables.length} table${draft.tables.length === 1 ? '' : 's'}, ${personal.length} personal column${personal.length === 1 ? '' : 's'}.`,
    ...draft.subjects.map((s) => `Subject ${s.name}: ${s.table} (found by ${s.identifiers.map((i) => i.column).join(', ')}); ${s.reason}.`),
    ...(references.length > 0 ? [`References to a person, not ownership (never followed by an erasure): ${references.join(', ')}.`] : []),
    ...(impersonal.length > 0 ? [`Holding nothing personal (marked impersonal): ${impersonal.join(', ')}.`] : []),
    ...draft.notices.map((notice) => `Note: ${notice}.`),
    ...(draft.skipped.length > 0 ? [`Not mapped: ${draft.skipped.map((s) => s.name).join(', ')} (see the end of the file).`] : []),
    '',
    'Review every column (each has a comment saying why), then:',
    '  export LETHE_KEY=$(openssl rand -hex 32)   # keep it in your secret store',
    ...(needsUrl ? ['  export DATABASE_URL=...                    # the connection URL; its password is not in the map'] : []),
    `  lethe --config ${path.relative(process.cwd(), out) || out} check`,
    `  lethe --config ${path.relative(process.cwd(), out) || out} anonymize <e-mail> --dry-run`,
  ].join('\n');
}
