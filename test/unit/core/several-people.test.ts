import type { Knex } from 'knex';
import { expect, it } from 'vitest';
import { executeAnonymization, planAnonymization } from '../../../src/core/anonymize.js';
import { findPeople } from '../../../src/core/find.js';
import type { Session } from '../../../src/core/session.js';
import { AmbiguousSubjectError } from '../../../src/core/subject-lookup.js';
import { planSweep } from '../../../src/core/sweep-plan.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';
import { useSessionPerTest, type Workspace } from '../../support/workspace.js';

/** Customers and the agents who support them: two kinds of people, one referring to the other. */
async function buildSchema(knex: Knex): Promise<void> {
  for (const table of ['orders', 'customers', 'agents']) await knex.schema.dropTableIfExists(table);
  await knex.schema.createTable('agents', (t) => {
    t.increments('id');
    t.string('email', 100).notNullable();
    t.string('full_name', 100).notNullable();
  });
  await knex.schema.createTable('customers', (t) => {
    t.increments('id');
    t.string('email', 100).notNullable();
    t.string('full_name', 100).notNullable();
    t.string('phone', 40).nullable();
    t.integer('agent_id').unsigned().nullable().references('agents.id');
    t.index(['agent_id']);
    t.datetime('created_at', { useTz: false }).notNullable();
  });
  await knex.schema.createTable('orders', (t) => {
    t.increments('id');
    t.integer('customer_id').unsigned().notNullable().references('customers.id');
    t.index(['customer_id']);
    t.datetime('ordered_at', { useTz: false }).notNullable();
  });
  await knex('agents').insert([{ id: 1, email: 'sam@shop.example', full_name: 'Sam Agent' }]);
  await knex('customers').insert([
    { id: 1, email: 'ann@example.org', full_name: 'Ann Buyer', phone: '+453 3331 9991', agent_id: 1, created_at: '2019-01-01 00:00:00' },
    { id: 2, email: 'bob@example.org', full_name: 'Bob Buyer', phone: '+1 (514) 721-4711', agent_id: 1, created_at: '2019-01-01 00:00:00' },
    // Sam buys too: the same e-mail names a customer and an agent.
    { id: 3, email: 'sam@shop.example', full_name: 'Sam Agent', phone: null, agent_id: 1, created_at: '2019-01-01 00:00:00' },
    // Signed up long ago, never ordered; and one who signed up yesterday.
    { id: 4, email: 'quiet@example.org', full_name: 'Quinn Quiet', phone: null, agent_id: null, created_at: '2019-01-01 00:00:00' },
    { id: 5, email: 'new@example.org', full_name: 'Nia New', phone: null, agent_id: null, created_at: '2026-12-01 00:00:00' },
  ]);
  await knex('orders').insert([
    { id: 1, customer_id: 1, ordered_at: '2020-01-01 00:00:00' },
    { id: 2, customer_id: 2, ordered_at: '2026-11-30 00:00:00' },
    { id: 3, customer_id: 3, ordered_at: '2020-01-01 00:00:00' },
  ]);
}

const map = (retention: string) => `
secrets: { key: test-key-0123456789abcdef0123456789 }
subjects:
  customer:
    table: customers
    identifiers:
      email: { column: email, type: email }
      phone: { column: phone, type: phone }
    name: full_name
  agent:
    table: agents
    identifiers:
      email: { column: email, type: email }
    name: full_name
tables:
  agents:
    columns:
      email: { strategy: { template: "agent-{id}@anonymized.invalid" } }
      full_name: { strategy: { template: "Agent #{id}" } }
  customers:
    references: { agents: agent_id }
    columns:
      email: { strategy: { template: "customer-{id}@anonymized.invalid" } }
      full_name: { strategy: { template: "Customer #{id}" } }
      phone: "null"
      agent_id: keep
      created_at: keep
${retention}
  orders:
    belongsTo: { customers: customer_id }
    onErase: keep
    columns:
      customer_id: keep
      ordered_at: keep
`;

describeEachDatabase('several kinds of people', (target) => {
  let database: TestDatabase;
  let workspace: Workspace;
  let session: Session;
  useSessionPerTest(
    target,
    map('    retention: { inactiveFor: 2 years, activity: [orders.ordered_at], activityFallback: created_at }'),
    (knex) => buildSchema(knex),
    (current) => ({ database, workspace, session } = current),
  );

  it('find without --subject searches every subject and shows each match under its kind', async () => {
    const results = await findPeople(session, 'sam@shop.example');
    expect(results.map((r) => [r.subject.name, r.subject.key])).toEqual([
      ['customer', 3],
      ['agent', 1],
    ]);
    expect((await findPeople(session, 'ann@example.org')).map((r) => r.subject.name)).toEqual(['customer']);
  });

  it('anonymize of a value naming two kinds of people needs --subject', async () => {
    const refused = planAnonymization(session, 'sam@shop.example');
    await expect(refused).rejects.toBeInstanceOf(AmbiguousSubjectError);
    await expect(refused).rejects.toMatchObject({ problem: { kind: 'ambiguous', subjects: expect.arrayContaining(['customer', 'agent']) } });
  });

  it('erasing an agent leaves every customer row unchanged: a reference is not ownership', async () => {
    const customers = await database.knex('customers').orderBy('id');
    const plan = await planAnonymization(session, 'sam@shop.example', { subject: 'agent' });
    expect(plan.tables.map((t) => t.table)).toEqual(['agents']);
    await executeAnonymization(session, plan);
    expect(await database.knex('customers').orderBy('id')).toEqual(customers);
    expect((await database.knex('agents').where({ id: 1 }).first()).email).toBe('agent-1@anonymized.invalid');
  });

  it('finds a stored phone that libphonenumber rejects, by its digits in any formatting', async () => {
    for (const typed of ['+453 3331 9991', '453-3331-9991', '3331 9991', '(453) 33319991']) {
      const [found] = await findPeople(session, typed, { subject: 'customer' });
      expect(found!.subject.key, typed).toBe(1);
    }
    for (const typed of ['5147214711', '514-721-4711', '+1 514 721 4711']) expect((await findPeople(session, typed))[0]!.subject.key, typed).toBe(2);
  });

  it('a person with no activity counts from activityFallback; the plan says how many are due that way', async () => {
    const plan = await planSweep(session, { now: new Date('2026-12-07T00:00:00Z') });
    const task = plan.tasks.find((t) => t.action === 'inactive')!;
    // 1 and 3 ordered long ago; 4 never ordered but signed up long ago; 2 ordered lately; 5 signed up lately.
    expect(task.due).toBe(3);
    expect(task.dueWithoutActivity).toBe(1);
  });

  it('an inactivity rule with nothing to count from for a person without activity is a map problem', async () => {
    await session.close();
    await workspace.writeMap(map('    retention: { inactiveFor: 2 years, activity: [orders.ordered_at] }'));
    await expect(workspace.session()).rejects.toMatchObject({ message: expect.stringContaining('activityFallback') });
    await workspace.writeMap(map('    retention: { inactiveFor: 2 years, activity: [orders.ordered_at], activityFallback: created_at }'));
    session = await workspace.session();
  });
});
