/**
 * One error hierarchy for the whole tool. The CLI's single handler turns a LetheError
 * into one or two plain sentences on stderr (or, under --json, one JSON document on
 * stdout) and its exit code; anything else is a bug and exits 1 (with a stack trace only
 * under --debug).
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  partial: 3,
  nothingMatched: 4,
  locked: 5,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The stable machine code of a failure, as `{"error": {"code"}}` carries it under --json.
 * New codes may be added; these never change meaning. The README lists them.
 */
export type ErrorCode =
  | 'config'
  | 'usage'
  | 'refused'
  | 'ambiguous'
  | 'output-exists'
  | 'nothing-matched'
  | 'locked'
  | 'connection'
  | 'audit-not-intact'
  | 'failed'
  | 'partial'
  | 'not-confirmed'
  | 'interrupted'
  | 'internal';

const codeOfExit: Record<ExitCode, ErrorCode> = {
  [ExitCode.ok]: 'failed',
  [ExitCode.failed]: 'failed',
  [ExitCode.usage]: 'usage',
  [ExitCode.partial]: 'partial',
  [ExitCode.nothingMatched]: 'nothing-matched',
  [ExitCode.locked]: 'locked',
  [ExitCode.interrupted]: 'interrupted',
};

export interface LetheErrorOptions extends ErrorOptions {
  /** Overrides the code that the subclass or the exit code gives. */
  code?: ErrorCode;
  /**
   * The command's own result when it is itself the failure (audit verify's report): under
   * --json it is printed with the error, as one document `{...result, "error": {...}}`.
   */
  result?: Record<string, unknown>;
}

/** What `--json` prints of an error, inside `{"error": ...}`. */
export interface ErrorDocument {
  code: ErrorCode;
  message: string;
  hint: string | null;
  [detail: string]: unknown;
}

export class LetheError extends Error {
  readonly code: ErrorCode;
  readonly result: Record<string, unknown> | undefined;

  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.failed,
    readonly hint?: string,
    options?: LetheErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
    this.code = options?.code ?? codeOfExit[exitCode];
    this.result = options?.result;
  }

  toJSON(): ErrorDocument {
    return { code: this.code, message: this.message, hint: this.hint ?? null };
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
      { code: 'config' },
    );
  }

  override toJSON(): ErrorDocument {
    return { ...super.toJSON(), file: this.file, problems: this.problems };
  }
}

export class UsageError extends LetheError {
  constructor(message: string, hint?: string, options?: LetheErrorOptions) {
    super(message, ExitCode.usage, hint, options);
  }
}

export class NothingMatchedError extends LetheError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.nothingMatched, hint);
  }
}

export class DatabaseError extends LetheError {}

/** Another lethe job holds the lock this one needs (a second sweep while one runs): nothing was done. */
export class JobLockedError extends LetheError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.locked, hint, { code: 'locked' });
  }
}

export class InterruptedError extends LetheError {
  constructor(message = 'Interrupted.', options?: LetheErrorOptions) {
    super(message, ExitCode.interrupted, undefined, options);
  }
}

/** A person at the confirmation said no, or pressed Ctrl-C there: nothing was changed. */
export class NotConfirmedError extends InterruptedError {
  constructor(message = 'Not confirmed: nothing was changed.') {
    super(message, { code: 'not-confirmed' });
  }
}

/** The machine code of any error: a LetheError's own, 'internal' for anything else (a bug, or a driver error lethe did not expect). */
export function errorCodeOf(error: unknown): ErrorCode {
  return error instanceof LetheError ? error.code : 'internal';
}
