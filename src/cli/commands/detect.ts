import { Command } from 'commander';
import { detectorTypes } from '../../detect/detector-types.js';
import { type CliContext, globalsOf } from '../context.js';

export function detectCommand(context: CliContext): Command {
  return new Command('detect')
    .description('Find personal data in text read from standard input: e-mails, phones, IBANs, cards, IPs, names, addresses, national ids...')
    .option('--jsonl', 'one text per input line; one JSON object per output line: {"line", "spans": [{"type", "start", "end", "score", "text"}]}')
    .option('--types <list>', `only these types, comma-separated (${detectorTypes.join(', ')})`)
    .option('--purpose <purpose>', 'redact (what redact would anonymize: likely personal data too) or find (what is surely personal data) (default redact)')
    .option('--threshold <score>', "drop spans scoring below this, 0 to 1 (default: the purpose's, 0.3 for redact, 0.5 for find)")
    .addHelpText(
      'after',
      `
Examples:
  $ echo "mail jane@example.org or call +44 20 7946 0958" | lethe detect
  $ lethe detect --jsonl < messages.txt > spans.jsonl
  $ lethe detect --types EMAIL,IBAN < notes.txt
  $ lethe detect --purpose find < notes.txt        # only what is surely personal data

Offsets are UTF-16 code units, as JavaScript strings count them. The text itself is only
printed back to you (stdout); nothing is recorded.`,
    )
    .action(async (raw: unknown, command: Command) => {
      const { runDetect } = await import('./detect-run.js');
      await runDetect(context, raw, globalsOf(command));
    });
}
