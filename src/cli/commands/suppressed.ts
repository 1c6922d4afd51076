import { Command } from 'commander';
import { type CliContext, globalsOf } from '../context.js';

export function suppressedCommand(context: CliContext): Command {
  return new Command('suppressed')
    .description(
      'Is this address on a suppression list? (People who opted out and were anonymized leave a keyed hash of it.) Reads only the audit store, never the database.',
    )
    .argument('[value]', 'an e-mail address or phone number, as typed')
    .option('--from <file>', 'many values: one per line, or a CSV whose header names the column; - reads stdin')
    .option('--column <name>', 'with --from: the CSV column holding the values (default: email, phone, ... whichever the header has)')
    .option('--subject <name>', "only this kind of person's list")
    .addHelpText(
      'after',
      `
Examples:
  $ lethe suppressed jane.doe@example.com          # exit 0: suppressed, 4: not
  $ lethe suppressed --from upload.csv             # each value, then yes or no
  $ cut -d, -f2 upload.csv | lethe suppressed --from - --json

Exit codes: 0 suppressed (with --from: at least one value is), 4 not suppressed (none is),
1 failed (no audit store, a wrong key), 2 bad options or configuration. The values are compared
as lethe normalises them (e-mails trimmed and lowercased, phones as E.164 or their digits) and
are never written anywhere: the audit trail records how many were asked and how many matched.`,
    )
    .action(async (value: string | undefined, raw: unknown, command: Command) => {
      const { runSuppressed } = await import('./suppressed-run.js');
      await runSuppressed(context, value, raw, globalsOf(command));
    });
}
