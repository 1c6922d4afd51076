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
    return Boolean(this.streams.stderr.isTTY) && !this.options.json && !this.options.quiet;
  }

  result(text: string): void {
    this.streams.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  json(document: unknown): void {
    this.streams.stdout.write(`${JSON.stringify(document, jsonValue, 2)}\n`);
  }

  info(text: string): void {
    if (!this.options.quiet) this.streams.stderr.write(`${text}\n`);
  }

  warn(text: string): void {
    if (!this.options.quiet) this.streams.stderr.write(`${this.palette.yellow('warning:')} ${text}\n`);
  }

  error(text: string, hint?: string): void {
    this.streams.stderr.write(`${this.palette.red('error:')} ${text}\n`);
    if (hint) this.streams.stderr.write(`${this.palette.dim(hint)}\n`);
  }

  spinner(text: string): Spinner {
    if (!this.animated) return { update() {}, stop() {} };
    const spinner: Ora = ora({ text, stream: this.streams.stderr }).start();
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

/** JSON for database values: BigInt as a string when it would lose precision, Buffers as base64. */
function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
    return Buffer.from((value as { data: number[] }).data).toString('base64');
  }
  return value;
}
