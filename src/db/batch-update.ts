import type { Knex } from 'knex';

export interface KeyedUpdate {
  key: string | number;
  values: Record<string, unknown>;
}

/**
 * Writes values computed in JS to rows found by primary key, inside the caller's
 * transaction. One statement per row is correct everywhere; each dialect's faster
 * set-based form belongs here when batches get large.
 */
export async function updateRowsByKey(trx: Knex.Transaction, table: string, primaryKey: string, updates: KeyedUpdate[]): Promise<void> {
  for (const update of updates) {
    await trx(table).where(primaryKey, update.key).update(update.values);
  }
}
