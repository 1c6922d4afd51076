import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { useMapWorkspace } from '../support/workspace.js';
import { openSession } from '../../src/core/session.js';
import { searchText } from '../../src/core/text-search.js';

const ORDER = 'ORD-10042';

interface Match {
  table: string;
  key: unknown;
  time: string | null;
  column: string;
  context: string;
}

/** `conversations:1`, `ticket_notes:[1,2]`: a match's table and key, to compare as text on every database. */
const where = (m: Match) => `${m.table}:${JSON.stringify(Array.isArray(m.key) ? m.key.map(Number) : Number(m.key))}`;

/**
 * find --text on a support desk: conversations with an agent, a status and a time; orders
 * with no time; notes keyed by (conversation, seq); a catalogue marked impersonal.
 */
const MAP = `subjects:
  customer:
    table: users
    identifiers:
      id: { column: id, type: id }
      email: { column: email, type: email }
    name: full_name
tables:
  users:
    columns:
      email: { strategy: { template: "user-{id}@example.invalid" } }
      full_name: { strategy: { value: "Former customer" } }
  conversations:
    belongsTo: { users: user_id }
    columns:
      user_id: keep
      agent_name: keep
      status: keep
      subject: keep
      transcript: { strategy: redact }
      started_at: keep
    retention: { timestamp: started_at, anonymizeAfter: 24 months }
  orders:
    belongsTo: { users: user_id }
    onErase: anonymize
    columns:
      user_id: keep
      reference: keep
      note: { strategy: empty }
  ticket_notes:
    primaryKey: [conversation_id, seq]
    belongsTo: { conversations: conversation_id }
    columns:
      conversation_id: keep
      seq: keep
      body: { strategy: redact }
      written_at: keep
    retention: { timestamp: written_at, anonymizeAfter: 24 months }
  products:
    impersonal: the shop's catalogue
    columns:
      name: keep
`;

describeEachDatabase('find --text', (target) => {
  const ws = useMapWorkspace(target, MAP);
  const { lethe } = ws;
  const search = async (...args: string[]): Promise<{ matches: Match[]; more: boolean; skipped: { table: string; reason: string; column?: string }[] }> => {
    const run = await lethe('find', '--text', ...args, '--json');
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout);
  };

  beforeAll(async () => {
    const { knex } = ws.database;
    await knex.schema.createTable('users', (t) => {
      t.integer('id').primary();
      t.string('email', 100).notNullable();
      t.string('full_name', 100);
    });
    await knex.schema.createTable('conversations', (t) => {
      t.integer('id').primary();
      t.integer('user_id').references('id').inTable('users');
      t.string('agent_name', 50);
      t.string('status', 20);
      t.string('subject', 200);
      t.text('transcript');
      t.dateTime('started_at');
    });
    await knex.schema.createTable('orders', (t) => {
      t.integer('id').primary();
      t.integer('user_id').references('id').inTable('users');
      t.string('reference', 30);
      t.string('note', 200);
    });
    await knex.schema.createTable('ticket_notes', (t) => {
      t.integer('conversation_id').notNullable().references('id').inTable('conversations');
      t.integer('seq').notNullable();
      t.text('body');
      t.dateTime('written_at');
      t.primary(['conversation_id', 'seq']);
    });
    await knex.schema.createTable('products', (t) => {
      t.integer('id').primary();
      t.string('name', 100);
    });
    await knex('users').insert([
      { id: 1, email: 'jane.doe@example.com', full_name: 'Jane Doe' },
      { id: 2, email: 'john.roe@example.com', full_name: 'John Roe' },
    ]);
    await knex('conversations').insert([
      {
        id: 1,
        user_id: 1,
        agent_name: 'Sam',
        status: 'open',
        subject: 'Damaged parcel',
        transcript: `Hi, order ${ORDER} for jane.doe@example.com arrived damaged. Please call +44 20 7946 0958.`,
        started_at: new Date('2026-01-10T09:00:00Z'),
      },
      {
        id: 2,
        user_id: 2,
        agent_name: 'Alex',
        status: 'closed',
        subject: 'Refund request',
        transcript: `A refund for ${ORDER}? Granted.`,
        started_at: new Date('2026-03-05T14:30:00Z'),
      },
      {
        id: 3,
        user_id: 1,
        agent_name: 'Sam',
        status: 'closed',
        subject: 'Delivery',
        transcript: `Question about ${ORDER.toLowerCase()} timing`,
        started_at: new Date('2025-11-01T08:00:00Z'),
      },
      {
        id: 4,
        user_id: 2,
        agent_name: 'Alex',
        status: 'open',
        subject: 'Stock',
        transcript: 'Nothing about ORD-10043 here; we have 500 units of AXB.',
        started_at: new Date('2026-02-01T10:00:00Z'),
      },
      {
        id: 5,
        user_id: 2,
        agent_name: 'Sam',
        status: 'open',
        subject: 'Voucher',
        transcript: "Got 50% off with code A_B; O'Brien saved it in C:\\temp!",
        started_at: new Date('2026-02-02T10:00:00Z'),
      },
      {
        id: 6,
        user_id: 1,
        agent_name: 'Alex',
        status: 'open',
        subject: 'CV',
        transcript: 'Her résumé is attached. ÉLODIE will call.',
        started_at: new Date('2026-02-03T10:00:00Z'),
      },
    ]);
    await knex('orders').insert([
      { id: 1, user_id: 1, reference: ORDER, note: 'leave at the door' },
      { id: 2, user_id: 2, reference: 'ORD-10043', note: null },
    ]);
    await knex('ticket_notes').insert([
      { conversation_id: 1, seq: 1, body: 'Courier contacted', written_at: new Date('2026-01-11T09:00:00Z') },
      { conversation_id: 1, seq: 2, body: `${ORDER} escalated to the courier`, written_at: new Date('2026-04-01T09:00:00Z') },
    ]);
    await knex('products').insert([{ id: 1, name: `${ORDER} sample` }]);
  });

  it('lists every record holding the order number, in every mapped table but the impersonal one, values masked', async () => {
    const found = await search(ORDER);
    expect(found.matches.map(where)).toEqual(['conversations:1', 'conversations:2', 'conversations:3', 'orders:1', 'ticket_notes:[1,2]']);
    expect(found.more).toBe(false);
    expect(found.skipped).toEqual([]);
    const byKey = Object.fromEntries(found.matches.map((m) => [where(m), m]));
    expect(byKey['conversations:1']).toMatchObject({ column: 'transcript', time: '2026-01-10T09:00:00.000Z' });
    expect(byKey['orders:1']).toMatchObject({ column: 'reference', time: null, context: '•••' });
    const text = JSON.stringify(found.matches);
    expect(text).not.toMatch(/ord-10042/i);
    expect(text).not.toMatch(/jane|7946/);
    expect(byKey['conversations:1']!.context).toContain('•••');
    expect(byKey['conversations:1']!.context).toContain('[EMAIL]');

    const run = await lethe('find', '--text', ORDER);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/5 records in 3 tables hold the word/);
    expect(run.stdout).toMatch(/ticket_notes\s+\(1, 2\)\s+2026-04-01T09:00:00.000Z\s+body\s+••• escalated to the courier/);
    expect(run.stdout).not.toMatch(/ord-10042|jane\.doe/i);
  });

  it('--show-values shows the context as it is', async () => {
    const found = await search(ORDER, '--show-values', '--table', 'conversations', '--limit', '1');
    expect(found.matches[0]!.context).toContain(ORDER);
    expect(found.matches[0]!.context).toContain('jane.doe@example.com');
  });

  it('every word must occur in the record, in any of its text columns', async () => {
    expect((await search(`${ORDER} damaged`)).matches.map(where)).toEqual(['conversations:1']);
    // "delivery" is in the subject, the order number in the transcript.
    expect((await search(`delivery ${ORDER}`)).matches.map(where)).toEqual(['conversations:3']);
    expect((await search('"arrived damaged"')).matches.map(where)).toEqual(['conversations:1']);
  });

  it('--since and --until keep records of that time and leave out tables with no time, saying which', async () => {
    const since = await search(ORDER, '--since', '2026-01-01');
    expect(since.matches.map(where)).toEqual(['conversations:1', 'conversations:2', 'ticket_notes:[1,2]']);
    expect(since.skipped).toEqual([
      { table: 'users', reason: 'no-timestamp' },
      { table: 'orders', reason: 'no-timestamp' },
    ]);
    const until = await search(ORDER, '--until', '2026-01-31');
    expect(until.matches.map(where)).toEqual(['conversations:1', 'conversations:3']);
    const window = await search(ORDER, '--since', '2026-03-05T14:30:00Z', '--until', '2026-03-06');
    expect(window.matches.map(where)).toEqual(['conversations:2']);
    const text = await lethe('find', '--text', ORDER, '--since', '2026-01-01');
    expect(text.stdout).toContain('Left out: users (no retention.timestamp); orders (no retention.timestamp).');
    expect((await lethe('find', '--text', ORDER, '--since', '2026-02-30')).code).toBe(2);
    expect((await lethe('find', '--text', ORDER, '--table', 'orders', '--since', '2026-01-01')).code).toBe(2);
  });

  it('--where narrows by a kept column, and refuses a personal or unknown one', async () => {
    const sams = await search(ORDER, '--where', 'agent_name=sam');
    expect(sams.matches.map(where)).toEqual(['conversations:1', 'conversations:3']);
    expect(sams.skipped.map((s) => [s.table, s.reason, s.column])).toEqual([
      ['users', 'no-where-column', 'agent_name'],
      ['orders', 'no-where-column', 'agent_name'],
      ['ticket_notes', 'no-where-column', 'agent_name'],
    ]);
    expect((await search(ORDER, '--where', 'agent_name=Sam', '--where', 'status=closed')).matches.map(where)).toEqual(['conversations:3']);
    expect((await search(ORDER, '--where', 'user_id=2')).matches.map(where)).toEqual(['conversations:2']);

    const personal = await lethe('find', '--text', ORDER, '--where', 'transcript=x');
    expect(personal.code).toBe(2);
    expect(personal.stderr).toMatch(/conversations\.transcript is personal data/);
    const name = await lethe('find', '--text', ORDER, '--where', 'full_name=Jane Doe', '--json');
    expect(name.code).toBe(2);
    expect(JSON.parse(name.stdout).error.code).toBe('usage');
    const unknown = await lethe('find', '--text', ORDER, '--where', 'nope=1');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No searched table keeps a column named nope/);
    expect((await lethe('find', '--text', ORDER, '--where', 'status')).code).toBe(2);
    expect((await lethe('find', '--text', ORDER, '--where', 'user_id=abc')).code).toBe(2);
  });

  it('nothing matched exits 4, with the document under --json', async () => {
    const run = await lethe('find', '--text', 'ORD-99999', '--json');
    expect(run.code).toBe(4);
    const document = JSON.parse(run.stdout);
    expect(document).toMatchObject({ matches: [], more: false, error: { code: 'nothing-matched' } });
    const text = await lethe('find', '--text', 'ORD-99999 damaged');
    expect(text.code).toBe(4);
    expect(text.stderr).toMatch(/No record holds all 2 words in the 4 tables searched/);
  });

  it('--limit caps the list and says there were more', async () => {
    const found = await search(ORDER, '--limit', '2');
    expect(found.matches.map(where)).toEqual(['conversations:1', 'conversations:2']);
    expect(found.more).toBe(true);
    const text = await lethe('find', '--text', ORDER, '--limit', '4');
    expect(text.stdout).toMatch(/The first 4 records/);
    expect(text.stdout).toMatch(/More records match/);
    // Exactly as many as matched: no more.
    expect((await search(ORDER, '--limit', '5')).more).toBe(false);
  });

  it('words are data, never SQL or LIKE wildcards; case folds across scripts; accents are kept apart', async () => {
    expect((await search('50%')).matches.map(where)).toEqual(['conversations:5']);
    expect((await search('a_b')).matches.map(where)).toEqual(['conversations:5']);
    expect((await search("o'brien")).matches.map(where)).toEqual(['conversations:5']);
    expect((await search('c:\\temp!')).matches.map(where)).toEqual(['conversations:5']);
    // As LIKE wildcards, these would match "500 units" and "AXB".
    expect((await lethe('find', '--text', '5%u')).code).toBe(4);
    expect((await search('élodie')).matches.map(where)).toEqual(['conversations:6']);
    expect((await search('RÉSUMÉ')).matches.map(where)).toEqual(['conversations:6']);
    // MySQL's collation lets "resume" match "résumé"; lethe confirms as written.
    expect((await lethe('find', '--text', 'resume')).code).toBe(4);
  });

  it('reads a keyset page at a time, across composite keys', async () => {
    const session = await openSession({ configPath: ws.config, env: { ...process.env, ...ws.env() } });
    try {
      const paged = await searchText(session, { text: ORDER, batchSize: 1 });
      const whole = await searchText(session, { text: ORDER });
      expect(paged.matches.map(where)).toEqual(whole.matches.map(where));
      await ws.database.knex('ticket_notes').insert({ conversation_id: 2, seq: 1, body: `${ORDER} again`, written_at: new Date('2026-04-02T00:00:00Z') });
      const notes = await searchText(session, { text: ORDER, table: 'ticket_notes', batchSize: 1 });
      expect(notes.matches.map(where)).toEqual(['ticket_notes:[1,2]', 'ticket_notes:[2,1]']);
    } finally {
      await ws.database.knex('ticket_notes').where({ conversation_id: 2 }).delete();
      await session.close();
    }
  });

  it('--text and a value, or search flags without --text, are usage errors; find <value> works as before', async () => {
    expect((await lethe('find', 'jane.doe@example.com', '--text', ORDER)).code).toBe(2);
    expect((await lethe('find', '--text', ORDER, '--scan')).code).toBe(2);
    expect((await lethe('find', '--text', ORDER, '--by', 'email')).code).toBe(2);
    expect((await lethe('find', 'jane.doe@example.com', '--since', '2026-01-01')).code).toBe(2);
    expect((await lethe('find', '--text', '  ')).code).toBe(2);
    expect((await lethe('find', '--text', ORDER, '--table', 'products')).code).toBe(2);
    expect((await lethe('find', '--text', ORDER, '--table', 'nope')).code).toBe(2);
    const person = await lethe('find', 'jane.doe@example.com', '--json');
    expect(person.code, person.stderr).toBe(0);
    expect(JSON.parse(person.stdout).subject).toMatchObject({ name: 'customer', matchedBy: ['email'] });
  });

  it('the audit trail records each search, its tables and keys, never a searched word or value', async () => {
    await lethe('find', '--text', 'jane.doe@example.com', '--where', 'agent_name=Sam', '--since', '2026-01-01', '--show-values');
    await lethe('find', '--text', 'nobody@example.net');
    const list = await lethe('audit', 'list', '--action', 'search', '--limit', 'all', '--json');
    expect(list.code, list.stderr).toBe(0);
    const entries = JSON.parse(list.stdout) as {
      command: string;
      outcome: string;
      tables: Record<string, { rows: number; keys?: unknown[] }>;
      detail: Record<string, unknown>;
    }[];
    expect(entries.length).toBeGreaterThan(10);
    expect(entries.every((e) => e.command === 'find')).toBe(true);
    const [nobody, jane] = entries;
    expect(nobody).toMatchObject({ outcome: 'nothing-matched', detail: { words: 1, flags: [] } });
    expect(jane).toMatchObject({
      outcome: 'ok',
      detail: { words: 1, flags: ['--since', '--where', '--show-values'], whereColumns: ['agent_name'], matches: 1 },
    });
    expect(jane!.tables.conversations).toMatchObject({ rows: 1, keys: [1] });
    const csv = await lethe('audit', 'export', '--format', 'csv');
    for (const trail of [list.stdout, csv.stdout]) {
      // The order number as a whole token: five digits turn up by chance inside the entries' hashes.
      expect(trail).not.toMatch(/\b10042\b|jane|nobody|élodie|brien|50%|Sam\b/i);
    }
    expect((await lethe('audit', 'verify')).code).toBe(0);
  });
});
