import type { Knex } from 'knex';

/**
 * Where each table's sweep got to, kept in the swept database itself (table
 * `lethe_sweep_state`), not in a local file: a database restored from a backup brings
 * back the state that matches its rows, so rows that come back are swept again.
 */
export const SWEEP_STATE_TABLE = 'lethe_sweep_state';

export interface SweepWatermark {
  table: string;
  action: string;
  /** Identifies the strategies and timestamp the pass ran with; another digest means start over. */
  digest: string;
  /** Every row with a timestamp before this was done. */
  cutoff: Date;
}

export async function readWatermark(knex: Knex, table: string, action: string, digest: string): Promise<Date | undefined> {
  if (!(await knex.schema.hasTable(SWEEP_STATE_TABLE))) return undefined;
  const row = (await knex(SWEEP_STATE_TABLE).where({ table_name: table, action, digest }).first()) as { cutoff: string } | undefined;
  return row ? new Date(row.cutoff) : undefined;
}

export async function writeWatermark(knex: Knex, mark: SweepWatermark): Promise<void> {
  await ensureStateTable(knex);
  await knex.transaction(async (trx) => {
    await trx(SWEEP_STATE_TABLE).where({ table_name: mark.table, action: mark.action }).delete();
    await trx(SWEEP_STATE_TABLE).insert({
      table_name: mark.table,
      action: mark.action,
      digest: mark.digest,
      cutoff: mark.cutoff.toISOString(),
      updated_at: new Date().toISOString(),
    });
  });
}

async function ensureStateTable(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable(SWEEP_STATE_TABLE)) return;
  try {
    await knex.schema.createTable(SWEEP_STATE_TABLE, (t) => {
      t.string('table_name', 255).notNullable();
      t.string('action', 20).notNullable();
      t.string('digest', 64).notNullable();
      t.string('cutoff', 30).notNullable();
      t.string('updated_at', 30).notNullable();
      t.primary(['table_name', 'action']);
    });
  } catch (error) {
    // Two sweeps cannot race here (the job lock), but a table created meanwhile by hand is fine.
    if (!(await knex.schema.hasTable(SWEEP_STATE_TABLE))) throw error;
  }
}
