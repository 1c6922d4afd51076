import type { Knex } from 'knex';
import type { RowKey } from './row-key.js';

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

/** Where a table's pass stands: the watermark of the last finished one, the progress of a stopped one. */
export async function readSweepState(
  knex: Knex,
  table: string,
  action: string,
  digest: string,
): Promise<{ watermark?: Date; progress?: Omit<SweepProgress, 'table' | 'action' | 'digest'> }> {
  if (!(await knex.schema.hasTable(SWEEP_STATE_TABLE))) return {};
  // A state table from before progress was kept has no resume column: select * reads either.
  const rows = (await knex(SWEEP_STATE_TABLE)
    .where({ table_name: table, digest })
    .whereIn('action', [action, progressAction(action)])) as {
    action: string;
    cutoff: string;
    resume?: string | null;
  }[];
  const finished = rows.find((r) => r.action === action);
  const stopped = rows.find((r) => r.action === progressAction(action) && r.resume);
  const resume = stopped ? (JSON.parse(stopped.resume!) as { after: RowKey; from: string | null }) : undefined;
  return {
    ...(finished ? { watermark: new Date(finished.cutoff) } : {}),
    ...(stopped && resume
      ? { progress: { cutoff: new Date(stopped.cutoff), lastKey: resume.after, ...(resume.from ? { from: new Date(resume.from) } : {}) } }
      : {}),
  };
}

/** A finished pass: its cutoff becomes the watermark, and the progress of the pass is dropped. */
export async function writeWatermark(knex: Knex, mark: SweepWatermark): Promise<void> {
  await prepareSweepState(knex);
  await knex.transaction(async (trx) => {
    await trx(SWEEP_STATE_TABLE)
      .whereIn('action', [mark.action, progressAction(mark.action)])
      .where({ table_name: mark.table })
      .delete();
    await trx(SWEEP_STATE_TABLE).insert(stateRow(mark, null));
  });
}

/**
 * How far an unfinished pass got: every row with a key up to `lastKey` and a timestamp in
 * [`from`, `cutoff`) was done. Written in each batch's own transaction, so it is exactly as
 * far as the committed batches went, however the sweep stopped.
 */
export interface SweepProgress extends SweepWatermark {
  lastKey: RowKey;
  /** The pass's lower bound (the rows older than this were not its work), if it had one. */
  from?: Date;
}

/** Records a batch's progress inside the batch's transaction (prepareSweepState first). */
export async function writeProgress(trx: Knex.Transaction, progress: SweepProgress): Promise<void> {
  const action = progressAction(progress.action);
  await trx(SWEEP_STATE_TABLE).where({ table_name: progress.table, action }).delete();
  await trx(SWEEP_STATE_TABLE).insert(
    stateRow({ ...progress, action }, JSON.stringify({ after: progress.lastKey, from: progress.from?.toISOString() ?? null })),
  );
}

const progressAction = (action: string): string => `${action}:progress`;

function stateRow(mark: SweepWatermark, resume: string | null): Record<string, string | null> {
  return { table_name: mark.table, action: mark.action, digest: mark.digest, cutoff: mark.cutoff.toISOString(), updated_at: new Date().toISOString(), resume };
}

/** The state table, with its progress column, before any batch writes to it (DDL would end a MySQL transaction). */
export async function prepareSweepState(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable(SWEEP_STATE_TABLE)) {
    // Written by a lethe from before progress was kept.
    if (!(await knex.schema.hasColumn(SWEEP_STATE_TABLE, 'resume'))) {
      await knex.schema.alterTable(SWEEP_STATE_TABLE, (t) => {
        t.string('resume', 1024).nullable();
      });
    }
    return;
  }
  try {
    await knex.schema.createTable(SWEEP_STATE_TABLE, (t) => {
      t.string('table_name', 255).notNullable();
      t.string('action', 30).notNullable();
      t.string('digest', 64).notNullable();
      t.string('cutoff', 30).notNullable();
      t.string('updated_at', 30).notNullable();
      t.string('resume', 1024).nullable();
      t.primary(['table_name', 'action']);
    });
  } catch (error) {
    // Two sweeps cannot race here (the job lock), but a table created meanwhile by hand is fine.
    if (!(await knex.schema.hasTable(SWEEP_STATE_TABLE))) throw error;
  }
}
