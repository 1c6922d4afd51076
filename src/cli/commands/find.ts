import { Command } from 'commander';
import { z } from 'zod';
import { findPerson } from '../../core/find.js';
import { globalsOf, terminalFor, withSession, type CliContext } from '../context.js';
import { findResultJson, formatFindResult } from '../format/find.js';
import { parseOptions } from '../parse-options.js';

const findOptions = z.object({
  by: z.string().optional(),
  subject: z.string().optional(),
});

export function findCommand(context: CliContext): Command {
  return new Command('find')
    .description('Show everything held about a person, across all mapped tables.')
    .argument('<value>', 'an identifier of the person: e-mail, phone, id, ...')
    .option('--by <name>', 'compare the value with this identifier only (e.g. email, phone, id)')
    .option('--subject <name>', 'the kind of person, when the map defines several')
    .addHelpText(
      'after',
      `
Examples:
  $ lethe find jane.doe@example.com
  $ lethe find "+44 20 7946 0958" --json
  $ lethe find 1 --by id

Exit codes: 0 found, 2 several people match (use --by), 4 nothing matched.`,
    )
    .action(async (value: string, raw: unknown, command: Command) => {
      const options = parseOptions(findOptions, raw);
      const globals = globalsOf(command);
      const terminal = terminalFor(context, globals);
      await withSession(context, globals, terminal, async (session) => {
        const spinner = terminal.spinner('Looking up…');
        try {
          const result = await findPerson(session, value, options);
          spinner.stop();
          if (globals.json) terminal.json(findResultJson(result));
          else terminal.result(formatFindResult(result, terminal.palette));
        } finally {
          spinner.stop();
        }
      });
    });
}
