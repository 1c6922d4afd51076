import { Command, CommanderError, Option } from 'commander';
import { ExitCode, LetheError } from '../errors.js';
import { anonymizeCommand } from './commands/anonymize.js';
import { auditCommand } from './commands/audit.js';
import { checkCommand } from './commands/check.js';
import { detectCommand } from './commands/detect.js';
import { exportCommand } from './commands/export.js';
import { findCommand } from './commands/find.js';
import { initCommand } from './commands/init.js';
import { reapplyCommand } from './commands/reapply.js';
import { sweepCommand } from './commands/sweep.js';
import type { CliContext } from './context.js';
import { Terminal, type Streams } from './terminal/terminal.js';
import { VERSION } from './version.js';

export function createProgram(context: CliContext): Command {
  const program = new Command('lethe')
    .description('GDPR jobs against a relational database: find, anonymize, sweep, export, with a tamper-evident audit trail of all of it.')
    .version(VERSION, '-V, --version')
    .option('-c, --config <path>', 'the data map (default: $LETHE_CONFIG or ./lethe.yml)')
    .option('--operator <name>', 'who is acting, for the audit trail (default: $LETHE_OPERATOR or the OS user)')
    .option('--json', 'print one JSON document on stdout')
    .option('-q, --quiet', 'print only results and errors')
    .option('--no-input', 'never prompt; irreversible steps then need --yes')
    .option('--no-color', 'no colour (also NO_COLOR, or when not a terminal)')
    .addOption(new Option('--debug', 'show stack traces on errors'))
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => context.streams.stdout.write(s),
      writeErr: (s) => context.streams.stderr.write(s),
    })
    .addHelpText(
      'after',
      `
Examples:
  $ lethe --config fixtures/demo/lethe.yml find jane.doe@example.com
  $ lethe anonymize jane.doe@example.com --dry-run
  $ lethe anonymize --from requests.csv --yes --operator dpo@example.com
  $ lethe sweep --yes --json          # the nightly retention job, from cron

Exit codes: 0 done, 1 failed, 2 usage or configuration error (nothing changed),
3 partly done, 4 nothing matched, 130 cancelled or interrupted.`,
    );
  for (const command of [initCommand(context), checkCommand(context), findCommand(context), anonymizeCommand(context), sweepCommand(context), exportCommand(context), reapplyCommand(context), auditCommand(context), detectCommand(context)]) {
    program.addCommand(command.exitOverride().configureOutput({
      writeOut: (s) => context.streams.stdout.write(s),
      writeErr: (s) => context.streams.stderr.write(s),
    }).showHelpAfterError('(run with --help for usage)'));
  }
  return program;
}

/** Runs lethe with argv and returns the exit code; the one place errors become messages. */
export async function main(argv: string[], streams: Streams = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }, env = process.env): Promise<number> {
  const controller = new AbortController();
  let exitCode: number = ExitCode.ok;
  const context: CliContext = { streams, env, signal: controller.signal, setExitCode: (code) => (exitCode = code) };
  let signals = 0;
  const onSignal = () => {
    signals += 1;
    // The first signal asks the job to stop at a safe point; a second one means now.
    if (signals > 1) process.exit(ExitCode.interrupted);
    controller.abort();
    streams.stderr.write('\nInterrupted: stopping at the next safe point (press Ctrl-C again to quit now).\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const program = createProgram(context);
  try {
    await program.parseAsync(argv);
    if (controller.signal.aborted && exitCode === ExitCode.ok) exitCode = ExitCode.interrupted;
    return exitCode;
  } catch (error) {
    return report(error, streams, argv.includes('--debug'), env);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function report(error: unknown, streams: Streams, debug: boolean, env: NodeJS.ProcessEnv): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help/version it was asked for).
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  const terminal = new Terminal({ json: false, quiet: false, color: !process.argv.includes('--no-color'), input: false, debug }, streams, env);
  if (error instanceof LetheError) {
    terminal.error(error.message, error.hint);
    if (debug && error.cause instanceof Error) streams.stderr.write(`${withoutPasswords(error.cause.stack ?? error.cause.message)}\n`);
    return error.exitCode;
  }
  // An unexpected error may carry driver text that quotes personal data: the message is shown only with --debug.
  const code = (error as { code?: unknown }).code;
  terminal.error(
    `lethe failed unexpectedly${typeof code === 'string' ? ` (${code})` : ''}.`,
    debug ? undefined : 'Run again with --debug to see the details.',
  );
  if (debug) streams.stderr.write(`${withoutPasswords((error as Error).stack ?? String(error))}\n`);
  return ExitCode.failed;
}

/** Driver errors can quote a connection URL; --debug shows them, but never the password in it. */
function withoutPasswords(text: string): string {
  return text.replace(/(\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@');
}
