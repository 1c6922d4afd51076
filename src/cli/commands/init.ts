import { Command } from 'commander';
import { describeDatabaseClients } from '../../database-clients.js';
import { type CliContext, globalsOf } from '../context.js';

// init/draft.ts's DEFAULT_SAMPLE_SIZE, written out so that --help does not load the drafting
// code and the detectors; test/cli/startup-imports.test.ts keeps the two equal.
const DEFAULT_SAMPLE_SIZE = 100;

export function initCommand(context: CliContext): Command {
  return new Command('init')
    .description('Write a first-draft data map for an existing database, from its schema and a sample of its data.')
    .requiredOption('--client <client>', describeDatabaseClients())
    .requiredOption('--connection <url>', 'a SQLite file, or postgres://... / mysql://...')
    .option('--out <file>', 'where to write the map', 'lethe.yml')
    .option('--sample <n>', `rows read per table to judge the columns (0: names only)`, String(DEFAULT_SAMPLE_SIZE))
    .option('--force', 'overwrite the file if it exists')
    .addHelpText(
      'after',
      `
init reads the tables, keys, foreign keys and constraints, and up to --sample rows of each
table: a column is personal by its name (email, phone, nom, strasse, birth, iban, ip, ...) or
by what the detectors find in its values. Each column gets a strategy that fits its type and
constraints, or keep, with a comment saying why. No sampled value is written or printed.
A password in the connection URL is never written: the map then reads \${DATABASE_URL}.

Examples:
  $ lethe init --client sqlite --connection ./app.db
  $ lethe init --client postgres --connection postgres://dpo@db.internal/app --out lethe.yml
  $ LETHE_KEY=... lethe check && lethe anonymize jane@example.com --dry-run

Exit codes: 0 written, 1 database error, 2 usage (e.g. the file exists without --force).`,
    )
    .action(async (raw: unknown, command: Command) => {
      const { runInit } = await import('./init-run.js');
      await runInit(context, raw, globalsOf(command));
    });
}
