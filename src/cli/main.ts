import { Command, CommanderError, Option } from 'commander';
import { errorCodeOf, ExitCode, LetheError, type ErrorDocument } from '../errors.js';
import type { CliContext } from './context.js';
import { prepareColour, type Streams } from './terminal/terminal.js';
import { VERSION } from './version.js';

/**
 * Each command's definition (options, help), imported when the command line names it, or
 * all of them for the help; a definition's action imports what the command runs. So --help,
 * --version and each command load only what they use (see bench/startup.ts).
 */
const COMMANDS: Record<string, () => Promise<(context: CliContext) => Command>> = {
  init: async () => (await import('./commands/init.js')).initCommand,
  check: async () => (await import('./commands/check.js')).checkCommand,
  find: async () => (await import('./commands/find.js')).findCommand,
  anonymize: async () => (await import('./commands/anonymize.js')).anonymizeCommand,
  sweep: async () => (await import('./commands/sweep.js')).sweepCommand,
  export: async () => (await import('./commands/export.js')).exportCommand,
  reapply: async () => (await import('./commands/reapply.js')).reapplyCommand,
  suppressed: async () => (await import('./commands/suppressed.js')).suppressedCommand,
  audit: async () => (await import('./commands/audit.js')).auditCommand,
  detect: async () => (await import('./commands/detect.js')).detectCommand,
};

/** Options of the program that take a value: what follows them is not a command name. */
const PROGRAM_OPTIONS_WITH_VALUES = new Set(['-c', '--config', '--operator']);

/**
 * The commands to define for this command line: the one it names; none when it only asks for
 * the version; every one otherwise (the help, a typo that commander suggests a name for).
 */
function commandsFor(argv: string[]): string[] {
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--') break;
    if (arg.startsWith('-')) {
      if (PROGRAM_OPTIONS_WITH_VALUES.has(arg)) i += 1;
      continue;
    }
    return Object.hasOwn(COMMANDS, arg) ? [arg] : Object.keys(COMMANDS);
  }
  const onlyVersion = args.some((a) => a === '-V' || a === '--version') && !args.some((a) => a === '-h' || a === '--help');
  return onlyVersion ? [] : Object.keys(COMMANDS);
}

export async function createProgram(context: CliContext, argv: string[]): Promise<Command> {
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

Exit codes: 0 done, 1 failed, 2 usage or configuration error, or refused (nothing changed),
3 partly done, 4 nothing matched, 5 another job holds the lock (nothing done), 130 cancelled
or interrupted. Each command's --help says what they mean for it. With --json, a failure is
one document on stdout: {"error": {"code", "message", "hint"}}; see the README.`,
    );
  const definitions = await Promise.all(commandsFor(argv).map((name) => COMMANDS[name]!()));
  for (const define of definitions) {
    program.addCommand(define(context).exitOverride().configureOutput({
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
  try {
    await prepareColour(streams, env, argv);
    const program = await createProgram(context, argv);
    await program.parseAsync(argv);
    if (controller.signal.aborted && exitCode === ExitCode.ok) exitCode = ExitCode.interrupted;
    return exitCode;
  } catch (error) {
    return await report(error, streams, { debug: optionGiven(argv, '--debug'), json: optionGiven(argv, '--json') }, env);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * The one handler: a failure becomes one or two plain sentences on stderr and its exit
 * code; under --json also one document on stdout, `{"error": {"code", "message", "hint"}}`,
 * so that a cron job's output is always JSON and its stderr stays empty unless it failed.
 */
async function report(error: unknown, streams: Streams, options: { debug: boolean; json: boolean }, env: NodeJS.ProcessEnv): Promise<number> {
  const { debug, json } = options;
  const document = (body: ErrorDocument, result: Record<string, unknown> = {}) => {
    // Keys may be BigInt (a PostgreSQL bigint): as text.
    if (json) streams.stdout.write(`${JSON.stringify({ ...result, error: body }, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`);
  };
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help/version it was asked for).
    if (error.exitCode === 0) return ExitCode.ok;
    document(commanderErrorDocument(error));
    return ExitCode.usage;
  }
  // Loaded here, not up front: --help and --version print without it.
  const { Terminal } = await import('./terminal/terminal.js');
  const terminal = new Terminal({ json: false, quiet: false, color: !process.argv.includes('--no-color'), input: false, debug }, streams, env);
  if (error instanceof LetheError) {
    document(error.toJSON(), error.result);
    terminal.error(error.message, error.hint);
    if (debug && error.cause instanceof Error) streams.stderr.write(`${withoutPasswords(error.cause.stack ?? error.cause.message)}\n`);
    return error.exitCode;
  }
  // An unexpected error may carry driver text that quotes personal data: the message is shown only with --debug.
  const code = (error as { code?: unknown } | null)?.code;
  const message = `lethe failed unexpectedly${typeof code === 'string' ? ` (${code})` : ''}.`;
  const hint = debug ? undefined : 'Run again with --debug to see the details.';
  document({ code: errorCodeOf(error), message, hint: hint ?? null });
  terminal.error(message, hint);
  if (debug) streams.stderr.write(`${withoutPasswords((error as Error).stack ?? String(error))}\n`);
  return ExitCode.failed;
}

/** Commander's own errors (an unknown option, a missing argument, no command) as a usage error. */
function commanderErrorDocument(error: CommanderError): ErrorDocument {
  const message = error.code === 'commander.help' ? 'No command given.' : error.message.replace(/^error: /, '');
  return { code: 'usage', message: message.charAt(0).toUpperCase() + message.slice(1), hint: 'Run with --help for usage.' };
}

/** An option on the command line before `--` (read before commander has parsed it, so that its own errors follow --json too). */
function optionGiven(argv: string[], option: string): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes(option);
}

/** Driver errors can quote a connection URL; --debug shows them, but never the password in it. */
function withoutPasswords(text: string): string {
  return text.replace(/(\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@');
}
