import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { LetheError } from '../errors.js';
import { FILE_QUEUE_TABLE } from './file-queue.js';
import { COMMIT_TABLE } from './commit-marker.js';
import { SWEEP_STATE_TABLE } from './sweep-state.js';

/**
 * Which database this is, for the audit trail: a random id (a UUID) that lethe writes into
 * the database itself on first use (table `lethe_instance`, one row) and reads afterwards. A
 * backup restored keeps the id, which is what the trail needs: it is the same database, and
 * its erasures and tombstones still concern it. A copy made to start another database
 * (a staging clone) keeps it too, until someone empties that table in the copy.
 */
export const INSTANCE_TABLE = 'lethe_instance';

/** lethe's own tables in the user's database: never mapped, checked, scanned or drafted. */
export function isLetheTable(name: string): boolean {
  return name === SWEEP_STATE_TABLE || name === INSTANCE_TABLE || name === COMMIT_TABLE || name === FILE_QUEUE_TABLE;
}

/** The id kept in the database, and where it is (`describeTarget`: never a user name or password). */
export interface DatabaseIdentity {
  id: string;
  label: string;
}

/**
 * Reads the database's id, creating the table and the id on first use. The table holds one
 * row (its key is always 1), so of two processes starting at once the first insert wins and
 * the other's is ignored: both read the same id.
 *
 * `knownId` is asked only when the database has no id: the id the audit trail last recorded
 * for a database at this very place (`label`). That is a database restored from a backup
 * taken before lethe first ran on it, or replaced in place; taking its old id keeps its
 * erasures and tombstones its own. A new database somewhere else gets a new random id.
 */
export async function databaseIdentity(knex: Knex, label: string, knownId: () => string | undefined = () => undefined): Promise<DatabaseIdentity> {
  const existing = await readInstanceId(knex);
  if (existing) return { id: existing, label };
  try {
    await createInstanceTable(knex);
    await knex(INSTANCE_TABLE)
      .insert({ singleton: 1, id: knownId() ?? randomUUID() })
      .onConflict('singleton')
      .ignore();
  } catch (error) {
    throw new LetheError(
      `Cannot record the identity of ${label} in its table ${INSTANCE_TABLE} (${codeOf(error)}).`,
      undefined,
      `lethe keeps one row there so that the audit trail knows which database an entry concerns. Run lethe once as a database user allowed to create tables, or have one run: CREATE TABLE ${INSTANCE_TABLE} (singleton SMALLINT PRIMARY KEY, id VARCHAR(36) NOT NULL); INSERT INTO ${INSTANCE_TABLE} VALUES (1, '${randomUUID()}');`,
      { cause: error },
    );
  }
  const id = await readInstanceId(knex);
  if (!id)
    throw new LetheError(
      `The table ${INSTANCE_TABLE} of ${label} holds no id right after lethe wrote one.`,
      undefined,
      'Check for a trigger or rule on that table.',
    );
  return { id, label };
}

async function readInstanceId(knex: Knex): Promise<string | undefined> {
  if (!(await knex.schema.hasTable(INSTANCE_TABLE))) return undefined;
  const row = (await knex(INSTANCE_TABLE).where({ singleton: 1 }).first('id')) as { id: string } | undefined;
  return row?.id;
}

async function createInstanceTable(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable(INSTANCE_TABLE)) return;
  try {
    await knex.schema.createTable(INSTANCE_TABLE, (t) => {
      t.smallint('singleton').primary();
      t.string('id', 36).notNullable();
    });
  } catch (error) {
    // Another lethe process created it meanwhile.
    if (!(await knex.schema.hasTable(INSTANCE_TABLE))) throw error;
  }
}

/** The driver's error code (never its message, which may quote values). */
function codeOf(error: unknown): string {
  const { code } = error as { code?: unknown };
  return typeof code === 'string' || typeof code === 'number' ? String(code) : 'error';
}
