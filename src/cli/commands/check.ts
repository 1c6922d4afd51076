import { Command } from 'commander';
import { type CliContext, globalsOf } from '../context.js';

export function checkCommand(context: CliContext): Command {
  return new Command('check')
    .description('Check the data map against the live database, writing nothing: what would break, what the map misses.')
    .option('--strict', 'fail on warnings too, e.g. a column the map does not mention (for CI after migrations)')
    .addHelpText(
      'after',
      `
Every command that reads or writes personal data runs the same checks first and stops
(exit 2) on errors. Warnings do not fail unless --strict; notes never do.

Examples:
  $ lethe check
  $ lethe check --strict --json     # in CI, after the migrations ran

Exit codes: 0 safe to run, 1 the database cannot be reached, 2 errors (or warnings with --strict).`,
    )
    .action(async (raw: unknown, command: Command) => {
      const { runCheck } = await import('./check-run.js');
      await runCheck(context, raw, globalsOf(command));
    });
}
