/**
 * One error hierarchy for the whole tool. The CLI's single handler turns a LetheError
 * into one or two plain sentences on stderr and its exit code; anything else is a bug
 * and exits 1 (with a stack trace only under --debug).
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  partial: 3,
  nothingMatched: 4,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class LetheError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.failed,
    readonly hint?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A problem found in the data map; each carries the dot path it is at. */
export interface ConfigProblem {
  path: string;
  message: string;
}

export class ConfigError extends LetheError {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
    hint?: string,
  ) {
    super(
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the data map:\n` +
        problems.map((p) => `  - ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n'),
      ExitCode.usage,
      hint,
    );
  }
}

export class UsageError extends LetheError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
  }
}

export class NothingMatchedError extends LetheError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.nothingMatched, hint);
  }
}

export class DatabaseError extends LetheError {}

export class InterruptedError extends LetheError {
  constructor(message = 'Interrupted.') {
    super(message, ExitCode.interrupted);
  }
}
