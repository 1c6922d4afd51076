import type { Knex } from 'knex';

/**
 * Polls `check` until it holds, with a generous bound (30 s), never a fixed sleep: a test
 * waits for a state (a batch's audit entry, a lock taken), not for a time.
 */
export async function waitFor(check: () => Promise<boolean> | boolean, what: string, { tries = 600, everyMs = 50 } = {}): Promise<void> {
  for (let i = 0; i < tries; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The demo's tables, every row in key order: what two runs must leave alike. */
export async function demoContents(knex: Knex): Promise<Record<string, unknown[]>> {
  const all: Record<string, unknown[]> = {};
  for (const table of ['users', 'conversations', 'messages', 'orders', 'consents']) all[table] = await knex(table).orderBy('id');
  return all;
}
