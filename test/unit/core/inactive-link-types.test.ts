import type { Knex } from 'knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findPeople } from '../../../src/core/find.js';
import { planSweep } from '../../../src/core/sweep-plan.js';
import { executeSweep } from '../../../src/core/sweep-run.js';
import { SWEEP_STATE_TABLE } from '../../../src/db/sweep-state.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';
import { createWorkspace } from '../../support/workspace.js';

const now = new Date('2026-06-01T12:00:00Z');
const PEOPLE = 12;
/** Active last month through a session only: on a later page whatever the keys' order. */
const ACTIVE = [2, 10];

/** bigint: PostgreSQL hands its values to lethe as text. */
type ColumnType = 'integer' | 'bigint' | 'text';

/**
 * Customers whose key and whose sessions' link to it are of other types (a text link to an
 * integer key, an integer link to a text key): the database compares the two in the join,
 * converting one, but compares each with a page's bound by its own type ('10' < '9' as text).
 * The inactive pass reads a page of people at a time; who is active must not depend on it.
 */
async function build(knex: Knex, key: ColumnType, link: ColumnType): Promise<void> {
  for (const table of ['sessions', 'customers', SWEEP_STATE_TABLE]) await knex.schema.dropTableIfExists(table);
  await knex.schema.createTable('customers', (t) => {
    if (key === 'integer') t.integer('id').primary();
    else if (key === 'bigint') t.bigInteger('id').primary();
    else t.string('id', 10).primary();
    t.string('email', 200).notNullable();
    t.datetime('last_seen').nullable();
  });
  await knex.schema.createTable('sessions', (t) => {
    t.integer('id').primary();
    if (link === 'integer') t.integer('customer_id').notNullable();
    else if (link === 'bigint') t.bigInteger('customer_id').notNullable();
    else t.string('customer_id', 10).notNullable();
    t.datetime('seen_at').notNullable();
  });
  const old = '2024-01-01 00:00:00';
  const ids = Array.from({ length: PEOPLE }, (_, i) => i + 1);
  await knex('customers').insert(ids.map((id) => ({ id: key === 'text' ? String(id) : id, email: `c${id}@example.net`, last_seen: old })));
  await knex('sessions').insert(
    ids.map((id) => ({ id, customer_id: link === 'text' ? String(id) : id, seen_at: ACTIVE.includes(id) ? '2026-05-01 00:00:00' : old })),
  );
}

const map = `
subjects:
  customer:
    table: customers
    identifiers:
      email: { column: email, type: email }
tables:
  customers:
    columns:
      email: { strategy: { template: "customer-{id}@anonymized.invalid" } }
      last_seen: keep
    retention:
      inactiveFor: 12 months
      activity: [customers.last_seen, sessions.seen_at]
  sessions:
    belongsTo: { customers: customer_id }
    onErase: delete
    columns: { customer_id: keep, seen_at: keep }
`;

describeEachDatabase('sweep: inactive people whose activity links by a column of another type than their key', (target) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await target.create();
  });
  afterAll(async () => {
    await database?.drop();
  });

  // PostgreSQL does not compare text with an integer: a map cannot join them there.
  const shapes: [ColumnType, ColumnType][] =
    target.client === 'postgres'
      ? [
          ['text', 'text'],
          ['integer', 'integer'],
          ['bigint', 'bigint'],
        ]
      : [
          ['integer', 'text'],
          ['text', 'integer'],
          ['text', 'text'],
          ['integer', 'integer'],
          ['bigint', 'bigint'],
        ];
  for (const [key, link] of shapes) {
    it(`a ${link} link to a ${key} key: the people active on a later page are left alone, the others erased`, async () => {
      await build(database.knex, key, link);
      const workspace = await createWorkspace(database, map);
      const session = await workspace.session();
      try {
        // find follows the link whatever its type: customer 1's session is theirs.
        const [found] = await findPeople(session, 'c1@example.net');
        expect(found!.tables.find((t) => t.table === 'sessions')?.rows.map((r) => Number(r.id))).toEqual([1]);
        const plan = await planSweep(session, { now, table: 'customers' });
        // The plan counts a page at a time too.
        expect(plan.tasks[0]!.due).toBe(PEOPLE - ACTIVE.length);
        const summary = await executeSweep(session, plan, { batchSize: 3 });
        expect(summary.tasks[0]).toMatchObject({ complete: true, people: PEOPLE - ACTIVE.length });
        const rows = (await database.knex('customers').select('id', 'email')) as { id: unknown; email: string }[];
        const kept = rows.filter((r) => r.email.endsWith('@example.net')).map((r) => Number(r.id));
        expect(kept.sort((a, b) => a - b)).toEqual(ACTIVE);
        expect(Number((await database.knex('sessions').count({ n: '*' }))[0]!.n)).toBe(ACTIVE.length);
      } finally {
        await session.close();
        await workspace.cleanup();
      }
    });
  }
});
