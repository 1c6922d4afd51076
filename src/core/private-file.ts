/**
 * Output files that hold personal data or primary keys (an export, an export of the audit
 * trail): readable by their owner only from the moment they exist, written whole or not
 * at all, never replacing a file unless asked to, and never written through a symbolic link.
 */
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { link, lstat, open, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { LetheError, UsageError } from '../errors.js';
import { withProblem } from './request-problem.js';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIRECTORY_MODE = 0o700;

/**
 * A new file only: O_EXCL fails if the name exists (a symbolic link included, which it does
 * not follow); O_NOFOLLOW says the same to any reader of this line.
 */
export const NEW_FILE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Writes all of `data`: a write may take fewer bytes than it was given (a nearly full disk),
 * and the rest is written, or fails with the file system's error, never silently dropped.
 */
export async function writeAll(handle: FileHandle, data: string | Buffer): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let offset = 0; offset < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    if (bytesWritten <= 0) throw Object.assign(new Error('no byte was written'), { code: 'EIO', syscall: 'write' });
    offset += bytesWritten;
  }
}

// The calls through which lethe writes its output files; an error from one of them is the output's, not the database's.
const FILE_SYSCALLS = new Set([
  'open',
  'write',
  'writev',
  'fsync',
  'fdatasync',
  'close',
  'rename',
  'link',
  'unlink',
  'mkdir',
  'mkdtemp',
  'rmdir',
  'scandir',
  'ftruncate',
  'copyfile',
]);

const CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EFBIG: 'the file is too large for the file system',
  EIO: 'an input/output error',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  ENOENT: 'the directory no longer exists',
  ENOTDIR: 'a part of the path is not a directory',
};

/** An error of the file system while an output file was written (not a LetheError, not the database's). */
export function isOutputFileError(error: unknown): error is NodeJS.ErrnoException {
  if (error instanceof LetheError || !(error instanceof Error)) return false;
  const { code, syscall } = error as NodeJS.ErrnoException;
  return typeof code === 'string' && typeof syscall === 'string' && FILE_SYSCALLS.has(syscall);
}

/** An output file could not be written: one sentence naming the path and the cause; nothing of it was kept. */
export class OutputWriteError extends LetheError {
  constructor(file: string, cause: NodeJS.ErrnoException) {
    const code = cause.code ?? 'EIO';
    super(
      `Could not write ${file}: ${CAUSES[code] ?? 'the file system refused the write'} (${code}); nothing of it was kept.`,
      undefined,
      code === 'ENOSPC' || code === 'EDQUOT' ? 'Free some space, or write to another place, and run it again.' : 'Write to another place, and run it again.',
      { cause },
    );
  }
}

/** `error` as the caller should see it: a file system error of the output becomes an OutputWriteError naming `file`. */
export function asOutputError(file: string, error: unknown): unknown {
  return isOutputFileError(error) ? new OutputWriteError(file, error) : error;
}

export interface OutputFileOptions {
  /** Replace a file that is already there. A symbolic link is refused all the same. */
  replace?: boolean;
  /** What to say when the path is a directory. */
  directoryHint?: string;
  /** The file is a JSON export (a front end may suggest a CSV export for a directory). */
  jsonExport?: boolean;
}

/** The path's own entry (a symbolic link is not followed), or undefined when there is none. */
export async function entryAt(file: string): Promise<Stats | undefined> {
  try {
    return await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function symlinkRefused(file: string): UsageError {
  return new UsageError(
    `${file} is a symbolic link; lethe does not write personal data through one, even where it may replace a file.`,
    'Name the file the link points to, or another file.',
  );
}

export function outputExists(file: string, what = 'a file'): UsageError {
  return withProblem(
    new UsageError(`${file} already exists (${what}); lethe does not replace it unless asked to.`, 'Name another path, or ask for it to be replaced.', {
      code: 'output-exists',
    }),
    { kind: 'output-exists', directory: false },
  );
}

/**
 * Checks an output file before anything is read: not a symbolic link, a directory or a
 * device; not there already unless it may be replaced; its directory exists.
 */
export async function checkOutputFile(file: string, options: OutputFileOptions = {}): Promise<void> {
  const existing = await entryAt(file);
  if (existing?.isSymbolicLink()) throw symlinkRefused(file);
  const notAFile = { kind: 'output-not-a-file', jsonExport: Boolean(options.jsonExport) } as const;
  if (existing?.isDirectory()) throw withProblem(new UsageError(`${file} is a directory.`, options.directoryHint ?? 'Name a file.'), notAFile);
  if (existing && !existing.isFile()) throw withProblem(new UsageError(`${file} is not a regular file.`, 'Name a file.'), notAFile);
  if (existing && !options.replace) throw outputExists(file);
  const dir = await stat(path.dirname(file)).catch(() => undefined);
  if (!dir?.isDirectory())
    throw new UsageError(`${file}: the directory ${path.dirname(file)} does not exist.`, 'Create it first, or name a file in an existing directory.');
}

// A file system without hard links answers link() with one of these; lethe then renames.
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * A file written under a temporary name beside its final one (created 0600 with O_EXCL)
 * and put in place only once complete: a failed or interrupted write never leaves a
 * partial file under the name asked for, and a file it replaces does not lend it its
 * permissions.
 */
export class PrivateFile {
  private constructor(
    readonly file: string,
    private readonly temporary: string,
    readonly handle: FileHandle,
    private readonly replace: boolean,
  ) {}

  static async create(file: string, options: OutputFileOptions = {}): Promise<PrivateFile> {
    await checkOutputFile(file, options);
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.part`);
    return new PrivateFile(file, temporary, await open(temporary, NEW_FILE_FLAGS, PRIVATE_FILE_MODE), Boolean(options.replace));
  }

  /**
   * A stream that writes to the file and leaves it open: commit (or discard) closes it.
   * (A FileHandle's own stream keeps the handle referenced until the stream is destroyed,
   * which closes it.)
   */
  createWriteStream(): Writable {
    const handle = this.handle;
    return new Writable({
      write(chunk: Buffer, _encoding, done) {
        writeAll(handle, chunk).then(() => done(), done);
      },
      writev(chunks, done) {
        writeAll(handle, Buffer.concat(chunks.map((c) => c.chunk as Buffer))).then(() => done(), done);
      },
    });
  }

  /**
   * Makes the file final: flushed to disk (a full disk or an I/O error surfaces here at the
   * latest), then in place under its name.
   */
  async commit(): Promise<void> {
    try {
      await this.handle.sync();
      await this.handle.close();
      await this.putInPlace();
    } catch (error) {
      await this.discard();
      throw error;
    }
  }

  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.temporary, { force: true });
  }

  /** Removes the file after commit, when what it was written for failed after all (its audit entry could not be appended). */
  async withdraw(): Promise<void> {
    await rm(this.file, { force: true });
  }

  private async putInPlace(): Promise<void> {
    // Checked again: the name may have changed while the file was written.
    const existing = await entryAt(this.file);
    if (existing?.isSymbolicLink()) throw symlinkRefused(this.file);
    if (existing && !existing.isFile()) throw new UsageError(`${this.file} is no longer a regular file; nothing was written there.`);
    if (this.replace) {
      // rename() replaces the name itself: it never writes through a link that appeared meanwhile.
      await rename(this.temporary, this.file);
      return;
    }
    if (existing) throw outputExists(this.file);
    try {
      // link() fails when the name exists, whoever created it in the meantime: nothing is replaced unless asked to.
      await link(this.temporary, this.file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') throw outputExists(this.file);
      if (!NO_HARD_LINKS.has(code)) throw error;
      await rename(this.temporary, this.file);
      return;
    }
    await unlink(this.temporary);
  }
}
