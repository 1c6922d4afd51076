import { errorCodeOf, ExitCode, LetheError, type ErrorDocument } from '../errors.js';
import type { CliContext } from './context.js';
import { commandsFor } from './command-line.js';
import { prepareColour, type Streams } from './terminal/terminal.js';

/** Runs lethe with argv and returns the exit code; the one place errors become messages. */
export async function main(
  argv: string[],
  streams: Streams = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
  env = process.env,
): Promise<number> {
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
    // The audit commands' usual lines are parsed without commander (a third of an auditor's
    // start-up); anything else, help and every mistake included, goes to commander.
    const named = commandsFor(argv);
    const direct = named.length === 1 && named[0] === 'audit' ? (await import('./commands/audit-line.js')).auditRun(context, argv) : undefined;
    if (direct) await direct();
    else {
      const { createProgram } = await import('./program.js');
      await (await createProgram(context, argv)).parseAsync(argv);
    }
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
    if (json)
      streams.stdout.write(
        `${JSON.stringify({ ...result, error: body }, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`,
      );
  };
  if (isCommanderError(error)) {
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

/** Commander's own errors (checked by shape: commander is not loaded when it did not parse the line). */
interface CommanderError {
  name: string;
  code: string;
  exitCode: number;
  message: string;
}

function isCommanderError(error: unknown): error is CommanderError {
  const { code, exitCode } = (error ?? {}) as Partial<CommanderError>;
  return error instanceof Error && typeof code === 'string' && code.startsWith('commander.') && typeof exitCode === 'number';
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
