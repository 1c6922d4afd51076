import type { Knex } from 'knex';
import { LetheError } from '../errors.js';

/**
 * Proof that a change committed, written in the change's own transaction: one row per audit
 * intent (its hash), in lethe's table `lethe_commit` of the user's database. The row exists
 * exactly when the change does, so a job that died between the commit and its outcome entry
 * can be completed by the next command as applied, or as not applied, without guessing from
 * the data. Rows are removed once the outcome is recorded; a few may stay after a crash.
 */
export const COMMIT_TABLE = 'lethe_commit';

const ready = new WeakSet<Knex>();

/** Creates the table on first use (outside any transaction: MySQL commits on DDL). */
export async function ensureCommitTable(knex: Knex): Promise<void> {
  if (ready.has(knex)) return;
  if (!(await knex.schema.hasTable(COMMIT_TABLE))) {
    try {
      await knex.schema.createTable(COMMIT_TABLE, (t) => {
        t.string('intent', 64).primary();
        t.string('committed_at', 32).notNullable();
      });
    } catch (error) {
      // Another lethe process created it meanwhile.
      if (!(await knex.schema.hasTable(COMMIT_TABLE))) {
        const { code } = error as { code?: unknown };
        throw new LetheError(
          `Cannot create lethe's table ${COMMIT_TABLE} (${typeof code === 'string' ? code : 'error'}).`,
          undefined,
          `lethe records there, inside each change's own transaction, that the change committed. Run lethe once as a database user allowed to create tables, or have one run: CREATE TABLE ${COMMIT_TABLE} (intent VARCHAR(64) PRIMARY KEY, committed_at VARCHAR(32) NOT NULL);`,
          { cause: error },
        );
      }
    }
  }
  ready.add(knex);
}

/** Inside the change's transaction: it committed if, and only if, this row did. */
export async function markCommitted(trx: Knex.Transaction, intentHash: string): Promise<void> {
  await trx(COMMIT_TABLE).insert({ intent: intentHash, committed_at: new Date().toISOString() });
}

/** Whether the change of this intent committed; undefined when lethe never wrote a marker here (no table). */
export async function wasCommitted(knex: Knex, intentHash: string): Promise<boolean | undefined> {
  if (!ready.has(knex) && !(await knex.schema.hasTable(COMMIT_TABLE))) return undefined;
  const row = (await knex(COMMIT_TABLE).where({ intent: intentHash }).first('intent')) as unknown;
  return row !== undefined;
}

/** After the outcome is recorded: the marker has served. Best effort; a leftover row is harmless. */
export async function forgetCommit(knex: Knex, intentHash: string): Promise<void> {
  await knex(COMMIT_TABLE)
    .where({ intent: intentHash })
    .delete()
    .catch(() => undefined);
}
