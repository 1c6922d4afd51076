import { Chalk, type ChalkInstance } from 'chalk';
import ora, { type Ora } from 'ora';

export interface TerminalOptions {
  json: boolean;
  quiet: boolean;
  color: boolean;
  input: boolean;
  debug: boolean;
}

export interface Streams {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
}

/**
 * The one place that knows about the terminal: results to stdout, everything else to
 * stderr; colour and animation only where a person is watching.
 */
export class Terminal {
  readonly palette: ChalkInstance;
  private readonly pendingWarnings: string[] = [];

  constructor(
    readonly options: TerminalOptions,
    readonly streams: Streams = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
    env: NodeJS.ProcessEnv = process.env,
  ) {
    // chalk does not honour NO_COLOR by itself.
    const colour = options.color && !('NO_COLOR' in env) && Boolean(streams.stderr.isTTY);
    this.palette = new Chalk({ level: colour ? 1 : 0 });
  }

  /** A person can answer a prompt: stdin and stderr are terminals and --no-input was not given. */
  get interactive(): boolean {
    return this.options.input && Boolean(this.streams.stdin.isTTY) && Boolean(this.streams.stderr.isTTY);
  }

  /** Animation is for a person watching stderr, never under --json or --quiet. */
  get animated(): boolean {
    // A terminal that reports no width (some pseudo-terminals) would make the spinner's line
    // arithmetic divide by zero: no animation there.
    return Boolean(this.streams.stderr.isTTY) && (this.streams.stderr.columns ?? 0) > 0 && !this.options.json && !this.options.quiet;
  }

  result(text: string): void {
    this.streams.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Prints the one JSON document; warnings given before it join it as `"warnings": [...]` (see warn). */
  json(document: unknown): void {
    const withWarnings = this.pendingWarnings.length > 0 && isRecord(document) && !('warnings' in document) ? { ...document, warnings: this.pendingWarnings.splice(0) } : document;
    this.streams.stdout.write(`${JSON.stringify(withWarnings, jsonValue, 2)}\n`);
  }

  /**
   * Messages for a person. Under --json they are shown only when stderr is a terminal: a
   * cron job's --json run that succeeds writes nothing to stderr.
   */
  private get talking(): boolean {
    return !this.options.quiet && (!this.options.json || Boolean(this.streams.stderr.isTTY));
  }

  info(text: string): void {
    if (this.talking) this.streams.stderr.write(`${text}\n`);
  }

  /**
   * Under --json a warning also joins the JSON document the command prints next (its
   * "warnings" array), and reaches stderr only when that is a terminal, or through
   * flushWarnings when no document took it.
   */
  warn(text: string): void {
    if (this.options.json) this.pendingWarnings.push(text);
    if (this.talking) this.streams.stderr.write(`${this.palette.yellow('warning:')} ${text}\n`);
  }

  /** Under --json, writes to stderr the warnings no document took (it was an array, the export itself, or there was an error). */
  flushWarnings(): void {
    const left = this.pendingWarnings.splice(0);
    if (this.talking || this.options.quiet) return;
    for (const text of left) this.streams.stderr.write(`${this.palette.yellow('warning:')} ${text}\n`);
  }

  error(text: string, hint?: string): void {
    this.streams.stderr.write(`${this.palette.red('error:')} ${text}\n`);
    if (hint) this.streams.stderr.write(`${this.palette.dim(hint)}\n`);
  }

  spinner(text: string): Spinner {
    if (!this.animated) return { update() {}, stop() {} };
    // discardStdin would put the terminal in raw mode, where Ctrl-C is a byte, not a signal;
    // ora then never reads that byte (its listener does not start the stream), so Ctrl-C was lost.
    const spinner: Ora = ora({ text, stream: this.streams.stderr, discardStdin: false }).start();
    return {
      update: (t) => {
        spinner.text = t;
      },
      stop: () => {
        spinner.stop();
      },
    };
  }
}

export interface Spinner {
  update(text: string): void;
  stop(): void;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON for database values: BigInt as a string when it would lose precision, Buffers as base64. */
function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
    return Buffer.from((value as { data: number[] }).data).toString('base64');
  }
  return value;
}
