import { z } from 'zod';
import { lookUpSuppressed, readSuppressedValues, type SuppressedAnswer } from '../../core/suppressed.js';
import { ExitCode, UsageError } from '../../errors.js';
import { configPathOf, terminalFor, type CliContext, type GlobalOptions } from '../context.js';
import { readListOption } from '../input.js';
import { parseOptions } from '../parse-options.js';

const suppressedOptions = z.object({
  from: z.string().min(1).optional(),
  column: z.string().min(1).optional(),
  subject: z.string().min(1).optional(),
});

/** `lethe suppressed`, loaded when it runs (suppressed.ts defines its options and help). */
export async function runSuppressed(context: CliContext, value: string | undefined, raw: unknown, globals: GlobalOptions): Promise<void> {
  const options = parseOptions(suppressedOptions, raw);
  const terminal = terminalFor(context, globals);
  if ((value === undefined) === (options.from === undefined)) {
    throw new UsageError(
      value === undefined ? 'Say what to look for: a value, or --from FILE.' : 'Give a value or --from, not both.',
      'Example: lethe suppressed jane.doe@example.com',
    );
  }
  if (options.column !== undefined && options.from === undefined) throw new UsageError('--column goes with --from.');
  const values =
    options.from === undefined
      ? [{ value: value! }]
      : readSuppressedValues(await readListOption('--from', options.from, context.streams.stdin), options.column);
  if (values.length === 0) throw new UsageError(`${options.from === '-' ? 'Standard input' : options.from} holds no values.`);
  const result = await lookUpSuppressed({
    configPath: configPathOf(globals, context.env),
    env: context.env,
    values,
    ...(globals.operator ? { operator: globals.operator } : {}),
    ...(options.subject ? { subject: options.subject } : {}),
  });
  const json = (answer: SuppressedAnswer) => ({
    ...(answer.line !== undefined ? { line: answer.line } : {}),
    value: answer.value,
    suppressed: answer.suppressed,
    subjects: answer.subjects,
  });
  if (options.from === undefined) {
    const [answer] = result.answers;
    if (globals.json) terminal.json(json(answer!));
    else terminal.result(`${answer!.value}\t${answer!.suppressed ? 'yes' : 'no'}`);
  } else {
    if (globals.json) terminal.json({ values: result.answers.length, suppressed: result.suppressed, results: result.answers.map(json) });
    else terminal.result(result.answers.map((a) => `${a.value}\t${a.suppressed ? 'yes' : 'no'}`).join('\n'));
    terminal.info(
      `${result.suppressed} of ${result.answers.length} value${result.answers.length === 1 ? ' is' : 's are'} suppressed. Audit entry ${result.auditEntry}.`,
    );
  }
  if (result.suppressed === 0) context.setExitCode(ExitCode.nothingMatched);
}
