import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TABLES, JANE_DOE, generateDemoRows, type DemoTable } from '../../../fixtures/demo/data.js';
import { generateDemoDatabase, prepareSqliteFile, whyNotReplaceable, type DemoCounts } from '../../../fixtures/demo/generate-database.js';
import { createDemoSchema } from '../../../fixtures/demo/schema.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const SIX_YEARS_AGO = new Date('2020-03-01T00:00:00Z');
const SQLITE_DATETIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;

type Row = Record<string, unknown>;
type Dump = Record<DemoTable, Row[]>;

let dir: string;
const open: Knex[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lethe-demo-'));
});

afterAll(async () => {
  await Promise.all(open.map((k) => k.destroy()));
  fs.rmSync(dir, { recursive: true, force: true });
});

function sqlite(name: string): Knex {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, name) },
    useNullAsDefault: true,
  });
  open.push(knex);
  return knex;
}

async function dump(knex: Knex): Promise<Dump> {
  const entries = await Promise.all(DEMO_TABLES.map(async (t) => [t, await knex(t).orderBy('id')] as const));
  return Object.fromEntries(entries) as Dump;
}

async function build(name: string, users: number, seed = 42): Promise<{ knex: Knex; counts: DemoCounts; rows: Dump }> {
  const knex = sqlite(name);
  await createDemoSchema(knex);
  const counts = await generateDemoDatabase(knex, { users, seed, now: NOW });
  return { knex, counts, rows: await dump(knex) };
}

describe('demo database', () => {
  let main: Awaited<ReturnType<typeof build>>;

  beforeAll(async () => {
    main = await build('main.db', 500);
  });

  it('has the requested users and plausible counts in every table (default size)', () => {
    const { counts, rows } = main;
    for (const table of DEMO_TABLES) expect(rows[table]).toHaveLength(counts[table]);
    expect(counts.users).toBe(500);
    expect(counts.conversations).toBeGreaterThan(500);
    expect(counts.messages).toBeGreaterThan(3 * counts.conversations);
    expect(counts.orders).toBeGreaterThan(500);
    expect(counts.consents).toBeGreaterThanOrEqual(4 * counts.users);
  });

  it('stores SQLite timestamps as UTC text within the six years before now', () => {
    const stamps = [
      ...main.rows.users.flatMap((r) => [r.created_at, r.last_seen_at]),
      ...main.rows.conversations.flatMap((r) => [r.started_at, r.closed_at]),
      ...main.rows.messages.map((r) => r.created_at),
      ...main.rows.orders.map((r) => r.created_at),
      ...main.rows.consents.map((r) => r.recorded_at),
    ].filter((v) => v !== null);
    for (const s of stamps) {
      expect(s).toMatch(SQLITE_DATETIME);
      const t = new Date(`${String(s).replace(' ', 'T')}Z`).getTime();
      expect(t).toBeGreaterThanOrEqual(SIX_YEARS_AGO.getTime());
      expect(t).toBeLessThanOrEqual(NOW.getTime());
    }
    for (const u of main.rows.users) {
      if (u.birth_date !== null) expect(u.birth_date).toMatch(/^\d{4}-\d\d-\d\d$/);
    }
  });

  it('keeps the data consistent: children after parents, closed conversations closed after their messages', () => {
    const { users, conversations, messages } = main.rows;
    const userCreated = new Map(users.map((u) => [u.id, String(u.created_at)]));
    const started = new Map(conversations.map((c) => [c.id, String(c.started_at)]));
    for (const c of conversations) expect(String(c.started_at) >= String(userCreated.get(c.user_id))).toBe(true);
    for (const m of messages) expect(String(m.created_at) >= String(started.get(m.conversation_id))).toBe(true);
    const lastMessage = new Map<unknown, string>();
    for (const m of messages) lastMessage.set(m.conversation_id, String(m.created_at));
    for (const c of conversations) {
      expect(lastMessage.has(c.id)).toBe(true);
      if (c.closed_at !== null) expect(String(c.closed_at) >= String(lastMessage.get(c.id))).toBe(true);
      else expect(c.status).not.toBe('closed');
    }
  });

  it('uses reserved e-mail domains and fictional phone ranges only', () => {
    for (const u of main.rows.users) {
      expect(u.email).toMatch(/^[a-z0-9._+-]+@example\.(com|org|net)$/);
      if (u.id !== JANE_DOE.id && u.phone !== null) {
        expect(u.phone).toMatch(/^(\+44 1(61|13|21|17) 496 0\d{3}|\+33 6 39 98 \d\d \d\d|\+1 \d{3} 555 01\d\d)$/);
      }
    }
    for (const c of main.rows.consents) {
      if (c.ip_address !== null) expect(c.ip_address).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$|^2001:db8:/);
    }
  });

  it('writes messages that quote contact details next to non-personal facts', () => {
    const bodies = main.rows.messages.map((m) => String(m.body));
    const share = (re: RegExp) => bodies.filter((b) => re.test(b)).length / bodies.length;
    expect(share(/@example\.(com|org|net)/i)).toBeGreaterThan(0.05);
    expect(share(/\+?\d[\d ().-]{8,}\d/)).toBeGreaterThan(0.03);
    expect(share(/ORD-\d{4}-\d{6}/)).toBeGreaterThan(0.05);
    expect(share(/[£€$]\d|\d,\d\d €/)).toBeGreaterThan(0.03);
    // A few conversations are in French, German and Spanish.
    expect(bodies.some((b) => /Bonjour|merci/i.test(b))).toBe(true);
    expect(bodies.some((b) => /Hallo|danke/i.test(b))).toBe(true);
    expect(bodies.some((b) => /Hola|gracias/i.test(b))).toBe(true);
    // Order numbers quoted in a conversation are the customer's own.
    const orderOwner = new Map(main.rows.orders.map((o) => [o.order_number, o.user_id]));
    const conversationOwner = new Map(main.rows.conversations.map((c) => [c.id, c.user_id]));
    for (const m of main.rows.messages) {
      for (const number of String(m.body).match(/ORD-\d{4}-\d{6}/g) ?? []) {
        expect(orderOwner.get(number)).toBe(conversationOwner.get(m.conversation_id));
      }
    }
  });

  it('has Jane Doe as user 1 with conversations, messages, orders and consents', () => {
    const { users, conversations, messages, orders, consents } = main.rows;
    expect(users[0]).toMatchObject({
      id: 1,
      email: 'jane.doe@example.com',
      full_name: 'Jane Doe',
      phone: '+44 20 7946 0958',
    });
    const hers = new Set(conversations.filter((c) => c.user_id === 1).map((c) => c.id));
    expect(hers.size).toBeGreaterThanOrEqual(3);
    const bodies = messages.filter((m) => hers.has(m.conversation_id)).map((m) => String(m.body));
    expect(bodies.length).toBeGreaterThanOrEqual(10);
    expect(bodies.filter((b) => b.includes('jane.doe@example.com')).length).toBeGreaterThanOrEqual(2);
    expect(bodies.some((b) => b.includes('+44 20 7946 0958'))).toBe(true);
    expect(bodies.some((b) => b.includes('020 7946 0958'))).toBe(true);
    expect(bodies.some((b) => b.includes('Hi, this is Jane Doe'))).toBe(true);
    const janeOrders = orders.filter((o) => o.user_id === 1);
    expect(janeOrders.length).toBeGreaterThanOrEqual(2);
    for (const o of janeOrders) {
      expect(o.shipping_name).toBe('Jane Doe');
      expect(String(o.shipping_address)).toMatch(/London/);
    }
    expect(consents.filter((c) => c.user_id === 1).length).toBeGreaterThanOrEqual(3);
  });

  it("has Jane Doe's identifiers in no row that is not hers, but for three mentions written differently", () => {
    const { users, conversations, messages, orders, consents } = main.rows;
    const hers = new Set(conversations.filter((c) => c.user_id === 1).map((c) => c.id));
    const others: Array<[string, Row]> = [
      ...users.filter((r) => r.id !== 1).map((r) => ['users', r] as [string, Row]),
      ...conversations.filter((r) => r.user_id !== 1).map((r) => ['conversations', r] as [string, Row]),
      ...messages.filter((r) => !hers.has(r.conversation_id)).map((r) => ['messages', r] as [string, Row]),
      ...orders.filter((r) => r.user_id !== 1).map((r) => ['orders', r] as [string, Row]),
      ...consents.filter((r) => r.user_id !== 1).map((r) => ['consents', r] as [string, Row]),
    ];
    expect(others.length).toBeGreaterThan(5_000);
    // As her own rows write them, byte for byte: nowhere else.
    const exact = others.filter(([, row]) => {
      const text = Object.values(row).map(String).join('\u0000');
      return JANE_DOE.identifiers.some((id) => text.includes(id));
    });
    expect(exact).toEqual([]);
    // In other forms (case, punctuation): only the three mentions in other people's conversations.
    const mentions = others.filter(([, row]) => {
      const text = Object.values(row)
        .map(String)
        .join('\u0000')
        .toLowerCase()
        .replace(/[()\-]/g, ' ')
        .replace(/\s+/g, ' ');
      return ['jane.doe@example.com', 'jane doe', '7946 0958'].some((id) => text.includes(id));
    });
    expect(mentions.map(([table]) => table)).toEqual(['messages', 'messages', 'messages']);
    // Nor does anyone else have a number in her 020 7946 range.
    expect(users.filter((u) => u.id !== 1 && /7946/.test(String(u.phone)))).toEqual([]);
  });

  it('creates the schema with foreign keys, indexes on them and a unique e-mail', async () => {
    const { knex } = main;
    for (const [table, column] of [
      ['conversations', 'user_id'],
      ['messages', 'conversation_id'],
      ['orders', 'user_id'],
      ['consents', 'user_id'],
    ] as const) {
      const fks: Array<{ from: string; table: string }> = await knex.raw(`PRAGMA foreign_key_list(${table})`);
      expect(fks.map((f) => f.from)).toContain(column);
      const indexes: Array<{ name: string }> = await knex.raw(`PRAGMA index_list(${table})`);
      const indexed = await Promise.all(indexes.map(async (i) => ((await knex.raw(`PRAGMA index_info("${i.name}")`)) as Array<{ name: string }>)[0]?.name));
      expect(indexed).toContain(column);
    }
    await expect(knex('users').insert({ email: 'jane.doe@example.com', full_name: 'X', country: 'GB', created_at: '2026-01-01 00:00:00' })).rejects.toThrow(
      /UNIQUE/,
    );
  });
});

describe('demo generation', () => {
  it('is deterministic: the same options give the same rows and the same database', async () => {
    const options = { users: 200, seed: 7, now: NOW };
    expect(generateDemoRows(options)).toEqual(generateDemoRows(options));
    const a = await build('same-a.db', 200, 7);
    const b = await build('same-b.db', 200, 7);
    expect(b.rows).toEqual(a.rows);
    const c = await build('other-seed.db', 200, 8);
    expect(c.rows.messages).not.toEqual(a.rows.messages);
    // Jane Doe is the same whatever the seed.
    expect(c.rows.users[0]).toEqual(a.rows.users[0]);
  });

  it('scales with the number of users', async () => {
    const small = await build('small.db', 50);
    const large = await build('large.db', 400);
    expect(small.counts.users).toBe(50);
    expect(large.counts.users).toBe(400);
    for (const table of DEMO_TABLES) expect(large.counts[table]).toBeGreaterThan(small.counts[table]);
    const onlyJane = await build('one.db', 1);
    expect(onlyJane.counts).toMatchObject({ users: 1, conversations: 3, orders: 3 });
  });

  it('regenerates over an existing demo database', async () => {
    const knex = sqlite('again.db');
    await generateDemoDatabase(knex, { users: 30, seed: 1, now: NOW });
    const counts = await generateDemoDatabase(knex, { users: 20, seed: 1, now: NOW });
    expect(counts.users).toBe(20);
    expect(await knex('users').count({ n: '*' }).first()).toEqual({ n: 20 });
  });

  it('rejects nonsense options', () => {
    expect(() => generateDemoRows({ users: 0, seed: 1, now: NOW })).toThrow(/at least 1/);
    expect(() => generateDemoRows({ users: 2.5, seed: 1, now: NOW })).toThrow(RangeError);
    expect(() => generateDemoRows({ users: 5, seed: 1, now: new Date('nope') })).toThrow(/valid date/);
  });
});

describe('prepareSqliteFile', () => {
  it('replaces the file and its companions with an empty file only the owner can read', () => {
    const file = path.join(dir, 'nested', 'fresh.db');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.writeFileSync(file + suffix, 'old personal data');
    prepareSqliteFile(file);
    expect(fs.statSync(file).size).toBe(0);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    for (const suffix of ['-wal', '-shm', '-journal']) expect(fs.existsSync(file + suffix)).toBe(false);
  });
});

describe('whyNotReplaceable', () => {
  it('accepts an empty database and a demo database', async () => {
    expect(await whyNotReplaceable(sqlite('empty.db'), { wholeDatabase: true })).toBeNull();
    const demo = sqlite('demo.db');
    await generateDemoDatabase(demo, { users: 10, seed: 1, now: NOW });
    expect(await whyNotReplaceable(demo, { wholeDatabase: true })).toBeNull();
  });

  it('refuses a database with real-looking people or other tables', async () => {
    const real = sqlite('real.db');
    await generateDemoDatabase(real, { users: 10, seed: 1, now: NOW });
    await real('users').where({ id: 2 }).update({ email: 'someone@gmail.test' });
    expect(await whyNotReplaceable(real, { wholeDatabase: false })).toMatch(/1 e-mail address outside/);

    const other = sqlite('other.db');
    await other.schema.createTable('invoices', (t) => t.increments('id'));
    expect(await whyNotReplaceable(other, { wholeDatabase: true })).toMatch(/invoices/);
    expect(await whyNotReplaceable(other, { wholeDatabase: false })).toBeNull();
  });
});
