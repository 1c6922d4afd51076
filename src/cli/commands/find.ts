import { Command } from 'commander';
import { z } from 'zod';
import { findPeople } from '../../core/find.js';
import { globalsOf, terminalFor, withSession, type CliContext } from '../context.js';
import { findResultJson, formatFindResult, formatScan } from '../format/find.js';
import { scanDatabase } from '../../core/scan.js';
import { UsageError } from '../../errors.js';
import { parseOptions } from '../parse-options.js';

const findOptions = z.object({
  by: z.string().optional(),
  subject: z.string().optional(),
  scan: z.boolean().default(false),
  sample: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  showValues: z.boolean().default(false),
});

export function findCommand(context: CliContext): Command {
  return new Command('find')
    .description('Show everything held about a person, across all mapped tables.')
    .argument('[value]', 'an identifier of the person: e-mail, phone, id, ...')
    .option('--by <name>', 'compare the value with this identifier only (e.g. email, phone, id)')
    .option('--subject <name>', 'the kind of person, when the map defines several')
    .option('--scan', 'discovery: sample every text column of every table and report the personal data found, flagging what the map does not declare')
    .option('--sample <n>', 'with --scan: rows read per column (default 1000)')
    .option('--show-values', 'with --scan: also print up to three of the values found per column')
    .addHelpText(
      'after',
      `
Examples:
  $ lethe find jane.doe@example.com
  $ lethe find "+44 20 7946 0958" --json
  $ lethe find 1 --by id
  $ lethe find --scan --sample 5000

Exit codes: 0 found, 1 failed (e.g. the database cannot be reached), 2 bad options, configuration
error or several people of one kind match (use --by), 4 nothing matched. Without --subject every
kind of person in the map is searched; a value that names people of several kinds shows each.`,
    )
    .action(async (value: string | undefined, raw: unknown, command: Command) => {
      const options = parseOptions(findOptions, raw);
      const globals = globalsOf(command);
      const terminal = terminalFor(context, globals);
      if (options.scan) {
        if (value !== undefined) throw new UsageError('--scan looks at the whole database, not at one person: give no value with it.');
        await withSession(context, globals, terminal, async (session) => {
          const spinner = terminal.spinner('Scanning text columns…');
          let results;
          try {
            results = await scanDatabase(session, { sample: options.sample, showValues: options.showValues });
          } finally {
            spinner.stop();
          }
          if (globals.json) terminal.json({ sample: options.sample, columns: results });
          else terminal.result(formatScan(results, terminal.palette));
        });
        return;
      }
      if (value === undefined) throw new UsageError('Say who to look for: a value (e-mail, phone, id...), or --scan for the whole database.');
      await withSession(context, globals, terminal, async (session) => {
        const spinner = terminal.spinner('Looking up…');
        try {
          const results = await findPeople(session, value, { ...(options.by ? { by: options.by } : {}), ...(options.subject ? { subject: options.subject } : {}) });
          spinner.stop();
          // One person: the result itself, as always; several kinds of person: each, labelled by its subject.
          if (globals.json) terminal.json(results.length === 1 ? findResultJson(results[0]!) : { matches: results.map(findResultJson) });
          else terminal.result(results.map((result) => `${results.length > 1 ? `${terminal.palette.bold(`As ${result.subject.name}:`)}\n` : ''}${formatFindResult(result, terminal.palette)}`).join('\n\n'));
        } finally {
          spinner.stop();
        }
      });
    });
}
