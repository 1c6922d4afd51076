import type { Knex } from 'knex';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { checkDataMap } from '../../../src/core/check.js';
import { dialectFor, openDatabase } from '../../../src/db/connect.js';
import { INSTANCE_TABLE, databaseIdentity, isLetheTable } from '../../../src/db/database-identity.js';
import { SWEEP_STATE_TABLE } from '../../../src/db/sweep-state.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';
import { buildShopSchema, createWorkspace, shopMap } from '../../support/workspace.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describeEachDatabase('databaseIdentity', (target) => {
  let database: TestDatabase;
  let other: Knex;
  const label = () => dialectFor(target.client).describeTarget(database.connection);

  beforeAll(async () => {
    database = await target.create();
    // A second client of the same database, as another lethe process would be.
    other = openDatabase({ client: target.client, connection: database.connection });
  });
  afterAll(async () => {
    await other?.destroy();
    await database?.drop();
  });
  beforeEach(async () => {
    await database.knex.schema.dropTableIfExists(INSTANCE_TABLE);
  });

  it('writes a random id into the database on first use and reads the same one afterwards, from any client', async () => {
    const first = await databaseIdentity(database.knex, label());
    expect(first.id).toMatch(UUID);
    expect(first.label).toBe(label());
    expect(await database.knex(INSTANCE_TABLE).select('singleton', 'id')).toEqual([{ singleton: 1, id: first.id }]);
    expect(await databaseIdentity(database.knex, label())).toEqual(first);
    expect((await databaseIdentity(other, 'another label for the same database')).id).toBe(first.id);
  });

  it('clients that start at once agree on one id', async () => {
    const ids = await Promise.all([databaseIdentity(database.knex, label()), databaseIdentity(other, label()), databaseIdentity(database.knex, label())]);
    expect(new Set(ids.map((i) => i.id)).size).toBe(1);
    expect(Number((await database.knex(INSTANCE_TABLE).count({ n: '*' }).first())!.n)).toBe(1);
  });

  it('a database without its id (a backup from before lethe first ran, restored in place) takes back the one the trail knows for its place', async () => {
    const known = '33333333-3333-4333-8333-333333333333';
    expect(await databaseIdentity(database.knex, label(), () => known)).toEqual({ id: known, label: label() });
    // Asked only when the database has no id of its own.
    expect((await databaseIdentity(database.knex, label(), () => 'never used')).id).toBe(known);
  });

  it('another database has another id', async () => {
    const elsewhere = await target.create();
    try {
      expect((await databaseIdentity(elsewhere.knex, 'elsewhere')).id).not.toBe((await databaseIdentity(database.knex, label())).id);
    } finally {
      await elsewhere.drop();
    }
  });

  it('the label never holds the user name or password of the connection', () => {
    expect(label()).not.toMatch(/root@|password|secret/i);
    const withPassword =
      target.client === 'sqlite'
        ? '/srv/app.db'
        : `${target.client === 'postgres' ? 'postgres' : 'mysql'}://lethe:s3cr3t-pw@db.example.com:1234/crm?password=s3cr3t-pw`;
    const described = dialectFor(target.client).describeTarget(withPassword);
    expect(described).not.toMatch(/s3cr3t|lethe:/);
  });

  it("is lethe's own table: a session writes it, and `lethe check` does not report it as unmapped", async () => {
    await buildShopSchema(database.knex);
    const workspace = await createWorkspace(database, shopMap);
    try {
      const session = await workspace.session();
      const id = (await database.knex(INSTANCE_TABLE).first()).id as string;
      expect(session.audit.database).toEqual({ id, label: label() });
      await session.close();
      const report = await checkDataMap({ configPath: workspace.configPath, env: {} });
      expect(report.warnings.map((w) => w.message).join('\n')).not.toContain(INSTANCE_TABLE);
    } finally {
      await workspace.cleanup();
    }
    expect([INSTANCE_TABLE, SWEEP_STATE_TABLE, 'users'].map(isLetheTable)).toEqual([true, true, false]);
  });
});
