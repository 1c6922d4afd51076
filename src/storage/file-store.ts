import type { StorageRoot } from '../config/data-map.js';
import { folderStore } from './folder-store.js';
import { s3Store } from './s3-store.js';

/** Where a file is inside its root, or why lethe refuses to touch it. */
export type Located = { location: string } | { refused: string };

/**
 * A root that files of `delete-file` columns live under. `locate` decides, without touching
 * storage, whether a stored value names a file inside the root; nothing else is ever deleted.
 */
export interface FileStore {
  readonly root: StorageRoot;
  locate(value: string): Located;
  /** The file's size in bytes, or undefined when it is not there. */
  size(location: string): Promise<number | undefined>;
  /** Deletes the file; one already gone is 'missing' (counted as deleted: it is). */
  remove(location: string): Promise<'deleted' | 'missing'>;
}

/** One store per root of the map, created when first needed (the S3 client loads only then). */
export class FileStores {
  private readonly stores = new Map<string, FileStore>();

  constructor(private readonly roots: Map<string, StorageRoot>) {}

  get(name: string): FileStore {
    let store = this.stores.get(name);
    if (!store) {
      const root = this.roots.get(name);
      if (!root) throw new Error(`storage root "${name}" is not in the map`);
      store = root.kind === 'folder' ? folderStore(root) : s3Store(root);
      this.stores.set(name, store);
    }
    return store;
  }
}
