import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, rmdir, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { LetheError, UsageError } from '../errors.js';

/** Files of an export hold personal data: readable by their owner only, from the moment they exist. */
export const EXPORT_FILE_MODE = 0o600;
export const EXPORT_DIRECTORY_MODE = 0o700;

/** Text written in order, with backpressure: `write` resolves once the text may be followed by more. */
export interface TextSink {
  write(text: string): Promise<void>;
  /** Writes what is buffered. */
  flush(): Promise<void>;
}

const BUFFER_BYTES = 64 * 1024;

/** Gathers small pieces (a row each) into writes of about 64 KiB. */
class BufferedSink implements TextSink {
  private pieces: string[] = [];
  private length = 0;

  constructor(private readonly target: (chunk: string) => Promise<void>) {}

  async write(text: string): Promise<void> {
    this.pieces.push(text);
    this.length += text.length;
    if (this.length >= BUFFER_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.length === 0) return;
    const chunk = this.pieces.join('');
    this.pieces = [];
    this.length = 0;
    await this.target(chunk);
  }
}

/**
 * A sink over a stream the caller owns (standard output): never ended here. A write error
 * (EPIPE when the reader went away) fails the export with a plain message, and the
 * stream's 'error' event is listened to meanwhile so that it cannot crash the process.
 */
export function streamSink(stream: NodeJS.WritableStream): TextSink & { release(): void } {
  let failure: Error | undefined;
  const onError = (error: Error) => {
    failure ??= new OutputClosedError(error);
  };
  stream.on('error', onError);
  // Each chunk is awaited until the stream has handled it: backpressure, and a failed write is known before the export counts as done.
  const sink = new BufferedSink(async (chunk) => {
    if (failure) throw failure;
    await new Promise<void>((resolve, reject) => {
      stream.write(chunk, (error?: Error | null) => (error ? reject(failure ?? new OutputClosedError(error)) : resolve()));
    });
  });
  return Object.assign(sink, { release: () => void stream.off('error', onError) });
}

/** The stream an export was written to failed, e.g. the reader of a pipe went away (EPIPE). */
export class OutputClosedError extends LetheError {
  readonly code: string | undefined;

  constructor(cause: Error) {
    const code = (cause as { code?: unknown }).code;
    super(
      `The output was closed before the export was complete${typeof code === 'string' ? ` (${code})` : ''}.`,
      undefined,
      'Write the export to a file with --out FILE, or to a program that reads all of it.',
      { cause },
    );
    this.code = typeof code === 'string' ? code : undefined;
  }
}

/** A sink writing to an open file. */
export function fileSink(handle: FileHandle): TextSink {
  return new BufferedSink(async (chunk) => {
    await handle.write(chunk);
  });
}

/**
 * Checks an output file before anything is read: its directory exists, and it is not a
 * directory or a device. An existing file is replaced (see `PendingFile`).
 */
export async function checkOutputFile(file: string): Promise<void> {
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`--out ${file} is a directory; a JSON export is one file.`, 'Name a file, e.g. --out export.json, or use --format csv for a directory.');
  if (existing && !existing.isFile()) throw new UsageError(`--out ${file} is not a regular file.`, 'Name a file, or use --out - for standard output.');
  const dir = await stat(path.dirname(file)).catch(() => undefined);
  if (!dir?.isDirectory()) throw new UsageError(`--out ${file}: the directory ${path.dirname(file)} does not exist.`, 'Create it first, or name a file in an existing directory.');
}

/**
 * A file written under a temporary name beside its final one, created 0600, and renamed
 * into place only once complete: a failed or interrupted export never leaves a partial
 * file under the name asked for, and a file it replaces does not lend it its permissions.
 */
export class PendingFile {
  private constructor(
    readonly file: string,
    private readonly temporary: string,
    readonly handle: FileHandle,
  ) {}

  static async create(file: string): Promise<PendingFile> {
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.part`);
    return new PendingFile(file, temporary, await open(temporary, 'wx', EXPORT_FILE_MODE));
  }

  async commit(): Promise<void> {
    await this.handle.sync();
    await this.handle.close();
    await rename(this.temporary, this.file);
  }

  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.temporary, { force: true });
  }
}

/**
 * Checks an output directory before anything is read. A directory that holds files
 * already is refused, so that two people's exports (or an export and anything else)
 * never mix, and nothing is overwritten.
 */
export async function checkOutputDirectory(dir: string): Promise<void> {
  const existing = await stat(dir).catch(() => undefined);
  if (!existing) return;
  if (!existing.isDirectory()) throw new UsageError(`--out ${dir} is not a directory; a CSV export is a directory of files.`, 'Name a new or empty directory.');
  if ((await readdir(dir)).length > 0) {
    throw new UsageError(`--out ${dir} is not empty; lethe writes a CSV export only into a new or empty directory.`, 'Name a new directory, e.g. --out ./export-2026-05-01.');
  }
}

/** The directory of a CSV export: created 0700 when missing, its files 0600; on failure everything it made is removed. */
export class ExportDirectory {
  private readonly created: string[] = [];

  private constructor(
    readonly dir: string,
    private readonly madeDirectories: string[],
  ) {}

  static async open(dir: string): Promise<ExportDirectory> {
    const missing: string[] = [];
    for (let current = path.resolve(dir); !(await stat(current).catch(() => undefined)); current = path.dirname(current)) missing.push(current);
    await mkdir(dir, { recursive: true, mode: EXPORT_DIRECTORY_MODE });
    return new ExportDirectory(dir, missing);
  }

  /** Files written so far, by name. */
  get files(): string[] {
    return this.created.map((file) => path.basename(file));
  }

  createStream(name: string): WriteStream {
    const file = path.join(this.dir, name);
    this.created.push(file);
    return createWriteStream(file, { flags: 'wx', mode: EXPORT_FILE_MODE });
  }

  async writeFile(name: string, text: string): Promise<void> {
    const file = path.join(this.dir, name);
    this.created.push(file);
    const handle = await open(file, 'wx', EXPORT_FILE_MODE);
    try {
      await handle.writeFile(text);
    } finally {
      await handle.close();
    }
  }

  async discard(): Promise<void> {
    for (const file of this.created) await rm(file, { force: true });
    // Only the directories this export created, deepest first, and only when empty.
    for (const dir of this.madeDirectories) await rmdir(dir).catch(() => undefined);
  }
}

/** A file name for a table's CSV: the table name, with anything unusual in a file name replaced. */
export function csvFileName(table: string, taken: Set<string>): string {
  const base = table.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'table';
  let name = `${base}.csv`;
  for (let n = 2; taken.has(name.toLowerCase()); n += 1) name = `${base}-${n}.csv`;
  taken.add(name.toLowerCase());
  return name;
}
