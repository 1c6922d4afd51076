import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase, type TestDatabase } from '../support/databases.js';
import { runMain } from '../support/streams.js';
import { useMapWorkspace } from '../support/workspace.js';
import { openSession } from '../../src/core/session.js';
import { planSweep } from '../../src/core/sweep-plan.js';
import { executeSweep } from '../../src/core/sweep-run.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const SITES = ['blog', 'shop'];
const VIEWS_PER_SITE = 600;

/** Every row of `table` in key order, as plain JSON (times as ISO text), to compare before and after. */
async function rowsOf(database: TestDatabase, table: string, key: string[]): Promise<Record<string, unknown>[]> {
  const rows = (await database.knex(table).select('*').orderBy(key)) as Record<string, unknown>[];
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : typeof v === 'string' || v === null ? v : Number(v)])),
  );
}

/**
 * Tables keyed by two columns, shaped unlike the demo: a person's notes keyed by (member,
 * number), their roles keyed by (member, role) with no other column, and page views keyed by
 * (site, view) swept in batches that cross from one site to the next.
 */
const MAP = `subjects:
  member:
    table: members
    identifiers:
      id: { column: id, type: id }
      email: { column: email, type: email }
    name: full_name
tables:
  members:
    columns:
      email: { strategy: { template: "member-{id}@example.invalid" } }
      full_name: { strategy: { value: "Former member" } }
      created_at: keep
  member_notes:
    primaryKey: [member_id, seq]
    belongsTo: { members: member_id }
    columns:
      member_id: keep
      seq: keep
      body: { strategy: redact }
      written_at: keep
    retention: { timestamp: written_at, anonymizeAfter: 30 days }
  member_roles:
    primaryKey: [member_id, role]
    belongsTo: { members: member_id }
    onErase: delete
    columns:
      member_id: keep
      role: keep
  page_views:
    primaryKey: [site, view_id]
    belongsTo: { members: member_id }
    columns:
      site: keep
      view_id: keep
      member_id: keep
      ip: { strategy: "null" }
      path: keep
      viewed_at: keep
    retention: { timestamp: viewed_at, anonymizeAfter: 7 days, deleteAfter: 90 days }
`;

describeEachDatabase('tables keyed by several columns', (target) => {
  const ws = useMapWorkspace(target, MAP);
  const { lethe, json } = ws;

  beforeEach(async () => {
    const { knex } = ws.database;
    for (const table of ['page_views', 'member_roles', 'member_notes', 'members', 'lethe_sweep_state']) await knex.schema.dropTableIfExists(table);
    await rm(path.join(ws.dir, 'audit.db'), { force: true });
    await knex.schema.createTable('members', (t) => {
      t.integer('id').primary();
      t.string('email', 100).notNullable().unique();
      t.string('full_name', 100);
      t.dateTime('created_at');
    });
    await knex.schema.createTable('member_notes', (t) => {
      t.integer('member_id').notNullable().references('id').inTable('members');
      t.integer('seq').notNullable();
      t.text('body');
      t.dateTime('written_at').index();
      t.primary(['member_id', 'seq']);
    });
    await knex.schema.createTable('member_roles', (t) => {
      t.integer('member_id').notNullable().references('id').inTable('members');
      t.string('role', 20).notNullable();
      t.primary(['member_id', 'role']);
    });
    await knex.schema.createTable('page_views', (t) => {
      t.string('site', 20).notNullable();
      t.integer('view_id').notNullable();
      t.integer('member_id').nullable().references('id').inTable('members').index();
      t.string('ip', 45);
      t.string('path', 100);
      t.dateTime('viewed_at').index();
      t.primary(['site', 'view_id']);
    });
    await knex('members').insert([
      { id: 1, email: 'ada.byron@example.org', full_name: 'Ada Byron', created_at: daysAgo(400) },
      { id: 2, email: 'alan.turing@example.org', full_name: 'Alan Turing', created_at: daysAgo(300) },
    ]);
    await knex('member_notes').insert([
      { member_id: 1, seq: 1, body: 'Ada Byron asked to be mailed at ada.byron@example.org', written_at: daysAgo(60) },
      { member_id: 1, seq: 2, body: 'Ada Byron called about the invoice', written_at: daysAgo(2) },
      { member_id: 1, seq: 3, body: 'Renewal discussed', written_at: daysAgo(1) },
      { member_id: 2, seq: 1, body: 'Alan Turing moved; write to alan.turing@example.org', written_at: daysAgo(45) },
      { member_id: 2, seq: 2, body: 'Alan Turing prefers the phone', written_at: daysAgo(3) },
    ]);
    await knex('member_roles').insert([
      { member_id: 1, role: 'editor' },
      { member_id: 1, role: 'reader' },
      { member_id: 2, role: 'reader' },
    ]);
    // View n of each site is n/5 days old: due for deletion past 90 days, for anonymization past 7.
    const views = SITES.flatMap((site) =>
      Array.from({ length: VIEWS_PER_SITE }, (_, n) => ({
        site,
        view_id: n + 1,
        member_id: n % 3 === 0 ? null : (n % 2) + 1,
        ip: `203.0.113.${n % 250}`,
        path: `/p/${n}`,
        viewed_at: daysAgo((n + 1) / 5),
      })),
    );
    await knex.batchInsert('page_views', views, 200);
  });

  it('passes check --strict', async () => {
    const run = await lethe('check', '--strict');
    expect(run.stdout + run.stderr).not.toMatch(/error|warning/i);
    expect(run.code).toBe(0);
  });

  it('refuses a link to a table keyed by several columns, and a key that is not unique', async () => {
    const broken = path.join(ws.dir, 'broken.yml');
    const { readFile } = await import('node:fs/promises');
    const text = (await readFile(ws.config, 'utf8'))
      .replace('  member_roles:\n    primaryKey: [member_id, role]', '  member_roles:\n    primaryKey: [member_id]')
      .replace(
        '    belongsTo: { members: member_id }\n    columns:\n      site: keep',
        '    belongsTo: { member_notes: member_id }\n    columns:\n      site: keep',
      );
    await writeFile(broken, text);
    const run = await runMain(['--config', broken, 'check'], { env: ws.env() });
    expect(run.code).not.toBe(0);
    expect(run.stderr + run.stdout).toMatch(/member_notes is keyed by several columns \(member_id, seq\)/);
  });

  it('finds and exports a person with rows keyed by two columns', async () => {
    const found = await json('find', 'ada.byron@example.org');
    expect(found.tables.member_notes.map((r: { seq: number }) => Number(r.seq))).toEqual([1, 2, 3]);
    expect(found.tables.member_roles.map((r: { role: string }) => r.role)).toEqual(['editor', 'reader']);
    const text = await lethe('find', 'ada.byron@example.org');
    expect(text.stdout).toContain('member_notes');

    const out = path.join(ws.dir, 'export.json');
    const exported = await lethe('export', 'alan.turing@example.org', '--out', out, '--json');
    expect(exported.code, exported.stderr).toBe(0);
    const { readFile } = await import('node:fs/promises');
    const document = JSON.parse(await readFile(out, 'utf8'));
    const table = (name: string) => document.tables[name];
    expect(table('member_notes').rows.map((r: { seq: number }) => r.seq)).toEqual([1, 2]);
    expect(table('member_notes').rows[0].body).toContain('Alan Turing');
    expect(table('member_roles').rows).toEqual([{ member_id: 2, role: 'reader' }]);
    const [counted] = await ws.database.knex('page_views').where('member_id', 2).count({ views: '*' });
    const views = counted!.views;
    expect(table('page_views').rows).toHaveLength(Number(views));
    expect(table('page_views').rows.length).toBeGreaterThan(VIEWS_PER_SITE / 2);
  });

  it('anonymizes one person: their rows by both key columns, nobody else', async () => {
    const others = {
      notes: (await rowsOf(ws.database, 'member_notes', ['member_id', 'seq'])).filter((r) => r.member_id === 2),
      roles: (await rowsOf(ws.database, 'member_roles', ['member_id', 'role'])).filter((r) => r.member_id === 2),
    };
    const receipt = await json('anonymize', 'ada.byron@example.org', '--yes');
    expect(receipt.tables.find((t: { table: string }) => t.table === 'member_notes').rows).toBe(3);

    const notes = await rowsOf(ws.database, 'member_notes', ['member_id', 'seq']);
    const ada = notes.filter((r) => r.member_id === 1);
    expect(ada.map((r) => r.seq)).toEqual([1, 2, 3]);
    for (const note of ada) expect(String(note.body)).not.toMatch(/Ada|Byron|ada\.byron/);
    expect(ada[2]!.body).toBe('Renewal discussed');
    expect(notes.filter((r) => r.member_id === 2)).toEqual(others.notes);
    expect(await rowsOf(ws.database, 'member_roles', ['member_id', 'role'])).toEqual(others.roles);

    // The trail lists the keys as tuples, and still verifies.
    const shown = await json('audit', 'list');
    const entry =
      shown.entries?.find?.((e: { action: string; phase: string }) => e.action === 'anonymize' && e.phase === 'outcome') ??
      shown.find((e: { action: string; phase: string }) => e.action === 'anonymize' && e.phase === 'outcome');
    expect(entry.tables.member_notes.keys).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
    ]);
    expect(entry.tables.member_roles.keys).toEqual([
      [1, 'editor'],
      [1, 'reader'],
    ]);
    const csv = await lethe('audit', 'export', '--format', 'csv');
    expect(csv.stdout).toContain('member_notes: (1, 1),(1, 2),(1, 3)');
    expect((await lethe('audit', 'verify')).code).toBe(0);
  });

  it('sweeps tables keyed by two columns in batches that cross key boundaries, resuming where a stopped pass got', async () => {
    const before = await rowsOf(ws.database, 'page_views', ['site', 'view_id']);
    const age = (row: Record<string, unknown>) =>
      (NOW.getTime() - new Date(typeof row.viewed_at === 'number' ? row.viewed_at : String(row.viewed_at)).getTime()) / 86_400_000;
    const kept = before.filter((r) => age(r) <= 90);
    const expected = kept.map((r) => (age(r) > 7 ? { ...r, ip: null } : r));
    expect(before.length - kept.length).toBeGreaterThan(0);

    // Stopped after every batch (as by Ctrl-C), each run goes on from the last key its predecessor wrote.
    let runs = 0;
    for (;;) {
      runs += 1;
      const session = await openSession({ configPath: ws.config, env: ws.env() });
      try {
        const stop = new AbortController();
        const plan = await planSweep(session, { now: NOW });
        const summary = await executeSweep(session, plan, { batchSize: 70, signal: stop.signal, onProgress: () => stop.abort() });
        if (!summary.stopped) break;
        expect(summary.stopped.reason).toBe('signal');
      } finally {
        await session.close();
      }
      expect(runs).toBeLessThan(60);
    }
    expect(runs).toBeGreaterThan(3);
    expect(await rowsOf(ws.database, 'page_views', ['site', 'view_id'])).toEqual(expected);

    const notes = await rowsOf(ws.database, 'member_notes', ['member_id', 'seq']);
    expect(notes.filter((r) => /Ada Byron asked|Alan Turing moved/.test(String(r.body)))).toEqual([]);
    expect(notes.filter((r) => /Ada Byron called|Alan Turing prefers/.test(String(r.body)))).toHaveLength(2);

    const again = await json('sweep', '--yes', '--now', NOW.toISOString());
    // A --yes run does not count up front: nothing done is what shows that nothing was due.
    expect(again.totals.rows).toBe(0);
    expect(again.tasks.every((t: { complete: boolean }) => t.complete)).toBe(true);
    expect((await lethe('audit', 'verify')).code).toBe(0);
  });
});
