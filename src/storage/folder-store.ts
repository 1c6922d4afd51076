import { lstat, realpath, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { StorageRoot } from '../config/data-map.js';
import type { FileStore, Located } from './file-store.js';

/**
 * Files under a folder. A value is a path relative to the folder (or an absolute path inside
 * it); `..` that leaves the folder, an absolute path elsewhere, or a symbolic link on the way
 * that leads out of it is refused, never followed.
 */
export function folderStore(root: Extract<StorageRoot, { kind: 'folder' }>): FileStore {
  const base = path.resolve(root.path);
  let realBase: Promise<string> | undefined;
  const inside = (parent: string, child: string) => {
    const relative = path.relative(parent, child);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  };
  /** The path again with every link resolved: still inside the folder, or refused. */
  async function checked(location: string): Promise<string> {
    realBase ??= realpath(base).catch(() => base);
    const real = await realpath(path.dirname(location)).catch(() => undefined);
    if (real === undefined) return location; // the folder it was in is gone: so is the file
    const resolved = path.join(real, path.basename(location));
    if (!inside(await realBase, resolved)) throw new Error(`a link leads out of the storage root ${root.name}`);
    return resolved;
  }
  return {
    root,
    locate(value: string): Located {
      const text = value.trim();
      if (text === '' || text.includes('\0')) return { refused: 'not a file name' };
      const location = path.resolve(base, text);
      if (!inside(base, location)) return { refused: `outside the storage root ${root.name}` };
      return { location };
    },
    async size(location) {
      try {
        const info = await stat(await checked(location));
        return info.isFile() ? info.size : undefined;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async remove(location) {
      try {
        const target = await checked(location);
        // A link is removed itself; what it points at is not lethe's to delete.
        if ((await lstat(target)).isDirectory()) throw new Error(`a folder, not a file, in the storage root ${root.name}`);
        await unlink(target);
        return 'deleted';
      } catch (error) {
        if (isMissing(error)) return 'missing';
        throw error;
      }
    },
  };
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
