/**
 * Output files that hold personal data or primary keys (`export --out`, `audit export
 * --out`): readable by their owner only from the moment they exist, written whole or not
 * at all, never replacing a file unless asked to, and never written through a symbolic link.
 */
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { link, lstat, open, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { UsageError } from '../errors.js';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIRECTORY_MODE = 0o700;

/**
 * A new file only: O_EXCL fails if the name exists (a symbolic link included, which it does
 * not follow); O_NOFOLLOW says the same to any reader of this line.
 */
export const NEW_FILE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export interface OutputFileOptions {
  /** Replace a file that is already there (--force). A symbolic link is refused all the same. */
  replace?: boolean;
  /** What to say when the path is a directory. */
  directoryHint?: string;
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
    `--out ${file} is a symbolic link; lethe does not write personal data through one, even with --force.`,
    'Name the file the link points to, or another file.',
  );
}

export function outputExists(file: string, what = 'a file'): UsageError {
  return new UsageError(`--out ${file} already exists (${what}); lethe does not replace it without --force.`, 'Add --force to replace it, or name another path.', {
    code: 'output-exists',
  });
}

/**
 * Checks an output file before anything is read: not a symbolic link, a directory or a
 * device; not there already unless it may be replaced; its directory exists.
 */
export async function checkOutputFile(file: string, options: OutputFileOptions = {}): Promise<void> {
  const existing = await entryAt(file);
  if (existing?.isSymbolicLink()) throw symlinkRefused(file);
  if (existing?.isDirectory()) throw new UsageError(`--out ${file} is a directory.`, options.directoryHint ?? 'Name a file, or use --out - for standard output.');
  if (existing && !existing.isFile()) throw new UsageError(`--out ${file} is not a regular file.`, 'Name a file, or use --out - for standard output.');
  if (existing && !options.replace) throw outputExists(file);
  const dir = await stat(path.dirname(file)).catch(() => undefined);
  if (!dir?.isDirectory()) throw new UsageError(`--out ${file}: the directory ${path.dirname(file)} does not exist.`, 'Create it first, or name a file in an existing directory.');
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
        handle.write(chunk).then(() => done(), done);
      },
      writev(chunks, done) {
        handle.writev(chunks.map((c) => c.chunk as Buffer)).then(() => done(), done);
      },
    });
  }

  /** Makes the file final: flushed to disk, then in place under its name. */
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

  private async putInPlace(): Promise<void> {
    // Checked again: the name may have changed while the file was written.
    const existing = await entryAt(this.file);
    if (existing?.isSymbolicLink()) throw symlinkRefused(this.file);
    if (existing && !existing.isFile()) throw new UsageError(`--out ${this.file} is no longer a regular file; nothing was written there.`);
    if (this.replace) {
      // rename() replaces the name itself: it never writes through a link that appeared meanwhile.
      await rename(this.temporary, this.file);
      return;
    }
    if (existing) throw outputExists(this.file);
    try {
      // link() fails when the name exists, whoever created it in the meantime: nothing is replaced without --force.
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
