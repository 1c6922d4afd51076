import { Command } from 'commander';
import { type CliContext, globalsOf } from '../context.js';

export function findCommand(context: CliContext): Command {
  return new Command('find')
    .description('Show everything held about a person, across all mapped tables; or search records by keyword (--text).')
    .argument('[value]', 'an identifier of the person: e-mail, phone, id, ...')
    .option('--by <name>', 'compare the value with this identifier only (e.g. email, phone, id)')
    .option('--subject <name>', 'the kind of person, when the map defines several')
    .option('--scan', 'discovery: sample every text column of every table and report the personal data found, flagging what the map does not declare')
    .option('--sample <n>', 'with --scan: rows read per column (default 1000)')
    .option('--show-values', 'with --scan: also print up to three of the values found per column; with --text: show contexts unmasked')
    .option('--text <words>', 'keyword search: records whose mapped text holds every word (an order number, an e-mail, "a phrase")')
    .option('--table <name>', 'with --text: search this mapped table only')
    .option('--since <date>', 'with --text: records whose retention.timestamp is at or after this day or time (YYYY-MM-DD or ISO 8601, UTC)')
    .option('--until <date>', 'with --text: up to and including this day, or before this time')
    .option(
      '--where <column=value>',
      'with --text: only records whose kept column has this value (case-insensitive for text); repeatable',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--limit <n>', 'with --text: list at most this many records (default 100)')
    .addHelpText(
      'after',
      `
Examples:
  $ lethe find jane.doe@example.com
  $ lethe find "+44 20 7946 0958" --json
  $ lethe find 1 --by id
  $ lethe find --scan --sample 5000
  $ lethe find --text "ORD-10042"
  $ lethe find --text "refund damaged" --since 2026-01-01 --where agent_name=Sam --json

Exit codes: 0 found, 1 failed (e.g. the database cannot be reached), 2 bad options, configuration
error or several people of one kind match (use --by), 4 nothing matched. Without --subject every
kind of person in the map is searched; a value that names people of several kinds shows each.

--text lists records, one a line (table, key, time, column, context), with the words masked
(•••) and what the detectors recognise in the context replaced ([EMAIL], [PHONE]...) unless
--show-values is given. It exits 4 when no record holds every word.`,
    )
    .action(async (value: string | undefined, raw: unknown, command: Command) => {
      const { runFind } = await import('./find-run.js');
      await runFind(context, value, raw, globalsOf(command));
    });
}
