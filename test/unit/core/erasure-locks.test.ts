import type { Knex } from 'knex';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { resolveSubject } from '../../../src/core/subject-lookup.js';
import { collectSubjectData } from '../../../src/core/subject-data.js';
import { openDatabase } from '../../../src/db/connect.js';
import { describeEachDatabase } from '../../support/databases.js';
import { useShopSession } from '../../support/workspace.js';

/**
 * An erasure reads the person's rows locked, parents first: a row another process adds below
 * them meanwhile (a new note for the person) waits for the erasure's commit instead of
 * slipping past it unseen; on SQLite the erasure holds the write lock from its first read.
 */
describeEachDatabase('an erasure locks what it reads', (target) => {
  const shop = useShopSession(target);
  let other: Knex;
  beforeEach(() => {
    other = openDatabase({ client: shop.database.client, connection: shop.database.connection });
  });
  afterEach(async () => {
    await other.destroy();
  });

  /** Another process adds a note for user 1 without waiting long; true when it was held off. */
  async function noteInsertBlocked(id: number): Promise<boolean> {
    const note = { id, user_id: 1, body: 'written during the erasure: jane.doe@example.com', created_at: '2026-01-01 00:00:00' };
    if (shop.database.client === 'sqlite') {
      const raw = (await other.client.acquireConnection()) as { pragma(s: string): unknown; prepare(s: string): { run(...a: unknown[]): unknown } };
      raw.pragma('busy_timeout = 0');
      try {
        raw.prepare('INSERT INTO notes (id, user_id, body, created_at) VALUES (?, ?, ?, ?)').run(note.id, note.user_id, note.body, note.created_at);
        return false;
      } catch (error) {
        return (error as { code?: string }).code === 'SQLITE_BUSY';
      } finally {
        raw.pragma('busy_timeout = 5000');
        await other.client.releaseConnection(raw);
      }
    }
    return other.transaction(async (trx) => {
      await trx.raw(shop.database.client === 'postgres' ? "SET LOCAL lock_timeout = '300ms'" : 'SET SESSION innodb_lock_wait_timeout = 1');
      try {
        await trx('notes').insert(note);
        return false;
      } catch {
        return true;
      }
    });
  }

  it('holds off a new row below the person until the erasure ends', async () => {
    const { session } = shop;
    const match = await resolveSubject(session.knex, session.dialect, session.map, session.schema, 'jane.doe@example.com');
    let blocked: boolean | undefined;
    await session.knex.transaction(async (trx) => {
      const collected = await collectSubjectData(trx, session.map, match, { dialect: session.dialect });
      expect(collected[0]!.rows).toHaveLength(1);
      blocked = await noteInsertBlocked(900);
    });
    expect(blocked).toBe(true);
    expect(await noteInsertBlocked(901)).toBe(false);
  });
});
