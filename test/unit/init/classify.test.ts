import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEMO_TABLES, generateDemoRows, toSqliteRows, type DemoTable } from '../../../fixtures/demo/data.js';
import { broadType, type ColumnInfo } from '../../../src/db/schema-snapshot.js';
import { classifyColumn, type ColumnClass } from '../../../src/init/classify.js';

const NOW = new Date('2026-03-01T00:00:00Z');

/** A column as introspection reports it, from its declared type. */
function column(name: string, declaredType: string, options: { nullable?: boolean; unique?: boolean } = {}): ColumnInfo {
  return {
    name,
    declaredType,
    ...broadType(declaredType),
    nullable: options.nullable ?? true,
    unique: options.unique ?? false,
    hasDefault: false,
  };
}

const NOT_NULL = { nullable: false };

/** The demo schema of fixtures/demo/schema.ts, as SQLite declares it. */
const DEMO_SCHEMA: Record<DemoTable, { columns: ColumnInfo[]; foreignKeys: string[] }> = {
  users: {
    foreignKeys: [],
    columns: [
      column('id', 'integer', NOT_NULL),
      column('email', 'varchar(255)', { nullable: false, unique: true }),
      column('full_name', 'varchar(200)', NOT_NULL),
      column('phone', 'varchar(32)'),
      column('birth_date', 'date'),
      column('country', 'varchar(2)', NOT_NULL),
      column('created_at', 'datetime', NOT_NULL),
      column('last_seen_at', 'datetime'),
      column('marketing_opt_in', 'boolean', NOT_NULL),
      column('avatar', 'varchar(200)'),
    ],
  },
  conversations: {
    foreignKeys: ['user_id'],
    columns: [
      column('id', 'integer', NOT_NULL),
      column('user_id', 'integer', NOT_NULL),
      column('channel', 'varchar(20)'),
      column('topic', 'varchar(100)'),
      column('agent_name', 'varchar(100)'),
      column('started_at', 'datetime', NOT_NULL),
      column('closed_at', 'datetime'),
      column('rating', 'integer'),
      column('status', 'varchar(20)'),
    ],
  },
  messages: {
    foreignKeys: ['conversation_id'],
    columns: [
      column('id', 'integer', NOT_NULL),
      column('conversation_id', 'integer', NOT_NULL),
      column('sender', 'varchar(10)'),
      column('body', 'text', NOT_NULL),
      column('attachment', 'varchar(300)'),
      column('created_at', 'datetime', NOT_NULL),
    ],
  },
  orders: {
    foreignKeys: ['user_id'],
    columns: [
      column('id', 'integer', NOT_NULL),
      column('user_id', 'integer', NOT_NULL),
      column('order_number', 'varchar(20)', { nullable: false, unique: true }),
      column('created_at', 'datetime', NOT_NULL),
      column('total_cents', 'integer', NOT_NULL),
      column('currency', 'varchar(3)', NOT_NULL),
      column('status', 'varchar(20)'),
      column('shipping_name', 'varchar(200)'),
      column('shipping_address', 'varchar(500)'),
    ],
  },
  consents: {
    foreignKeys: ['user_id'],
    columns: [
      column('id', 'integer', NOT_NULL),
      column('user_id', 'integer', NOT_NULL),
      column('purpose', 'varchar(50)'),
      column('granted', 'boolean', NOT_NULL),
      column('recorded_at', 'datetime', NOT_NULL),
      column('ip_address', 'varchar(45)'),
      column('user_agent', 'varchar(300)'),
    ],
  },
};

/** The demo map: the columns a careful person gave a strategy, with their categories. */
const demoMap = parse(fs.readFileSync(new URL('../../../fixtures/demo/lethe.yml', import.meta.url), 'utf8')) as {
  tables: Record<string, { columns: Record<string, unknown> }>;
};
const demoPersonal = new Map<string, string>();
for (const [table, mapping] of Object.entries(demoMap.tables)) {
  for (const [name, spec] of Object.entries(mapping.columns)) {
    const strategy = typeof spec === 'object' && spec !== null ? (spec as { strategy?: unknown }).strategy : spec;
    if (strategy !== 'keep') demoPersonal.set(`${table}.${name}`, (spec as { category: string }).category);
  }
}
/** Another person's (an employee's) name: flagging it is acceptable, keeping it too. */
const EITHER = new Set(['conversations.agent_name']);

type Sampled = Record<string, unknown>[];
const SAMPLE_SIZE = 100;

/** Classifies every demo column on a sample of rows as `rows` gives them. */
function classifyDemo(rows: Record<DemoTable, Sampled>): Map<string, { verdict: ColumnClass; values: unknown[] }> {
  const verdicts = new Map<string, { verdict: ColumnClass; values: unknown[] }>();
  for (const table of DEMO_TABLES) {
    const sample = rows[table].slice(0, SAMPLE_SIZE);
    const { columns, foreignKeys } = DEMO_SCHEMA[table];
    for (const info of columns) {
      const values = sample.map((row) => row[info.name]).filter((value) => value !== null);
      const verdict = classifyColumn(info, values, { table, primaryKey: 'id', foreignKey: foreignKeys.includes(info.name) });
      verdicts.set(`${table}.${info.name}`, { verdict, values });
    }
  }
  return verdicts;
}

const generated = generateDemoRows({ users: 200, seed: 2026, now: NOW });
// Rows as SQLite hands them back (timestamps as text, booleans as 0/1), and as PostgreSQL does (Date, boolean).
const forms = {
  sqlite: toSqliteRows(generated) as unknown as Record<DemoTable, Sampled>,
  postgres: generated as unknown as Record<DemoTable, Sampled>,
};

describe.each(Object.entries(forms))('the demo database, rows as %s returns them', (_form, rows) => {
  const verdicts = classifyDemo(rows);

  it('marks personal every column the demo map gives a strategy, with its category', () => {
    for (const [key, category] of demoPersonal) {
      const verdict = verdicts.get(key)?.verdict;
      expect(verdict, key).toBeDefined();
      expect(verdict!.personal, `${key}: ${verdict!.reason}`).toBe(true);
      expect(verdict!.category, key).toBe(category);
    }
  });

  it('keeps every column the demo map keeps', () => {
    for (const [key, { verdict }] of verdicts) {
      if (demoPersonal.has(key) || EITHER.has(key)) continue;
      expect(verdict.personal, `${key}: ${verdict.reason}`).toBe(false);
      expect(verdict.reason, key).toMatch(/^keep: /);
    }
  });

  it('names the kind of each personal column', () => {
    const kinds = Object.fromEntries([...verdicts].filter(([, v]) => v.verdict.personal).map(([key, v]) => [key, v.verdict.kind]));
    expect(kinds).toMatchObject({
      'users.email': 'email',
      'users.full_name': 'full_name',
      'users.phone': 'phone',
      'users.birth_date': 'birth_date',
      'messages.body': 'free_text',
      'orders.shipping_name': 'full_name',
      'orders.shipping_address': 'address',
      'consents.ip_address': 'ip_address',
      'consents.user_agent': 'user_agent',
    });
  });

  it('backs names with data where detectors can', () => {
    for (const key of ['users.email', 'users.full_name', 'users.phone', 'messages.body', 'orders.shipping_address', 'consents.ip_address']) {
      expect(verdicts.get(key)!.verdict.confidence, key).toBe('name+data');
    }
    expect(verdicts.get('users.email')!.verdict.reason).toBe('name "email" (e-mail address); 100 of 100 sampled values are e-mail addresses');
  });

  it('describes values by the column type, whatever form the driver gives them', () => {
    expect(verdicts.get('users.marketing_opt_in')!.verdict.reason).toBe('keep: no personal name; 100 sampled values, all true/false');
    expect(verdicts.get('users.created_at')!.verdict.reason).toBe('keep: no personal name; 100 sampled values, all dates');
    expect(verdicts.get('orders.total_cents')!.verdict.reason).toBe('keep: no personal name; 100 sampled values, all numbers');
  });

  it('says why keys are kept', () => {
    expect(verdicts.get('users.id')!.verdict).toMatchObject({ personal: false, reason: 'keep: primary key', confidence: 'key' });
    expect(verdicts.get('orders.user_id')!.verdict).toMatchObject({ personal: false, reason: 'keep: foreign key', confidence: 'key' });
  });

  it('never writes a sampled value into a reason', () => {
    for (const [key, { verdict, values }] of verdicts) {
      for (const value of values) {
        if (typeof value !== 'string' || value.length < 3) continue;
        expect(verdict.reason.includes(value), `${key}: ${verdict.reason}`).toBe(false);
      }
    }
  });
});

describe('classifyColumn', () => {
  const context = { table: 'customers', primaryKey: 'id', foreignKey: false };
  const emails = Array.from({ length: 100 }, (_, i) => `person.${i}@example.org`);
  const names = generated.users.slice(0, 100).map((u) => u.full_name);

  it('finds e-mail addresses in a column whose name says nothing', () => {
    const verdict = classifyColumn(column('contact', 'varchar(255)'), emails, context);
    expect(verdict).toMatchObject({ personal: true, kind: 'email', category: 'contact.email', confidence: 'data', review: false });
    expect(verdict.reason).toBe('no personal name; 100 of 100 sampled values are e-mail addresses');
  });

  it('finds personal data inside free text, and says which kinds', () => {
    const notes = generated.users
      .slice(0, 60)
      .map((u, i) =>
        i % 3 === 0
          ? `Called ${u.full_name} about the refund, wants replies to ${u.email}.`
          : i % 3 === 1
            ? 'Parcel left with the neighbour.'
            : 'Asked for the invoice again.',
      );
    const verdict = classifyColumn(column('notes', 'text'), notes, context);
    expect(verdict).toMatchObject({ personal: true, kind: 'free_text', category: 'content', confidence: 'name+data' });
    expect(verdict.reason).toMatch(/^name "notes" \(free text\); 20 of 60 sampled values mention personal data \(.*e-mail addresses.*\)$/);

    const neutral = classifyColumn(column('remark_text_2', 'text'), notes, context);
    expect(neutral.personal).toBe(true);
    const unnamed = classifyColumn(column('info', 'text'), notes, context);
    expect(unnamed).toMatchObject({ personal: true, kind: 'free_text', confidence: 'data' });
    for (const note of notes) {
      expect(verdict.reason).not.toContain(note);
      expect(unnamed.reason).not.toContain(note);
    }
  });

  it('keeps the false friends', () => {
    const dates = Array.from({ length: 50 }, (_, i) => new Date(Date.UTC(2025, 0, 1 + i)));
    const cases: [ColumnInfo, unknown[]][] = [
      [column('emailed_at', 'datetime'), dates],
      [column('email_verified', 'boolean', NOT_NULL), dates.map((_, i) => i % 2 === 0)],
      [column('email_verified', 'varchar(5)', NOT_NULL), dates.map((_, i) => (i % 2 === 0 ? 'yes' : 'no'))],
      [column('mail_count', 'integer', NOT_NULL), dates.map((_, i) => i)],
      [column('product_name', 'varchar(100)'), ['Oak Dining Table', 'Linen Duvet Cover', 'Kitchen Scale Pro', 'Ceramic Vase']],
      [column('file_name', 'varchar(255)'), ['invoice-2024-001.pdf', 'photo.jpg', 'report_final.docx']],
      [column('topic_name', 'varchar(100)'), ['Billing question', 'Change of address', 'Delivery delay']],
      [column('is_phone_verified', 'boolean'), [true, false]],
    ];
    for (const [info, values] of cases) {
      const verdict = classifyColumn(info, values, context);
      expect(verdict.personal, `${info.name}: ${verdict.reason}`).toBe(false);
      expect(verdict.reason).toMatch(/^keep: /);
    }
    expect(classifyColumn(column('email_verified', 'boolean', NOT_NULL), [true, false, true], context).reason).toBe(
      'keep: name "email_verified" is about an e-mail address ("verified"), not one; 3 sampled values, all true/false',
    );
    expect(classifyColumn(column('product_name', 'varchar(100)'), ['Oak Dining Table'], context).reason).toBe(
      'keep: name "product_name" belongs to a product, not a person; none of 1 sampled values holds personal data',
    );
  });

  it('does not take a personal word on a column type that cannot hold it', () => {
    const verdict = classifyColumn(column('email', 'datetime'), [new Date()], context);
    expect(verdict.personal).toBe(false);
    expect(verdict.reason).toBe('keep: name "email" means an e-mail address, which a datetime column cannot hold; 1 sampled values, all dates');
    // SQLite keeps timestamps in TEXT columns: values that are all dates are no user names.
    const lastLogin = classifyColumn(column('last_login', 'text'), ['2025-01-02 10:11:12', '2025-02-03 08:00:00', '2025-03-01'], context);
    expect(lastLogin.personal).toBe(false);
    // A birth date is a date, and stays personal in a date column.
    expect(classifyColumn(column('birth_date', 'date'), [new Date('1984-07-19')], context)).toMatchObject({ personal: true, kind: 'birth_date' });
    expect(classifyColumn(column('birth_date', 'text'), ['1984-07-19', '1990-01-02'], context)).toMatchObject({ personal: true, kind: 'birth_date' });
  });

  it('falls back to the name alone on an empty sample, and says so', () => {
    const email = classifyColumn(column('email', 'varchar(255)'), [], context);
    expect(email).toMatchObject({ personal: true, kind: 'email', confidence: 'name', review: false });
    expect(email.reason).toBe('name "email" (e-mail address); nothing sampled (empty table or all NULL), decided by name alone');
    expect(classifyColumn(column('notes', 'text'), [null, ''], context)).toMatchObject({ personal: true, kind: 'free_text' });
    const neutral = classifyColumn(column('reference', 'varchar(40)'), [], context);
    expect(neutral).toMatchObject({ personal: false, confidence: 'name' });
    expect(neutral.reason).toBe('keep: no personal name; nothing sampled (empty table or all NULL)');
    // An ambiguous word alone decides, but asks for a look.
    expect(classifyColumn(column('name', 'varchar(100)'), [], { ...context, table: 'orders' })).toMatchObject({ personal: true, review: true });
  });

  it('lets the values settle an ambiguous name', () => {
    const orders = { ...context, table: 'orders' };
    expect(classifyColumn(column('name', 'varchar(100)'), names, orders)).toMatchObject({ personal: true, kind: 'full_name', confidence: 'name+data' });
    const products = ['Oak Dining Table', 'Linen Duvet Cover', 'Kitchen Scale Pro', 'Ceramic Vase', 'Wool Throw'];
    const kept = classifyColumn(column('name', 'varchar(100)'), products, orders);
    expect(kept).toMatchObject({ personal: false, review: true });
    expect(kept.reason).toBe(`keep: name "name" may mean a person's name, but none of 5 sampled values holds personal data`);
    // In a table of people a bare name is a person's, whatever the detectors make of it.
    expect(classifyColumn(column('name', 'varchar(100)'), ['Xu', 'Bo'], { ...context, table: 'users' })).toMatchObject({ personal: true });
    // In a table of products it is not; unless the values plainly are people's names.
    const inProducts = { ...context, table: 'products' };
    expect(classifyColumn(column('name', 'varchar(100)'), products, inProducts).personal).toBe(false);
    const people = classifyColumn(column('name', 'varchar(100)'), names, inProducts);
    expect(people).toMatchObject({ personal: true, kind: 'full_name', confidence: 'data', review: true });
    expect(people.reason).toMatch(/^name "name" names something that is not a person \(table products\); \d+ of 100 sampled values are person names$/);

    // A lone surname is rarely recognised by the detectors: their silence does not rule it out.
    const commandes = { ...context, table: 'commandes' };
    expect(classifyColumn(column('nom', 'varchar(50)'), ['Dupont', 'Martin', 'Lefèvre'], commandes)).toMatchObject({ personal: true, kind: 'last_name' });
    const unrecognised = classifyColumn(column('nom', 'varchar(50)'), ['Xu', 'Bo', 'Li'], commandes);
    expect(unrecognised).toMatchObject({ personal: true, kind: 'last_name', confidence: 'name', review: true });

    const description = column('description', 'text');
    expect(classifyColumn(description, ['Solid oak, seats six.', 'Hand-made in Portugal.', 'Machine washable.'], context).personal).toBe(false);
    expect(
      classifyColumn(
        description,
        names.slice(0, 10).map((n) => `Made for ${n}, call +44 20 7946 0958.`),
        context,
      ),
    ).toMatchObject({
      personal: true,
      kind: 'free_text',
    });
  });

  it('in a catalogue, keeps names and titles and the people it lists, but not what else the values hold', () => {
    const artists = { ...context, table: 'Artist', catalogue: true };
    const bareName = classifyColumn(column('Name', 'varchar(120)'), [], artists);
    expect(bareName).toMatchObject({ personal: false });
    expect(bareName.reason).toMatch(/^keep: name "Name" may mean a person's name; .*; but Artist is a catalogue/);
    expect(classifyColumn(column('Name', 'varchar(120)'), names, artists).personal).toBe(false);
    // A composer's name, found in the values only.
    const tracks = { ...context, table: 'Track', catalogue: true };
    expect(classifyColumn(column('Composer', 'varchar(220)'), names, tracks).personal).toBe(false);
    // Outside a catalogue the same values are person names.
    expect(classifyColumn(column('Composer', 'varchar(220)'), names, { ...context, table: 'Track' }).personal).toBe(true);
    // A name that says whose it is, free text by its name, or any other kind of value stay personal.
    expect(classifyColumn(column('author_name', 'varchar(120)'), names, tracks)).toMatchObject({ personal: true, kind: 'full_name' });
    expect(classifyColumn(column('notes', 'text'), names, tracks)).toMatchObject({ personal: true, kind: 'free_text' });
    expect(classifyColumn(column('contact', 'varchar(255)'), emails, tracks)).toMatchObject({ personal: true, kind: 'email' });
    const mentions = names.slice(0, 10).map((n) => `Produced by ${n}, bookings +44 20 7946 0958`);
    expect(classifyColumn(column('Credits', 'text'), mentions, tracks)).toMatchObject({ personal: true, kind: 'free_text' });
  });

  it('believes the values over the name when they plainly hold something else', () => {
    const verdict = classifyColumn(column('phone', 'varchar(255)'), emails, context);
    expect(verdict).toMatchObject({ personal: true, kind: 'email', review: true });
    expect(verdict.reason).toBe('name "phone" means a phone number, but 100 of 100 sampled values are e-mail addresses');
  });

  it('stays personal by name when a reliable detector finds nothing, but asks for a look', () => {
    const verdict = classifyColumn(column('email', 'varchar(255)'), ['n/a', 'unknown', 'pending'], context);
    expect(verdict).toMatchObject({ personal: true, kind: 'email', confidence: 'name', review: true });
    expect(verdict.reason).toBe('name "email" (e-mail address), though none of 3 sampled values is one');
  });

  it('applies the thresholds: 30% of values for a kind, 10% (and two) for free text', () => {
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `item ${i}`);
    const info = column('contact', 'varchar(255)');
    expect(classifyColumn(info, [...emails.slice(0, 30), ...filler(70)], context)).toMatchObject({ personal: true, kind: 'email' });
    expect(classifyColumn(info, [...emails.slice(0, 29), ...filler(71)], context)).toMatchObject({ personal: true, kind: 'free_text' });
    expect(classifyColumn(info, [...emails.slice(0, 10), ...filler(90)], context)).toMatchObject({ personal: true, kind: 'free_text' });
    const stray = classifyColumn(info, [...emails.slice(0, 9), ...filler(91)], context);
    expect(stray).toMatchObject({ personal: false, review: true });
    expect(stray.reason).toBe('keep: no personal name; only 9 of 100 sampled values hold personal data');
    expect(classifyColumn(info, [emails[0], 'item'], context).personal).toBe(true);
  });

  it('ignores URLs alone: most belong to products and companies', () => {
    const urls = Array.from({ length: 20 }, (_, i) => `https://shop.example.com/products/${i}`);
    expect(classifyColumn(column('link', 'varchar(255)'), urls, context).personal).toBe(false);
  });

  it('reads JSON values as text', () => {
    const values = emails.slice(0, 5).map((email) => ({ contact: { email }, plan: 'pro' }));
    expect(classifyColumn(column('payload', 'json'), values, context)).toMatchObject({ personal: true, confidence: 'data' });
  });

  it('flags a primary key that holds personal data', () => {
    const verdict = classifyColumn(column('email', 'varchar(255)', NOT_NULL), emails, { ...context, primaryKey: 'email' });
    expect(verdict).toMatchObject({ personal: false, confidence: 'key', review: true });
    expect(verdict.reason).toMatch(/^keep: primary key, though/);
  });

  it('classifies a whole sample of typical columns without quoting any value', () => {
    const people = generated.users.slice(0, 50);
    const columns: [ColumnInfo, unknown[]][] = [
      [column('CustomerEmail', 'varchar(255)'), people.map((u) => u.email)],
      [column('contact_phone_2', 'varchar(32)'), people.map((u) => u.phone)],
      [column('Vorname', 'varchar(50)'), people.map((u) => u.full_name.split(' ')[0])],
      [column('Nachname', 'varchar(50)'), people.map((u) => u.full_name.split(' ').slice(1).join(' '))],
      [column('Straße', 'varchar(100)'), generated.orders.slice(0, 50).map((o) => o.shipping_address)],
      [column('billing_zip', 'varchar(10)'), people.map((_, i) => String(10000 + i * 7))],
    ];
    for (const [info, values] of columns) {
      const verdict = classifyColumn(info, values, context);
      expect(verdict.personal, `${info.name}: ${verdict.reason}`).toBe(true);
      for (const value of values) if (typeof value === 'string' && value.length >= 3) expect(verdict.reason).not.toContain(value);
    }
  });
});
