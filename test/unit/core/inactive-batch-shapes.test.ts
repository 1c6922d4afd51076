import type { Knex } from 'knex';
import { expect, it } from 'vitest';
import { executeAnonymization, planForMatch } from '../../../src/core/anonymize.js';
import type { Session } from '../../../src/core/session.js';
import type { Row } from '../../../src/core/subject-lookup.js';
import { inactiveSubjects, planSweep } from '../../../src/core/sweep-plan.js';
import { executeSweep } from '../../../src/core/sweep-run.js';
import { SWEEP_STATE_TABLE } from '../../../src/db/sweep-state.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';
import { createWorkspace, useSessionPerTest, type Workspace } from '../../support/workspace.js';

const now = new Date('2026-06-01T12:00:00Z');
const PEOPLE = 40;

/**
 * A shop shaped unlike the forum of inactive-batch.test.ts, for the batch's lean paths: tables
 * written with constants are read by key only, or not read at all and written by their links
 * where the database returns the keys it wrote. Addresses have a key of two columns; orders are
 * written with constants but have rows below them (notes, redacted with their owner's name:
 * the owner is told through the orders' links); returns belong to an order and to a customer
 * (two links, possibly two people of the batch: read by key and links, so that no row is
 * written twice); loyalty rows are kept, and wishlist rows
 * are anonymized with nothing personal in them (nothing to write, still audited).
 */
async function buildShop(knex: Knex): Promise<void> {
  for (const table of ['returns', 'order_notes', 'orders', 'addresses', 'loyalty', 'wishlist', 'customers', SWEEP_STATE_TABLE])
    await knex.schema.dropTableIfExists(table);
  await knex.schema.createTable('customers', (t) => {
    t.integer('id').primary();
    t.string('email', 200).notNullable();
    t.string('full_name', 200).notNullable();
    t.datetime('last_seen').nullable();
  });
  await knex.schema.createTable('addresses', (t) => {
    t.integer('customer_id').notNullable().references('customers.id');
    t.integer('seq').notNullable();
    t.string('line1', 200).notNullable();
    t.string('city', 100).nullable();
    t.primary(['customer_id', 'seq']);
  });
  await knex.schema.createTable('orders', (t) => {
    t.integer('id').primary();
    t.integer('customer_id').notNullable().references('customers.id');
    t.string('ship_name', 200).nullable();
    t.integer('total_cents').notNullable();
  });
  await knex.schema.createTable('order_notes', (t) => {
    t.integer('id').primary();
    t.integer('order_id').notNullable().references('orders.id');
    t.text('body').notNullable();
  });
  await knex.schema.createTable('returns', (t) => {
    t.integer('id').primary();
    t.integer('order_id').notNullable().references('orders.id');
    t.integer('customer_id').notNullable().references('customers.id');
    t.string('reason', 200).notNullable();
  });
  await knex.schema.createTable('loyalty', (t) => {
    t.integer('id').primary();
    t.integer('customer_id').notNullable().references('customers.id');
    t.integer('points').notNullable();
  });
  await knex.schema.createTable('wishlist', (t) => {
    t.integer('id').primary();
    t.integer('customer_id').notNullable().references('customers.id');
    t.string('product', 100).notNullable();
  });
  const at = (months: number) => {
    const d = new Date(now);
    d.setUTCMonth(d.getUTCMonth() - months);
    return d.toISOString().slice(0, 19).replace('T', ' ');
  };
  const names = ['Nguyễn Thị Lan', 'Oluwaseun Adeyemi', 'Björk Guðmundsdóttir', 'Περικλής Παππάς', 'Иван Петров', 'Aigerim Nurlanovna'];
  const customers = [];
  const addresses = [];
  const orders = [];
  const notes = [];
  const returns = [];
  const loyalty = [];
  const wishlist = [];
  for (let id = 1; id <= PEOPLE; id += 1) {
    const name = `${names[id % names.length]} ${id}`;
    customers.push({ id, email: `c${id}@example.net`, full_name: name, last_seen: id % 4 === 0 ? at(2) : at(20) });
    for (let seq = 1; seq <= (id % 3) + 1; seq += 1) addresses.push({ customer_id: id, seq, line1: `${id} Rue de la Paix ${seq}`, city: 'Lyon' });
    orders.push({ id: id * 10, customer_id: id, ship_name: name, total_cents: id * 100 });
    orders.push({ id: id * 10 + 1, customer_id: id, ship_name: null, total_cents: 5 });
    notes.push({ id: id * 10, order_id: id * 10, body: `Deliver to ${name}, back door` });
    // A return on this customer's order, filed by the next customer (two people in one row), and one of their own.
    const other = id === PEOPLE ? 1 : id + 1;
    returns.push({ id: id * 10, order_id: id * 10, customer_id: other, reason: `${name} said it was broken` });
    returns.push({ id: id * 10 + 1, order_id: id * 10 + 1, customer_id: id, reason: 'too small' });
    loyalty.push({ id, customer_id: id, points: id });
    wishlist.push({ id, customer_id: id, product: `Lamp ${id % 5}` });
  }
  await knex('customers').insert(customers);
  await knex('addresses').insert(addresses);
  await knex('orders').insert(orders);
  await knex('order_notes').insert(notes);
  await knex('returns').insert(returns);
  await knex('loyalty').insert(loyalty);
  await knex('wishlist').insert(wishlist);
}

const shopMap = `
subjects:
  customer:
    table: customers
    identifiers:
      email: { column: email, type: email }
    name: full_name
tables:
  customers:
    columns:
      email: { strategy: { template: "customer-{id}@anonymized.invalid" } }
      full_name: { strategy: { value: "Former customer" } }
      last_seen: keep
    retention:
      inactiveFor: 12 months
      activity: [customers.last_seen]
  addresses:
    primaryKey: [customer_id, seq]
    belongsTo: { customers: customer_id }
    columns: { customer_id: keep, seq: keep, line1: { strategy: { value: "(erased)" } }, city: "null" }
  orders:
    belongsTo: { customers: customer_id }
    columns: { customer_id: keep, ship_name: "null", total_cents: keep }
  order_notes:
    belongsTo: { orders: order_id }
    columns: { order_id: keep, body: redact }
  returns:
    belongsTo: { orders: order_id, customers: customer_id }
    onErase: delete
    columns: { order_id: keep, customer_id: keep, reason: keep }
  loyalty:
    belongsTo: { customers: customer_id }
    onErase: keep
    columns: { customer_id: keep, points: keep }
  wishlist:
    belongsTo: { customers: customer_id }
    columns: { customer_id: keep, product: keep }
`;

describeEachDatabase('sweep: inactive people in batches, tables read by key or written by their links', (target) => {
  let database: TestDatabase;
  let workspace: Workspace;
  let session: Session;
  useSessionPerTest(
    target,
    shopMap,
    (knex) => buildShop(knex),
    (current) => ({ database, workspace, session } = current),
  );

  const everything = async () => ({
    customers: await database.knex('customers').orderBy('id'),
    addresses: await database.knex('addresses').orderBy(['customer_id', 'seq']),
    orders: await database.knex('orders').orderBy('id'),
    order_notes: await database.knex('order_notes').orderBy('id'),
    returns: await database.knex('returns').orderBy('id'),
    loyalty: await database.knex('loyalty').orderBy('id'),
    wishlist: await database.knex('wishlist').orderBy('id'),
  });
  const expectedDue = Array.from({ length: PEOPLE }, (_, i) => i + 1).filter((id) => id % 4 !== 0);

  it('leaves the database as erasing each person alone would, and audits each row once', async () => {
    const plan = await planSweep(session, { now, table: 'customers' });
    const subject = session.map.subjects.get('customer')!;
    const due = (await inactiveSubjects(session.knex, session.dialect, session.map, subject, plan.tasks[0]!.cutoff)) as Row[];
    expect(due.map((r) => Number(r.id))).toEqual(expectedDue);
    for (const row of due) {
      await executeAnonymization(session, await planForMatch(session, { subject, key: row.id as number, row, matchedBy: ['inactivity'] }), {
        command: 'sweep',
      });
    }
    const oneByOne = await everything();
    // The reference did what the map says: notes hold no name of their owner, returns of a due person are gone.
    expect(JSON.stringify(oneByOne.order_notes)).not.toContain(' 1,');
    expect(oneByOne.returns.some((r: Row) => Number(r.id) === 11)).toBe(false);

    await session.close();
    await workspace.cleanup();
    await buildShop(database.knex);
    workspace = await createWorkspace(database, shopMap);
    session = await workspace.session();
    const summary = await executeSweep(session, await planSweep(session, { now, table: 'customers' }), { batchSize: 7 });
    const task = summary.tasks[0]!;
    expect(task).toMatchObject({ complete: true, people: expectedDue.length });
    expect(await everything()).toEqual(oneByOne);

    // Each row once, however many people of a batch it belongs to; kept rows are not reported as changed.
    const addressRows = expectedDue.reduce((n, id) => n + (id % 3) + 1, 0);
    const returnRows = new Set(expectedDue.flatMap((id) => [id * 10, id * 10 + 1, (id === 1 ? PEOPLE : id - 1) * 10])).size;
    expect(task.tables).toEqual({
      customers: { action: 'anonymize', rows: expectedDue.length },
      addresses: { action: 'anonymize', rows: addressRows },
      orders: { action: 'anonymize', rows: expectedDue.length * 2 },
      order_notes: { action: 'anonymize', rows: expectedDue.length },
      returns: { action: 'delete', rows: returnRows },
    });

    // The audit of each batch: the key digest and range of what it wrote, keys of two columns included.
    const outcomes = session.audit.list({ action: 'anonymize' }).filter((e) => e.phase === 'outcome');
    expect(outcomes.every((e) => e.outcome === 'ok')).toBe(true);
    expect(outcomes.reduce((n, e) => n + (e.tables.addresses?.rows ?? 0), 0)).toBe(addressRows);
    expect(outcomes.reduce((n, e) => n + (e.tables.returns?.rows ?? 0), 0)).toBe(returnRows);
    for (const entry of outcomes) {
      expect(entry.tables.addresses).toMatchObject({ action: 'anonymize', keyDigest: expect.stringMatching(/^[0-9a-f]{64}$/), columns: ['line1', 'city'] });
      const [first, last] = entry.tables.addresses!.keyRange!;
      expect(Array.isArray(first) && first.length === 2 && Array.isArray(last) && last.length === 2).toBe(true);
      expect(entry.tables.loyalty).toMatchObject({ action: 'keep' });
      expect(entry.tables.wishlist).toMatchObject({ action: 'anonymize', keyDigest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    }
    expect(session.audit.verify()).toMatchObject({ ok: true });
  });
});
