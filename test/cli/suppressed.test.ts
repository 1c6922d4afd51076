import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { executeAnonymization, planAnonymization } from '../../src/core/anonymize.js';
import { lookUpSuppressed } from '../../src/core/suppressed.js';
import { openSession } from '../../src/core/session.js';
import { dialectFor } from '../../src/db/connect.js';
import { describeEachDatabase, type TestDatabase } from '../support/databases.js';
import { runLethe } from '../support/cli.js';
import { runMain, testStreams } from '../support/streams.js';

const KEY = 'suppression-test-key-0123456789abcdef';
const DAY = 86_400_000;
const recently = () => new Date(Date.now() - 10 * DAY);
const longAgo = () => new Date(Date.now() - 800 * DAY);

interface Person {
  id: number;
  email: string;
  phone: string | null;
  full_name: string;
  unsubscribed: boolean;
  last_active_at: Date;
}

/** Who is who: the unsubscribed ones must end up suppressed once anonymized, the others never. */
const PEOPLE: Person[] = [
  { id: 1, email: 'ada.lovelace@example.org', phone: '+44 20 7946 0958', full_name: 'Ada Lovelace', unsubscribed: true, last_active_at: recently() },
  { id: 2, email: 'bob.brown@example.org', phone: '+33 6 12 34 56 78', full_name: 'Bob Brown', unsubscribed: false, last_active_at: recently() },
  { id: 3, email: 'cy.twombly@example.org', phone: null, full_name: 'Cy Twombly', unsubscribed: true, last_active_at: longAgo() },
  { id: 4, email: 'dee.dee@example.org', phone: null, full_name: 'Dee Dee', unsubscribed: false, last_active_at: longAgo() },
  { id: 5, email: 'eve.online@example.org', phone: '+49 30 901820', full_name: 'Eve Online', unsubscribed: true, last_active_at: recently() },
  { id: 6, email: 'fay.wray@example.org', phone: null, full_name: 'Fay Wray', unsubscribed: true, last_active_at: recently() },
  { id: 7, email: 'gus.grissom@example.org', phone: null, full_name: 'Gus Grissom', unsubscribed: true, last_active_at: recently() },
  { id: 8, email: 'hal.hartley@example.org', phone: null, full_name: 'Hal Hartley', unsubscribed: true, last_active_at: recently() },
  { id: 9, email: 'ivy.compton@example.org', phone: '+33 1 42 68 53 00', full_name: 'Ivy Compton', unsubscribed: true, last_active_at: recently() },
];

/** Anonymized before the scan for traces; Fay never is, Hal only afterwards (keepFor). */
const ERASED = PEOPLE.filter((p) => p.id !== 6 && p.id !== 8);

function mapText(database: TestDatabase, options: { suppress: boolean; key?: boolean; keepFor?: string }): string {
  const connection = database.client === 'sqlite' ? JSON.stringify(database.connection) : '${DATABASE_URL}';
  return `database:
  client: ${database.client}
  connection: ${connection}
audit:
  path: ./audit.db
${options.key === false ? '' : `secrets:\n  key: \${LETHE_KEY}\n`}subjects:
  respondent:
    table: respondents
    identifiers:
      id: { column: id, type: id }
      email: { column: email, type: email }
      phone: { column: phone, type: phone }
    name: full_name
    tombstones: ${options.key === false ? 'false' : 'true'}
${options.suppress ? `    suppress:\n      when: { unsubscribed: true }\n${options.keepFor ? `      keepFor: ${options.keepFor}\n` : ''}` : ''}tables:
  respondents:
    columns:
      email: { strategy: { template: "respondent-{id}@anonymized.invalid" } }
      phone: "null"
      full_name: { strategy: { value: "Former respondent" } }
      unsubscribed: keep
      last_active_at: keep
    retention: { inactiveFor: 12 months, activity: [respondents.last_active_at] }
  answers:
    belongsTo: { respondents: respondent_id }
    columns:
      respondent_id: keep
      body: { strategy: redact }
      answered_at: keep
`;
}

/**
 * A survey platform: people who unsubscribed leave a keyed hash of their e-mail and phone when
 * they are anonymized (by anonymize, by the sweep's inactivity pass, by reapply), and `lethe
 * suppressed` recognises an address uploaded again, from the audit store alone.
 */
describeEachDatabase('suppression lists', (target) => {
  let database: TestDatabase;
  let dir: string;
  /** With suppress. */
  let config: string;
  /** The same map before suppress was added (for the reapply case). */
  let withoutSuppress: string;
  const env = () => ({ LETHE_KEY: KEY, ...(database.client === 'sqlite' ? {} : { DATABASE_URL: database.connection }) });
  const lethe = (...args: string[]) => runMain(['--config', config, ...args], { env: env() });
  const suppressed = async (value: string) => (await lethe('suppressed', value)).code;
  const auditPath = () => path.join(dir, 'audit.db');
  const auditEntries = async () => {
    const run = await lethe('audit', 'list', '--limit', 'all', '--json');
    expect(run.code, run.stderr).toBe(0);
    return (JSON.parse(run.stdout) as { id: number; command: string; action: string; outcome: string; detail: Record<string, unknown> | null }[]).sort(
      (a, b) => a.id - b.id,
    );
  };
  const suppressionRows = () => {
    const db = new Database(auditPath(), { readonly: true });
    try {
      return db.prepare('SELECT * FROM suppression ORDER BY id').all() as { subject: string; digest: string; expires_at: string | null }[];
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    database = await target.create();
    dir = await mkdtemp(path.join(os.tmpdir(), 'lethe-suppressed-'));
    config = path.join(dir, 'lethe.yml');
    withoutSuppress = path.join(dir, 'before-suppress.yml');
    await writeFile(config, mapText(database, { suppress: true }));
    await writeFile(withoutSuppress, mapText(database, { suppress: false }));
    const { knex } = database;
    await knex.schema.createTable('respondents', (t) => {
      t.integer('id').primary();
      t.string('email', 100).notNullable().unique();
      t.string('phone', 40);
      t.string('full_name', 100);
      t.boolean('unsubscribed').notNullable();
      t.dateTime('last_active_at');
    });
    await knex.schema.createTable('answers', (t) => {
      t.integer('id').primary();
      t.integer('respondent_id').notNullable().references('id').inTable('respondents').index();
      t.text('body');
      t.dateTime('answered_at');
    });
    await knex('respondents').insert(PEOPLE);
    await knex('answers').insert(
      PEOPLE.map((p) => ({ id: p.id, respondent_id: p.id, body: `Reach me at ${p.email}, ${p.full_name}`, answered_at: p.last_active_at })),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await database?.drop();
  });

  it('a map with suppress but no key is refused, by check and by every command', async () => {
    const keyless = path.join(dir, 'keyless.yml');
    await writeFile(keyless, mapText(database, { suppress: true, key: false }));
    const check = await runMain(['--config', keyless, 'check', '--json'], { env: env() });
    expect(check.code).toBe(2);
    expect(JSON.parse(check.stdout).errors).toContainEqual({ path: 'subjects.respondent.suppress', message: expect.stringContaining('needs secrets.key') });
    expect((await runMain(['--config', keyless, 'anonymize', '1', '--by', 'id', '--yes'], { env: env() })).code).toBe(2);
    expect((await runMain(['--config', keyless, 'suppressed', 'ada.lovelace@example.org'], { env: env() })).code).toBe(2);
    expect(await database.knex('respondents').where({ id: 1 }).first('email')).toEqual({ email: 'ada.lovelace@example.org' });
  });

  it('before any anonymization there is no store to answer from: an error, never a quiet "no"', async () => {
    const run = await lethe('suppressed', 'ada.lovelace@example.org');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/No audit store at/);
  });

  it('anonymize: an unsubscribed person leaves a hash of their e-mail and phone, a subscribed one none', async () => {
    expect((await lethe('anonymize', 'ada.lovelace@example.org', '--yes')).code).toBe(0);
    expect(suppressionRows()).toHaveLength(2);
    expect(await suppressed('ada.lovelace@example.org')).toBe(0);
    expect(await suppressed('  Ada.Lovelace@EXAMPLE.org ')).toBe(0);
    expect(await suppressed('020 7946 0958')).toBe(0);
    expect(await suppressed('ada.lovelace@example.com')).toBe(4);
    expect(await suppressed('fay.wray@example.org')).toBe(4);

    expect((await lethe('anonymize', 'bob.brown@example.org', '--yes')).code).toBe(0);
    expect(suppressionRows()).toHaveLength(2);
    expect(await suppressed('bob.brown@example.org')).toBe(4);
    expect(await suppressed('+33 6 12 34 56 78')).toBe(4);

    const single = await lethe('suppressed', 'ADA.lovelace@example.org', '--json');
    expect(single.code).toBe(0);
    expect(JSON.parse(single.stdout)).toEqual({ value: 'ADA.lovelace@example.org', suppressed: true, subjects: ['respondent'] });
    const no = await lethe('suppressed', 'bob.brown@example.org', '--json');
    expect(no.code).toBe(4);
    expect(JSON.parse(no.stdout)).toEqual({ value: 'bob.brown@example.org', suppressed: false, subjects: [] });
    expect((await lethe('suppressed', 'ada.lovelace@example.org')).stdout).toBe('ada.lovelace@example.org\tyes\n');
  });

  it("the sweep's inactivity pass: the same, for each person it anonymizes", async () => {
    const sweep = await lethe('sweep', '--yes', '--json');
    expect(sweep.code, sweep.stderr).toBe(0);
    expect(await database.knex('respondents').whereIn('id', [3, 4]).orderBy('id').pluck('email')).toEqual([
      'respondent-3@anonymized.invalid',
      'respondent-4@anonymized.invalid',
    ]);
    expect(await suppressed('cy.twombly@example.org')).toBe(0);
    expect(await suppressed('dee.dee@example.org')).toBe(4);
    expect(suppressionRows()).toHaveLength(3);
  });

  it('reapply: a person erased before the map kept suppressions, restored from a backup, is suppressed when erased again', async () => {
    const eve = PEOPLE.find((p) => p.id === 5)!;
    const before = await runMain(['--config', withoutSuppress, 'anonymize', eve.email, '--yes'], { env: env() });
    expect(before.code, before.stderr).toBe(0);
    expect(await suppressed(eve.email)).toBe(4);
    // A backup restored: her row as it was.
    await database.knex('respondents').where({ id: 5 }).update({ email: eve.email, phone: eve.phone, full_name: eve.full_name });
    const reapply = await lethe('reapply', '--yes', '--json');
    expect(reapply.code, reapply.stderr).toBe(0);
    expect(JSON.parse(reapply.stdout)).toMatchObject({ anonymized: 1, people: [{ subject: { key: 5 } }] });
    expect(await suppressed(eve.email)).toBe(0);
    expect(await suppressed('030 901820')).toBe(0);
  });

  it('a crash between the commit and the outcome: the prepared hashes answer at once, and the next command writes them', async () => {
    const session = await openSession({ configPath: config, env: env() });
    try {
      const plan = await planAnonymization(session, 'gus.grissom@example.org');
      const record = session.audit.recordOutcome.bind(session.audit);
      // The process "dies" where the outcome would be written: after the database committed.
      session.audit.recordOutcome = (intent, result) => {
        if (result.outcome === 'ok') throw new Error('killed');
        return record(intent, result);
      };
      await expect(executeAnonymization(session, plan)).rejects.toThrow('killed');
    } finally {
      await session.close();
    }
    expect(await database.knex('respondents').where({ id: 7 }).first('email')).toEqual({ email: 'respondent-7@anonymized.invalid' });
    expect(suppressionRows()).toHaveLength(5);
    expect(await suppressed('gus.grissom@example.org')).toBe(0);

    expect((await lethe('find', 'fay.wray@example.org')).code).toBe(0);
    expect(suppressionRows()).toHaveLength(6);
    const entries = await auditEntries();
    const outcome = entries.filter((e) => e.action === 'anonymize' && e.detail?.reconciled === true).at(-1)!;
    expect(entries.find((e) => e.action === 'suppression' && e.detail?.suppressionsOf === outcome.id)).toMatchObject({ detail: { kept: 1 } });
    expect(await suppressed('gus.grissom@example.org')).toBe(0);
  });

  it('a process killed (SIGKILL) right after the commit: the same, through the commit marker', async () => {
    const killed = await runLethe(['--config', config, 'anonymize', 'ivy.compton@example.org', '--yes'], {
      env: { ...env(), LETHE_TEST_CRASH: 'after-commit' },
    });
    expect(killed.code).toBe(137);
    expect(await database.knex('respondents').where({ id: 9 }).first('email')).toEqual({ email: 'respondent-9@anonymized.invalid' });
    expect(await suppressed('01 42 68 53 00')).toBe(0);
    expect((await lethe('find', 'fay.wray@example.org')).code).toBe(0);
    expect(suppressionRows()).toHaveLength(8);
    expect(await suppressed('Ivy.Compton@example.org')).toBe(0);
  });

  it('--from: each value of a list or a CSV, yes or no; exit 0 if any is suppressed, 4 if none', async () => {
    const csv = path.join(dir, 'upload.csv');
    await writeFile(
      csv,
      'name,email\nAda,Ada.Lovelace@example.org\nBob,bob.brown@example.org\n# a comment\nCy,cy.twombly@example.org\nNew,new.person@example.org\n',
    );
    const run = await lethe('suppressed', '--from', csv);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Ada.Lovelace@example.org\tyes\nbob.brown@example.org\tno\ncy.twombly@example.org\tyes\nnew.person@example.org\tno\n');
    const json = await lethe('suppressed', '--from', csv, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      values: 4,
      suppressed: 2,
      results: [
        { line: 2, suppressed: true },
        { line: 3, suppressed: false },
        { line: 5, suppressed: true },
        { line: 6, suppressed: false },
      ],
    });

    const list = await runMain(['--config', config, 'suppressed', '--from', '-'], {
      env: env(),
      streams: testStreams({ stdin: 'bob.brown@example.org\n\nnew.person@example.org\n' }),
    });
    expect(list.code).toBe(4);
    expect(list.stdout).toBe('bob.brown@example.org\tno\nnew.person@example.org\tno\n');
    expect((await lethe('suppressed', '--from', csv, '--column', 'name')).code).toBe(4);
    expect((await lethe('suppressed', '--from', csv, '--column', 'mail')).code).toBe(2);
    expect((await lethe('suppressed', 'x@y.org', '--subject', 'customer')).code).toBe(2);
    // Like lethe audit: no database needed, and the rest of the map may have problems.
    const unreachable = path.join(dir, 'no-database.yml');
    await writeFile(unreachable, (await readFile(config, 'utf8')).replace(/connection: .*/, 'connection: ${NO_SUCH_DATABASE_URL}'));
    const offline = await runMain(['--config', unreachable, 'suppressed', 'ada.lovelace@example.org'], { env: { LETHE_KEY: KEY } });
    expect(offline.code, offline.stderr).toBe(0);
    // Another key would find nothing: an error, never a quiet "no".
    const otherKey = await runMain(['--config', config, 'suppressed', 'ada.lovelace@example.org'], {
      env: { ...env(), LETHE_KEY: 'another-key-0123456789abcdef0123456789' },
    });
    expect(otherKey.code).toBe(1);
    expect(otherKey.stdout).toBe('');
    expect(otherKey.stderr).toMatch(/not the one the audit store/);
  });

  it('the audit trail names how many hashes were kept and looked up, never a value, and verify covers the hashes', async () => {
    const entries = await auditEntries();
    const kept = entries.filter((e) => e.action === 'suppression');
    expect(kept.map((e) => [e.command, e.detail?.kept])).toEqual([
      ['anonymize', 2],
      ['sweep', 1],
      ['reapply', 2],
      ['anonymize', 1],
      ['anonymize', 2],
    ]);
    const lookups = entries.filter((e) => e.command === 'suppressed');
    expect(lookups.length).toBeGreaterThan(10);
    expect(lookups).toContainEqual(expect.objectContaining({ action: 'suppressed', outcome: 'ok', detail: { values: 1, suppressed: 1 } }));
    expect(lookups).toContainEqual(expect.objectContaining({ action: 'suppressed', outcome: 'nothing-matched', detail: { values: 1, suppressed: 0 } }));
    expect(lookups).toContainEqual(expect.objectContaining({ action: 'suppressed', outcome: 'nothing-matched', detail: { values: 4, suppressed: 0 } }));
    const verify = await lethe('audit', 'verify', '--json');
    expect(verify.code, verify.stdout).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ intact: true, suppressions: 8 });

    // A hash deleted by hand is caught, as a tombstone would be.
    const db = new Database(auditPath());
    const copy = db.prepare('SELECT * FROM suppression ORDER BY id LIMIT 1').get() as Record<string, unknown>;
    db.prepare('DELETE FROM suppression WHERE id = ?').run(copy.id);
    expect((await lethe('audit', 'verify')).code).toBe(1);
    db.prepare(
      'INSERT INTO suppression (id, subject, digest, at, expires_at, audit_entry, database_id, hash) VALUES (@id, @subject, @digest, @at, @expires_at, @audit_entry, @database_id, @hash)',
    ).run(copy);
    db.close();
    expect((await lethe('audit', 'verify')).code).toBe(0);
  });

  it('no trace of an anonymized address or phone: not in the audit store, not in any table of the database', async () => {
    const traces = ERASED.flatMap((p) => [p.email, ...(p.phone ? [p.phone, p.phone.replace(/[^\d+]/g, '')] : [])]).map((t) => t.toLowerCase());
    const found = (text: string) => traces.filter((t) => text.toLowerCase().includes(t));
    for (const file of [auditPath(), `${auditPath()}-journal`, `${auditPath()}-wal`]) {
      if (existsSync(file)) expect(found((await readFile(file)).toString('latin1')), file).toEqual([]);
    }
    const tables = await dialectFor(database.client).listTables(database.knex);
    expect(tables).toEqual(expect.arrayContaining(['respondents', 'answers', 'lethe_commit']));
    for (const table of tables) {
      const rows = await database.knex(table).select('*');
      expect(found(JSON.stringify(rows)), table).toEqual([]);
    }
    // Fay was never anonymized: her address is still there, so the scan does look.
    expect(JSON.stringify(await database.knex('respondents').select('*'))).toContain('fay.wray@example.org');
    if (database.client === 'sqlite') {
      expect((await readFile(database.connection)).toString('latin1')).toContain('fay.wray@example.org');
      for (const file of [database.connection, `${database.connection}-wal`, `${database.connection}-journal`]) {
        if (existsSync(file)) expect(found((await readFile(file)).toString('latin1')), file).toEqual([]);
      }
    }
  });

  it('keepFor: a hash past it answers no and is pruned, in an audited event that verify tells from a deletion', async () => {
    const keepFor = path.join(dir, 'keep-for.yml');
    await writeFile(keepFor, mapText(database, { suppress: true, keepFor: '30 days' }));
    const started = Date.now();
    expect((await runMain(['--config', keepFor, 'anonymize', 'hal.hartley@example.org', '--yes'], { env: env() })).code).toBe(0);
    const hal = suppressionRows().at(-1)!;
    expect(Date.parse(hal.expires_at!)).toBeGreaterThanOrEqual(started + 30 * DAY);
    expect(Date.parse(hal.expires_at!)).toBeLessThanOrEqual(Date.now() + 30 * DAY);
    expect(await suppressed('hal.hartley@example.org')).toBe(0);

    // 31 days on, under the map that says 30 days: Hal's hash has expired, and so have the
    // older ones kept without a keepFor (what the map says now applies to them too).
    const later = await lookUpSuppressed({
      configPath: keepFor,
      env: env(),
      values: [{ value: 'hal.hartley@example.org' }, { value: 'ada.lovelace@example.org' }],
      now: new Date(Date.now() + 31 * DAY),
    });
    expect(later.answers.map((a) => a.suppressed)).toEqual([false, false]);
    expect(suppressionRows()).toEqual([]);
    const prune = (await auditEntries()).filter((e) => e.action === 'suppression-prune');
    expect(prune).toEqual([expect.objectContaining({ command: 'housekeeping', outcome: 'ok', detail: expect.objectContaining({ pruned: 9 }) })]);
    const verify = await lethe('audit', 'verify', '--json');
    expect(verify.code, verify.stdout).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ intact: true, suppressions: 0 });
    expect(await suppressed('ada.lovelace@example.org')).toBe(4);
  });
});
