import type { Knex } from 'knex';
import { LetheError } from '../errors.js';

/**
 * Files to delete, written inside the transaction that changes or deletes the rows naming
 * them (table `lethe_file_deletion` of the user's database), and removed once each file is
 * gone. A file cannot be rolled back, so it is deleted only after that transaction commits;
 * a run that dies in between leaves the list, and the next run finishes it. A rolled-back
 * transaction takes its list with it: no file of a row that stayed is ever deleted.
 */
export const FILE_QUEUE_TABLE = 'lethe_file_deletion';

export interface QueuedFile {
  id: number;
  /** The request (audit requestId) whose change named the file. */
  job: string;
  storage: string;
  location: string;
}

const ready = new WeakSet<Knex>();

/** Creates the table on first use (outside any transaction: MySQL commits on DDL). */
export async function ensureFileQueue(knex: Knex): Promise<void> {
  if (ready.has(knex)) return;
  if (!(await knex.schema.hasTable(FILE_QUEUE_TABLE))) {
    try {
      await knex.schema.createTable(FILE_QUEUE_TABLE, (t) => {
        t.increments('id').primary();
        t.string('job', 64).notNullable().index();
        t.string('storage', 255).notNullable();
        t.text('location').notNullable();
        t.string('queued_at', 32).notNullable();
      });
    } catch (error) {
      if (!(await knex.schema.hasTable(FILE_QUEUE_TABLE))) {
        const { code } = error as { code?: unknown };
        throw new LetheError(
          `Cannot create lethe's table ${FILE_QUEUE_TABLE} (${typeof code === 'string' ? code : 'error'}).`,
          undefined,
          "lethe lists there, inside each change's own transaction, the files to delete once it commits. Run lethe once as a database user allowed to create tables.",
          { cause: error },
        );
      }
    }
  }
  ready.add(knex);
}

/** Inside the change's transaction: these files go once it commits. */
export async function queueFiles(trx: Knex.Transaction, job: string, files: { storage: string; location: string }[]): Promise<void> {
  const queuedAt = new Date().toISOString();
  for (let i = 0; i < files.length; i += 200) {
    await trx(FILE_QUEUE_TABLE).insert(files.slice(i, i + 200).map((f) => ({ job, storage: f.storage, location: f.location, queued_at: queuedAt })));
  }
}

/** Files still to delete: of one job, or (job undefined) of every job, oldest first, a page at a time. */
export async function queuedFiles(knex: Knex, job: string | undefined, afterId: number, limit: number): Promise<QueuedFile[]> {
  if (!ready.has(knex) && !(await knex.schema.hasTable(FILE_QUEUE_TABLE))) return [];
  const query = knex(FILE_QUEUE_TABLE).select('id', 'job', 'storage', 'location').where('id', '>', afterId).orderBy('id').limit(limit);
  if (job !== undefined) query.where('job', job);
  return ((await query) as QueuedFile[]).map((row) => ({ ...row, id: Number(row.id) }));
}

/** Deleted (or already gone): off the list. */
export async function forgetFiles(knex: Knex, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500)
    await knex(FILE_QUEUE_TABLE)
      .whereIn('id', ids.slice(i, i + 500))
      .delete();
}
