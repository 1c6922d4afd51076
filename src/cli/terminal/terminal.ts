import type { Ora } from 'ora';

/** The colours lethe prints with: chalk's, or the plain ones when no colour is wanted. */
export interface Palette {
  /** 0 when plain. */
  level: number;
  bold: Paint;
  dim: Paint;
  inverse: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
  cyan: Paint;
}

type Paint = (text: string | number) => string;

const plain = (text: string | number): string => String(text);

/** What every run without colour prints with (a pipe, a file, NO_COLOR, --no-color): chalk is not even loaded. */
export const PLAIN: Palette = { level: 0, bold: plain, dim: plain, inverse: plain, red: plain, green: plain, yellow: plain, cyan: plain };

let chalkModule: typeof import('chalk') | undefined;

/**
 * Loads chalk ahead of a run that may print in colour (stdout or stderr is a terminal and
 * nothing turned colour off), since a Terminal is built synchronously; other runs start without it.
 */
export async function prepareColour(streams: Pick<Streams, 'stdout' | 'stderr'>, env: NodeJS.ProcessEnv, argv: readonly string[]): Promise<void> {
  if (chalkModule || !(streams.stderr.isTTY || streams.stdout.isTTY) || 'NO_COLOR' in env || argv.includes('--no-color')) return;
  chalkModule = await import('chalk');
}

// The escape codes chalk writes (SGR: colours, bold, dim, inverse).
const COLOUR_CODES = /\u001b\[[0-9;]*m/g;

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
  readonly palette: Palette;
  private readonly pendingWarnings: string[] = [];

  constructor(
    readonly options: TerminalOptions,
    readonly streams: Streams = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
    env: NodeJS.ProcessEnv = process.env,
  ) {
    // chalk does not honour NO_COLOR by itself. Colour is decided per stream: text is painted
    // when either is a terminal, and what goes to a stream that is not one is written without
    // its colours (`lethe detect > out.txt` at a terminal writes plain text to the file).
    const colour = options.color && !('NO_COLOR' in env) && Boolean(streams.stderr.isTTY || streams.stdout.isTTY);
    this.palette = colour && chalkModule ? new chalkModule.Chalk({ level: 1 }) : PLAIN;
  }

  /** `text` as `stream` may show it: without colours unless it is a terminal. */
  private forStream(stream: NodeJS.WriteStream, text: string): string {
    return this.palette.level === 0 || stream.isTTY ? text : text.replace(COLOUR_CODES, '');
  }

  private out(text: string): void {
    this.streams.stdout.write(this.forStream(this.streams.stdout, text));
  }

  private err(text: string): void {
    this.streams.stderr.write(this.forStream(this.streams.stderr, text));
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
    this.out(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Prints the one JSON document; warnings given before it join it as `"warnings": [...]` (see warn). */
  json(document: unknown): void {
    const withWarnings =
      this.pendingWarnings.length > 0 && isRecord(document) && !('warnings' in document) ? { ...document, warnings: this.pendingWarnings.splice(0) } : document;
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
    if (this.talking) this.err(`${text}\n`);
  }

  /**
   * Under --json a warning also joins the JSON document the command prints next (its
   * "warnings" array), and reaches stderr only when that is a terminal, or through
   * flushWarnings when no document took it.
   */
  warn(text: string): void {
    if (this.options.json) this.pendingWarnings.push(text);
    if (this.talking) this.err(`${this.palette.yellow('warning:')} ${text}\n`);
  }

  /** Under --json, writes to stderr the warnings no document took (it was an array, the export itself, or there was an error). */
  flushWarnings(): void {
    const left = this.pendingWarnings.splice(0);
    if (this.talking || this.options.quiet) return;
    for (const text of left) this.err(`${this.palette.yellow('warning:')} ${text}\n`);
  }

  error(text: string, hint?: string): void {
    this.err(`${this.palette.red('error:')} ${text}\n`);
    if (hint) this.err(`${this.palette.dim(hint)}\n`);
  }

  /**
   * Runs `work` under a spinner (for a person watching stderr; nothing otherwise) and stops it
   * once, however the work ends: what follows prints on a clean line.
   */
  async underSpinner<T>(text: string, work: (spinner: Spinner) => Promise<T>): Promise<T> {
    const spinner = this.spinner(text);
    try {
      return await work(spinner);
    } finally {
      spinner.stop();
    }
  }

  spinner(text: string): Spinner {
    if (!this.animated) return { update() {}, stop() {} };
    // ora and its dependencies load only when a person watches: the spinner starts once they
    // have (a few milliseconds), unless the job is done by then.
    let current = text;
    let stopped = false;
    let spinner: Ora | undefined;
    void import('ora').then(
      ({ default: ora }) => {
        if (stopped) return;
        // discardStdin would put the terminal in raw mode, where Ctrl-C is a byte, not a signal;
        // ora then never reads that byte (its listener does not start the stream), so Ctrl-C was lost.
        spinner = ora({ text: current, stream: this.streams.stderr, discardStdin: false }).start();
      },
      // Without its animation the job still runs.
      () => {},
    );
    return {
      update: (t) => {
        current = t;
        if (spinner) spinner.text = t;
      },
      stop: () => {
        stopped = true;
        spinner?.stop();
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
