import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, rmdir, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { LetheError, UsageError } from '../errors.js';
import { checkOutputFile, entryAt, NEW_FILE_FLAGS, outputExists, PRIVATE_DIRECTORY_MODE, PRIVATE_FILE_MODE, symlinkRefused, writeAll } from './private-file.js';
import { withProblem } from './request-problem.js';

export { PrivateFile } from './private-file.js';

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
  constructor(cause: Error) {
    const code = (cause as { code?: unknown }).code;
    super(
      `The output was closed before the export was complete${typeof code === 'string' ? ` (${code})` : ''}.`,
      undefined,
      'Write the export to a file, or to a program that reads all of it.',
      { cause },
    );
    withProblem(this, { kind: 'output-closed' });
  }
}

/** A sink writing to an open file. */
export function fileSink(handle: FileHandle): TextSink {
  return new BufferedSink((chunk) => writeAll(handle, chunk));
}

/**
 * Checks the output file of a JSON export before anything is read (see checkOutputFile):
 * an existing file is refused unless it may be replaced; a link never is.
 */
export async function checkExportFile(file: string, replace: boolean): Promise<void> {
  await checkOutputFile(file, { replace, jsonExport: true, directoryHint: 'A JSON export is one file: name a file, or export as CSV into a directory.' });
}

/**
 * Checks an output directory before anything is read. A new or empty directory is taken;
 * one that holds files is refused, so that two people's exports (or an export and anything
 * else) never mix, unless it holds an earlier lethe CSV export and `replace` says to replace it.
 */
export async function checkOutputDirectory(dir: string, replace: boolean): Promise<void> {
  const existing = await entryAt(dir);
  if (!existing) return;
  if (existing.isSymbolicLink()) throw symlinkRefused(dir);
  if (!existing.isDirectory()) throw new UsageError(`${dir} is not a directory; a CSV export is a directory of files.`, 'Name a new or empty directory.');
  if ((await readdir(dir)).length === 0) return;
  if (!replace) {
    throw withProblem(
      new UsageError(
        `${dir} is not empty; lethe writes a CSV export only into a new or empty directory.`,
        'Name a new directory, or ask for an earlier export there to be replaced.',
        {
          code: 'output-exists',
        },
      ),
      { kind: 'output-exists', directory: true },
    );
  }
  if (!(await isCsvExport(dir))) {
    throw new UsageError(`${dir} holds files that are not a lethe CSV export; lethe replaces only an earlier export.`, 'Name a new or empty directory.', {
      code: 'output-exists',
    });
  }
}

/** An earlier CSV export, and nothing else: regular files only, its manifest, README and CSV files. */
async function isCsvExport(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true });
  if (!entries.every((e) => e.isFile() && (/\.csv$/i.test(e.name) || e.name === 'manifest.json' || e.name === 'README.txt'))) return false;
  if (!entries.some((e) => e.name === 'manifest.json')) return false;
  try {
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as { format?: unknown; requestId?: unknown };
    return manifest.format === 'csv' && typeof manifest.requestId === 'string';
  } catch {
    return false;
  }
}

/**
 * The directory of a CSV export, written whole or not at all: its files (0600, O_EXCL) go
 * into a temporary 0700 directory beside the one asked for, which is renamed into place
 * once the export is complete. Missing parent directories are created 0700; on failure
 * everything it made is removed.
 */
export class ExportDirectory {
  private readonly created: string[] = [];

  private constructor(
    readonly dir: string,
    private readonly temporary: string,
    private readonly madeDirectories: string[],
    private readonly replace: boolean,
  ) {}

  static async open(dir: string, replace: boolean): Promise<ExportDirectory> {
    const target = path.resolve(dir);
    const parent = path.dirname(target);
    const missing: string[] = [];
    for (let current = parent; !(await stat(current).catch(() => undefined)); current = path.dirname(current)) missing.push(current);
    await mkdir(parent, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
    try {
      // mkdtemp creates the directory 0700.
      const temporary = await mkdtemp(path.join(parent, `.${path.basename(target)}.part-`));
      return new ExportDirectory(target, temporary, missing, replace);
    } catch (error) {
      for (const made of missing) await rmdir(made).catch(() => undefined);
      throw error;
    }
  }

  /** Files written so far, by name. */
  get files(): string[] {
    return this.created.map((file) => path.basename(file));
  }

  createStream(name: string): WriteStream {
    const file = path.join(this.temporary, name);
    this.created.push(file);
    // flush: fsync before close, so that a full disk or an I/O error fails this file, not a later reader.
    return createWriteStream(file, { fd: openSync(file, NEW_FILE_FLAGS, PRIVATE_FILE_MODE), flush: true });
  }

  async writeFile(name: string, text: string): Promise<void> {
    const file = path.join(this.temporary, name);
    this.created.push(file);
    const handle = await open(file, NEW_FILE_FLAGS, PRIVATE_FILE_MODE);
    try {
      await writeAll(handle, text);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Puts the complete export in place: a new name, an empty directory, or (when asked to) an earlier export, which is removed. */
  async commit(): Promise<void> {
    try {
      const existing = await entryAt(this.dir);
      if (existing?.isSymbolicLink()) throw symlinkRefused(this.dir);
      if (existing?.isDirectory() && (await readdir(this.dir)).length > 0) {
        // Checked again: the directory may have changed while the export was written.
        await checkOutputDirectory(this.dir, this.replace);
        await this.replaceEarlierExport();
        return;
      }
      // Onto nothing, or onto an empty directory, which rename() replaces; anything else fails it.
      await rename(this.temporary, this.dir).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOTEMPTY' || error.code === 'EEXIST' || error.code === 'ENOTDIR' || error.code === 'EISDIR'
          ? withProblem(outputExists(this.dir, 'it appeared while the export was written'), { kind: 'output-exists', directory: true })
          : error;
      });
    } catch (error) {
      await this.discard();
      throw error;
    }
  }

  private async replaceEarlierExport(): Promise<void> {
    const aside = `${this.temporary}.old`;
    await rename(this.dir, aside);
    try {
      await rename(this.temporary, this.dir);
    } catch (error) {
      await rename(aside, this.dir).catch(() => undefined);
      throw error;
    }
    await rm(aside, { recursive: true, force: true });
  }

  /** Removes the export after commit, when what it was written for failed after all (its audit entry could not be appended). */
  async withdraw(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  async discard(): Promise<void> {
    await rm(this.temporary, { recursive: true, force: true });
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
