import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { parse } from 'yaml';
import { JANE_DOE } from '../../fixtures/demo/data.js';
import { runLethe } from '../support/cli.js';
import { describeEachDatabase, type TestDatabase } from '../support/databases.js';
import { CHINOOK_INVALID_PHONES, createChinook } from '../unit/init/chinook.js';
import { useDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const KEY = 'a-test-key-of-more-than-thirty-two-characters';

type RawMap = { tables: Record<string, { columns: Record<string, unknown> }>; secrets: { key: string }; database: { connection: string } };

/** Columns a map gives a strategy (not keep), as table.column. */
function personalColumns(map: RawMap): string[] {
  return Object.entries(map.tables).flatMap(([table, { columns }]) =>
    Object.entries(columns)
      .filter(([, value]) => value !== 'keep' && !(typeof value === 'object' && value !== null && (value as { strategy?: unknown }).strategy === 'keep'))
      .map(([column]) => `${table}.${column}`),
  );
}

describeEachDatabase('lethe init and lethe check', (target) => {
  const current = useDemoWorkspace(target);
  let demo: DemoWorkspace;
  let draft: string;
  /** The demo database as init and the tests connect to it. */
  let connection: string;
  const withDraft = (args: string[], env: NodeJS.ProcessEnv = {}) => runLethe(['--config', draft, ...args], { cwd: demo.dir, env: { LETHE_KEY: KEY, ...env } });

  beforeEach(async () => {
    demo = current.demo;
    await demo.regenerate();
    await rm(path.join(demo.dir, '.lethe'), { recursive: true, force: true });
    await rm(path.join(demo.dir, 'draft'), { recursive: true, force: true });
    draft = path.join(demo.dir, 'draft', 'lethe.yml');
    connection = target.client === 'sqlite' ? path.join(demo.dir, 'demo.db') : demo.database.connection;
  });

  it('writes a map that check accepts, marks every column the demo map anonymizes, and erases Jane with it', async () => {
    // The demo map moved away: init sees only the database.
    const demoMap = path.join(demo.dir, 'demo-map.yml');
    await rename(demo.config, demoMap);
    try {
      const init = await runLethe(['init', '--client', target.client, '--connection', connection, '--out', draft], { cwd: demo.dir });
      expect(init.stderr).toBe('');
      expect(init.code).toBe(0);
      expect(init.stdout).toMatch(/Wrote .*lethe\.yml: 5 tables, \d+ personal columns/);
      expect(init.stdout).toMatch(/Subject user: users \(found by id, email, phone\)/);

      const text = await readFile(draft, 'utf8');
      const written = parse(text) as RawMap;
      const demoPersonal = personalColumns(parse(await readFile(demoMap, 'utf8')) as RawMap);
      expect(demoPersonal.length).toBeGreaterThanOrEqual(9);
      expect(personalColumns(written)).toEqual(expect.arrayContaining(demoPersonal));
      expect(written.secrets.key).toBe('${LETHE_KEY}');
      expect(text).toMatch(/^# yaml-language-server: \$schema=\S+schema\/data-map\.schema\.json$/m);
      // Comments say why, and never quote the data.
      expect(text).toMatch(/email: \{ category: contact\.email, strategy: \{ template: .*\{id\}.* \} \} #/);
      for (const id of JANE_DOE.identifiers) expect(text).not.toContain(id);

      const check = await withDraft(['check']);
      expect(check.stdout).toMatch(/OK: safe to run/);
      expect(check.code).toBe(0);

      const anonymize = await withDraft(['anonymize', JANE_DOE.email, '--yes']);
      expect(anonymize.stderr).not.toMatch(/error/i);
      expect(anonymize.code).toBe(0);
    } finally {
      await rename(demoMap, demo.config);
    }
    // Her identifiers, as her rows held them, are nowhere in the database...
    const leftovers = await demo.query(async (db) => {
      const found: string[] = [];
      for (const table of ['users', 'conversations', 'messages', 'orders', 'consents']) {
        for (const row of (await db(table)) as Record<string, unknown>[]) {
          const text = Object.values(row).map(String).join('\u0000');
          for (const id of JANE_DOE.identifiers) if (text.includes(id)) found.push(`${table} ${String(row.id)}: ${id}`);
        }
      }
      return found;
    });
    expect(leftovers).toEqual([]);
    // ...and neither the draft nor the demo's own map finds her by any of them.
    for (const identifier of [JANE_DOE.email, JANE_DOE.phone]) {
      expect((await withDraft(['find', identifier])).code).toBe(4);
      expect((await demo.run(['find', identifier])).code).toBe(4);
    }
  });

  it('check --strict fails after a migration adds a column the map does not know, naming it', async () => {
    await demo.query((db) => db.raw('ALTER TABLE users ADD COLUMN nickname TEXT'));
    const loose = await demo.run(['check']);
    expect(loose.code).toBe(0);
    expect(loose.stdout).toMatch(/Warnings \(1\):\n {2}- tables\.users\.columns: column "nickname" of users is not in the map/);
    const strict = await demo.run(['check', '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toMatch(/column "nickname" of users is not in the map/);
    expect(strict.stdout).toMatch(/Not safe to run: 1 error/);
    const json = await demo.run(['check', '--strict', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      strict: true,
      errors: [],
      warnings: [{ path: 'tables.users.columns', message: expect.stringContaining('"nickname"') }],
    });
  });

  it('check fails on null into a NOT NULL column, naming table and column, and anonymize refuses before touching anything', async () => {
    const original = await readFile(demo.config, 'utf8');
    const broken = original.replace('full_name: { category: name, strategy: { template: "User #{id}" } }', 'full_name: { category: name, strategy: null }');
    expect(broken).not.toBe(original);
    await writeFile(demo.config, broken);
    try {
      const check = await demo.run(['check']);
      expect(check.code).toBe(2);
      expect(check.stdout).toMatch(/tables\.users\.columns\.full_name\.strategy: null on users\.full_name, which is NOT NULL/);
      const before = await demo.query((db) => db('users').orderBy('id'));
      const anonymize = await demo.run(['anonymize', JANE_DOE.email, '--yes']);
      expect(anonymize.code).toBe(2);
      expect(anonymize.stderr).toMatch(/null on users\.full_name, which is NOT NULL/);
      const sweep = await demo.run(['sweep', '--yes']);
      expect(sweep.code).toBe(2);
      expect(await demo.query((db) => db('users').orderBy('id'))).toEqual(before);
    } finally {
      await writeFile(demo.config, original);
    }
  });

  it('init refuses to overwrite a file without --force, and never writes a password', async () => {
    const first = await runLethe(['init', '--client', target.client, '--connection', connection, '--out', draft, '--sample', '0'], { cwd: demo.dir });
    expect(first.code).toBe(0);
    expect(statSync(draft).mode & 0o777).toBe(0o644);
    const again = await runLethe(['init', '--client', target.client, '--connection', connection, '--out', draft], { cwd: demo.dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists.*\n.*--force/);
    const forced = await runLethe(['init', '--client', target.client, '--connection', connection, '--out', draft, '--force', '--json'], { cwd: demo.dir });
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ subject: { table: 'users' }, problems: [] });
    if (target.client !== 'sqlite') {
      // With a password in the URL the map reads ${DATABASE_URL}; the password appears nowhere.
      const url = new URL(connection);
      url.password = 'not-the-real-password';
      // No draft from the runs above: what is read below is this run's, or nothing.
      await rm(draft, { force: true });
      const withPassword = await runLethe(['init', '--client', target.client, '--connection', url.toString(), '--out', draft, '--force'], { cwd: demo.dir });
      expect(`${withPassword.stdout}${withPassword.stderr}`).not.toContain('not-the-real-password');
      // The run happened: either the server took the password (trust authentication) and the
      // draft reads the URL from the environment, or it refused it and nothing was written.
      if (withPassword.code === 0) {
        const written = await readFile(draft, 'utf8');
        expect(written).toContain('${DATABASE_URL}');
        expect(written).not.toContain('not-the-real-password');
      } else {
        expect(withPassword.code).toBe(1);
        expect(withPassword.stderr).toMatch(/connect|denied|authentication|password/i);
        expect(existsSync(draft)).toBe(false);
      }
    }
  });
});

describeEachDatabase('lethe init on a schema it has never seen (shaped like Chinook)', (target) => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await target.create();
    await createChinook(database.knex);
    dir = mkdtempSync(path.join(os.tmpdir(), 'lethe-e2e-chinook-'));
  });
  afterAll(async () => {
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('drafts both kinds of people, a reference between them, an impersonal catalogue, says which phones do not parse, and check --strict passes', async () => {
    const draft = path.join(dir, 'lethe.yml');
    const init = await runLethe(['init', '--client', target.client, '--connection', database.connection, '--out', draft], { cwd: dir });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/Wrote .*lethe\.yml: 11 tables, \d+ personal columns\./);
    expect(init.stdout).toMatch(/Subject customer: Customer \(found by CustomerId, [^)]*\); guessed: Customer is a table of people /);
    expect(init.stdout).toMatch(/Subject employee: Employee \(found by EmployeeId, /);
    expect(init.stdout).toMatch(/References to a person, not ownership .*Customer\.SupportRepId -> Employee/);
    expect(init.stdout).toContain('3 of 24 sampled Customer.Phone values are not valid phone numbers (they are still found by their digits)');
    const text = await readFile(draft, 'utf8');
    for (const phone of CHINOOK_INVALID_PHONES) {
      expect(init.stdout).not.toContain(phone);
      expect(text).not.toContain(phone);
    }
    const map = parse(text) as {
      subjects: Record<string, { table: string }>;
      tables: Record<string, { belongsTo?: unknown; references?: unknown; impersonal?: string }>;
    };
    expect(Object.values(map.subjects).map((s) => s.table)).toEqual(['Customer', 'Employee']);
    expect(map.tables.Customer).toMatchObject({ references: { Employee: 'SupportRepId' } });
    expect(map.tables.Customer!.belongsTo).toBeUndefined();
    expect(map.tables.Employee).toMatchObject({ references: { Employee: 'ReportsTo' } });
    expect(map.tables.Employee!.belongsTo).toBeUndefined();
    for (const name of ['Artist', 'Album', 'Track', 'Genre', 'MediaType', 'Playlist', 'PlaylistTrack']) {
      expect(map.tables[name], name).toEqual({ impersonal: expect.stringMatching(/no column holds personal data.* and no person owns its rows/) });
    }

    const check = await runLethe(['--config', draft, 'check', '--strict'], { cwd: dir, env: { LETHE_KEY: KEY } });
    expect(check.stdout).toMatch(/OK: safe to run/);
    expect(check.stdout).not.toMatch(/Warnings/);
    expect(check.code).toBe(0);
  });
});
