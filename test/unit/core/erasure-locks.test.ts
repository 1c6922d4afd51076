import type { Knex } from 'knex';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { resolveSubject } from '../../../src/core/subject-lookup.js';
import { collectSubjectData } from '../../../src/core/subject-data.js';
import { impatientConnection, writeHeldOff } from '../../support/concurrency.js';
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
  beforeEach(async () => {
    other = await impatientConnection(shop.database);
  });
  afterEach(async () => {
    await other.destroy();
  });

  /** Another process adds a note for user 1: true when it was held off. */
  const noteInsertBlocked = (id: number) =>
    writeHeldOff(other, shop.database.client, (trx) =>
      trx('notes').insert({ id, user_id: 1, body: 'written during the erasure: jane.doe@example.com', created_at: '2026-01-01 00:00:00' }),
    );

  it('holds off a new row below the person until the erasure ends', async () => {
    const { session } = shop;
    const match = await resolveSubject(session.knex, session.dialect, session.map, session.schema, 'jane.doe@example.com');
    let blocked: boolean | undefined;
    await session.knex.transaction(async (trx) => {
      const collected = await collectSubjectData(trx, session.map, match, { trx, dialect: session.dialect });
      expect(collected[0]!.rows).toHaveLength(1);
      blocked = await noteInsertBlocked(900);
    });
    expect(blocked).toBe(true);
    expect(await noteInsertBlocked(901)).toBe(false);
  });
});
