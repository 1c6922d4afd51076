import { Command } from 'commander';
import { type CliContext, globalsOf } from '../context.js';

export function reapplyCommand(context: CliContext): Command {
  return new Command('reapply')
    .description('Erase again the people whose data came back (e.g. after a backup restore), found by their tombstones.')
    .option('--dry-run', 'list who came back and change nothing')
    .option('-y, --yes', 'confirm without asking (required where stdin is not a terminal)')
    .option('--subject <name>', 'only this kind of person')
    .option('--vacuum', 'afterwards, reclaim old row versions (PostgreSQL VACUUM)')
    .addHelpText(
      'after',
      `
Examples:
  $ lethe reapply --dry-run        # after restoring a backup: who came back?
  $ lethe reapply --yes

Exit codes: 0 done (or nobody came back), 1 everyone failed (each rolled back), 2 refused or bad
options (nothing changed), 3 some people failed (the others were erased again), 130 cancelled or
interrupted (the people done before it stay erased).`,
    )
    .action(async (raw: unknown, command: Command) => {
      const { runReapply } = await import('./reapply-run.js');
      await runReapply(context, raw, globalsOf(command));
    });
}
