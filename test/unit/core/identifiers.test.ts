import { afterAll, beforeAll, expect, it } from 'vitest';
import { executeAnonymization, planAnonymization } from '../../../src/core/anonymize.js';
import { findPerson } from '../../../src/core/find.js';
import { NothingMatchedError } from '../../../src/errors.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';
import { createWorkspace } from '../../support/workspace.js';

const mixedCaseMap = (customers: string, orders: string) => `
subjects:
  customer:
    table: ${customers}
    identifiers:
      email: { column: EmailAddress, type: email }
    name: FullName
tables:
  ${customers}:
    primaryKey: CustomerId
    columns:
      EmailAddress: { strategy: { template: "customer-{CustomerId}@anonymized.invalid" } }
      FullName: { strategy: { template: "Customer {CustomerId}" } }
      SignedUpOn: keep
  ${orders}:
    primaryKey: OrderId
    belongsTo: { ${customers}: CustomerId }
    columns:
      CustomerId: keep
      ShippingName: { strategy: empty }
      TotalCents: keep
`;

describeEachDatabase('mixed-case and schema-qualified names', (target) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await target.create();
  });
  afterAll(async () => {
    await database?.drop();
  });

  async function build(schema?: string) {
    const knex = database.knex;
    // A schema builder is single-use: take a fresh one per statement.
    const builder = () => (schema ? knex.schema.withSchema(schema) : knex.schema);
    if (schema) await knex.raw('CREATE SCHEMA IF NOT EXISTS ??', [schema]);
    await builder().dropTableIfExists('Orders');
    await builder().dropTableIfExists('Customers');
    await builder().createTable('Customers', (t) => {
      t.increments('CustomerId');
      t.string('EmailAddress', 200).notNullable().unique();
      t.string('FullName', 200).notNullable();
      t.string('SignedUpOn', 20).notNullable();
    });
    await builder().createTable('Orders', (t) => {
      t.increments('OrderId');
      t.integer('CustomerId')
        .unsigned()
        .notNullable()
        .references('CustomerId')
        .inTable(schema ? `${schema}.Customers` : 'Customers');
      t.string('ShippingName', 200);
      t.integer('TotalCents').notNullable();
    });
    const qualify = (table: string) => (schema ? `${schema}.${table}` : table);
    await knex(qualify('Customers')).insert([
      { CustomerId: 1, EmailAddress: 'Ana.Lima@Example.com', FullName: 'Ana Lima', SignedUpOn: '2021-02-03' },
      { CustomerId: 2, EmailAddress: 'bo@example.org', FullName: 'Bo Berg', SignedUpOn: '2022-03-04' },
    ]);
    await knex(qualify('Orders')).insert([
      { OrderId: 10, CustomerId: 1, ShippingName: 'Ana Lima', TotalCents: 1999 },
      { OrderId: 11, CustomerId: 2, ShippingName: 'Bo Berg', TotalCents: 500 },
    ]);
    return qualify;
  }

  async function roundTrip(customers: string, orders: string) {
    const workspace = await createWorkspace(database, mixedCaseMap(customers, orders));
    const session = await workspace.session();
    try {
      const found = await findPerson(session, 'ana.lima@example.com');
      expect(found.subject.key).toBe(1);
      expect(found.tables.map((t) => [t.table, t.rows.length])).toEqual([
        [customers, 1],
        [orders, 1],
      ]);
      await executeAnonymization(session, await planAnonymization(session, 'ana.lima@example.com'));
      await expect(findPerson(session, 'ana.lima@example.com')).rejects.toBeInstanceOf(NothingMatchedError);
      expect(await database.knex(customers).orderBy('CustomerId')).toEqual([
        { CustomerId: 1, EmailAddress: 'customer-1@anonymized.invalid', FullName: 'Customer 1', SignedUpOn: '2021-02-03' },
        { CustomerId: 2, EmailAddress: 'bo@example.org', FullName: 'Bo Berg', SignedUpOn: '2022-03-04' },
      ]);
      expect(await database.knex(orders).orderBy('OrderId')).toEqual([
        { OrderId: 10, CustomerId: 1, ShippingName: '', TotalCents: 1999 },
        { OrderId: 11, CustomerId: 2, ShippingName: 'Bo Berg', TotalCents: 500 },
      ]);
    } finally {
      await session.close();
      await workspace.cleanup();
    }
  }

  it('finds and anonymizes through mixed-case quoted table and column names', async () => {
    await build();
    await roundTrip('Customers', 'Orders');
  });

  it.runIf(target.client === 'postgres')('works with schema-qualified tables (crm.Customers)', async () => {
    const qualify = await build('crm');
    await roundTrip(qualify('Customers'), qualify('Orders'));
  });
});
