import { Command } from 'commander';
import { type CliContext, globalsOf } from '../context.js';

export function anonymizeCommand(context: CliContext): Command {
  return new Command('anonymize')
    .description('Anonymize a person (or, with --record, one record and what belongs to it) irreversibly, after showing the plan and asking for confirmation.')
    .argument('[value]', 'an identifier of the person (or use --from for many)')
    .option('--by <name>', 'compare the value with this identifier only (e.g. email, phone, id)')
    .option('--subject <name>', 'the kind of person, when the map defines several')
    .option('--from <file>', 'anonymize many people: one value per line, or a CSV whose header names the identifier; - reads stdin')
    .option(
      '--record <table:key>',
      'anonymize one record and the rows that belong to it, not the person (e.g. conversations:42; a key of several columns: table:a,b)',
    )
    .option('--records <file>', 'anonymize many records: one table:key per line; - reads stdin')
    .option('--dry-run', 'print the plan and change nothing')
    .option('-y, --yes', 'confirm without asking (required where stdin is not a terminal)')
    .option('--mentions', "also redact the person's e-mail, phone and name where other people's free text mentions them")
    .option('--vacuum', 'afterwards, reclaim old row versions that still hold the old values (PostgreSQL VACUUM)')
    .addHelpText(
      'after',
      `
Examples:
  $ lethe anonymize jane.doe@example.com --dry-run
  $ lethe anonymize jane.doe@example.com
  $ lethe anonymize 1 --by id --yes
  $ lethe anonymize --from erasure-requests.csv --yes
  $ lethe anonymize --record conversations:42 --dry-run
  $ lethe anonymize --records conversations.txt --yes

Exit codes: 0 done, 1 failed (rolled back: nothing changed; with --from, everyone failed),
2 refused, bad input or several people match (nothing changed), 3 some people of a batch
failed (the others were applied), 4 nothing matched, 130 cancelled or interrupted (with
--from, the people done before it stay anonymized).`,
    )
    .action(async (value: string | undefined, raw: unknown, command: Command) => {
      const { runAnonymize } = await import('./anonymize-run.js');
      await runAnonymize(context, value, raw, globalsOf(command));
    });
}
