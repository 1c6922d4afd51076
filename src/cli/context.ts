import path from 'node:path';
import type { Command } from 'commander';
import type { Session } from '../core/session.js';
import { Terminal, type Streams } from './terminal/terminal.js';

/** Options every command accepts (declared once on the program). */
export interface GlobalOptions {
  config?: string;
  operator?: string;
  json?: boolean;
  quiet?: boolean;
  input: boolean;
  color: boolean;
  debug?: boolean;
}

/** What the program hands to each command: where to write, the environment, and how to report the exit code. */
export interface CliContext {
  streams: Streams;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM; jobs stop at the next safe point. */
  signal: AbortSignal;
  setExitCode(code: number): void;
}

export function globalsOf(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

export function terminalFor(context: CliContext, globals: GlobalOptions): Terminal {
  return new Terminal(
    { json: Boolean(globals.json), quiet: Boolean(globals.quiet), color: globals.color, input: globals.input, debug: Boolean(globals.debug) },
    context.streams,
    context.env,
  );
}

export function configPathOf(globals: GlobalOptions, env: NodeJS.ProcessEnv): string {
  return path.resolve(globals.config ?? env.LETHE_CONFIG ?? 'lethe.yml');
}

/**
 * Opens a checked session, shows the map's warnings, runs the job, and always closes the
 * connections. A refusal of the core gets the CLI's hint (src/cli/flag-hints.ts).
 */
export async function withSession<T>(context: CliContext, globals: GlobalOptions, terminal: Terminal, job: (session: Session) => Promise<T>): Promise<T> {
  // The core, the drivers and the detectors load only when a command opens a session.
  const { openSession } = await import('../core/session.js');
  const session = await openSession({
    configPath: configPathOf(globals, context.env),
    env: context.env,
    signal: context.signal,
    ...(globals.operator ? { operator: globals.operator } : {}),
  });
  try {
    for (const warning of session.warnings) terminal.warn(`${warning.path}: ${warning.message}`);
    return await job(session);
  } catch (error) {
    const { inCliTerms } = await import('./flag-hints.js');
    throw inCliTerms(error, { debug: Boolean(globals.debug) });
  } finally {
    terminal.flushWarnings();
    await session.close();
  }
}
