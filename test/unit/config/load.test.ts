import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, readDataMap } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/errors.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lethe-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function mapFile(yaml: string): Promise<string> {
  const file = path.join(dir, 'lethe.yml');
  await writeFile(file, yaml);
  return file;
}

const minimal = `
database: { client: sqlite, connection: ./data/app.db }
audit: { path: ./audit/audit.db }
subjects:
  customer:
    table: users
    identifiers:
      email: { column: email, type: email }
    name: full_name
tables:
  users:
    columns:
      email: { category: contact.email, strategy: { template: "user-{id}@anonymized.invalid" } }
      full_name: { strategy: { template: "User #{id}" } }
  notes:
    belongsTo: { users: user_id }
    onErase: delete
    columns:
      user_id: keep
      body: redact
`;

describe('loadConfig', () => {
  it('builds the typed graph with paths relative to the map file', async () => {
    const map = await loadConfig(await mapFile(minimal), {});
    expect(map.database.connection).toBe(path.join(dir, 'data/app.db'));
    expect(map.auditPath).toBe(path.join(dir, 'audit/audit.db'));
    expect(map.order).toEqual(['users', 'notes']);
    expect(map.tables.get('notes')!.parents).toEqual([{ table: 'users', column: 'user_id' }]);
    expect(map.tables.get('notes')!.columns.get('body')!.strategy).toEqual({ kind: 'redact' });
    expect(map.tables.get('users')!.keyColumns).toEqual(['id']);
    expect(map.subjects.get('customer')!.nameColumns).toEqual(['full_name']);
  });

  it('interpolates ${VAR} and ${VAR:-default} from the environment', async () => {
    const file = await mapFile(
      minimal.replace('connection: ./data/app.db', 'connection: "${DB_FILE}"') + 'secrets: { key: "${LETHE_KEY:-fallback-key-of-thirty-two-bytes!}" }\n',
    );
    const map = await loadConfig(file, { DB_FILE: '/tmp/x.db' });
    expect(map.database.connection).toBe('/tmp/x.db');
    expect(map.key).toBe('fallback-key-of-thirty-two-bytes!');
  });

  it.each([
    ['$LETHE_KEY', /not expanded/],
    ['${LETHE_KEY }', /not expanded/],
    ['${LETHE_KEY:=x}', /not expanded/],
    ['   ', /blank/],
    ['short-key', /has 9 bytes, fewer than 32/],
  ])('refuses the key %j: anyone reading the map would know it', async (key, message) => {
    const { problems } = await readDataMap(await mapFile(`${minimal}secrets: { key: ${JSON.stringify(key)} }\n`), {});
    expect(problems).toEqual([{ path: 'secrets.key', message: expect.stringMatching(message) }]);
    expect(problems[0]!.message).toMatch(/openssl rand -hex 32/);
  });

  it('says first, in one sentence, that ${VAR} inside { } must be quoted', async () => {
    const broken = minimal.replace('audit: { path: ./audit/audit.db }', 'audit: { path: ${AUDIT_DIR} }');
    const { problems } = await readDataMap(await mapFile(broken), { AUDIT_DIR: '/tmp' });
    expect(problems[0]!.message).toMatch(/^line \d+: \$\{\.\.\.\} inside \{ \} must be quoted/);
    const quoted = minimal.replace('audit: { path: ./audit/audit.db }', 'audit: { path: "${AUDIT_DIR}/a.db" }');
    expect((await readDataMap(await mapFile(quoted), { AUDIT_DIR: '/tmp' })).problems).toEqual([]);
  });

  it('reports a strategy typo, an unset variable and an unknown key together, each with its dot path', async () => {
    const broken = minimal.replace('body: redact', 'body: redcat').replace('audit: { path: ./audit/audit.db }', 'audit: { path: "${AUDIT_DIR}/audit.db" }');
    const { problems } = await readDataMap(await mapFile(broken), {});
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'tables.notes.columns.body', message: expect.stringMatching(/unknown strategy "redcat".*did you mean "redact"/) },
        { path: 'audit.path', message: expect.stringContaining('AUDIT_DIR is not set') },
      ]),
    );
    await expect(loadConfig(await mapFile(broken), {})).rejects.toBeInstanceOf(ConfigError);
  });

  it('rejects unknown keys, missing sections and bad enums with their paths', async () => {
    const { problems } = await readDataMap(
      await mapFile(`
database: { client: oracle, connection: x }
subjects: {}
tables:
  users:
    colums: {}
`),
      {},
    );
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['database.client', 'subjects', 'tables.users']));
    expect(problems.find((p) => p.path === 'tables.users')!.message).toContain('"colums"');
  });

  it('checks links, templates, keys and erasure order without a database', async () => {
    const { problems } = await readDataMap(
      await mapFile(`
database: { client: sqlite, connection: ./app.db }
subjects:
  customer:
    table: users
    identifiers: { email: { column: mail, type: email } }
tables:
  users:
    onErase: delete
    columns:
      email: { strategy: { template: "{full_name}-{nope}" } }
      full_name: { strategy: hash }
  notes:
    belongsTo: { users: user_id, ghosts: ghost_id }
    columns:
      user_id: keep
      ghost_id: keep
`),
      {},
    );
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(byPath['subjects.customer.identifiers.email.column']).toContain('"mail"');
    expect(byPath['tables.notes.belongsTo.ghosts']).toContain('"ghosts"');
    expect(problems.filter((p) => p.path === 'tables.users.columns.email.strategy').map((p) => p.message)).toEqual([
      expect.stringContaining('personal column'),
      expect.stringContaining('{nope}'),
    ]);
    expect(byPath['tables.users.columns.full_name.strategy']).toContain('secrets.key');
    expect(byPath['tables.users.onErase']).toContain('orphan rows of notes');
  });

  it("refuses a primary key that is a person's e-mail or phone (keys go into the audit trail)", async () => {
    const keyedByEmail = minimal
      .replace('"User #{id}"', 'Customer')
      .replace(
        '  users:\n    columns:\n      email: { category: contact.email, strategy: { template: "user-{id}@anonymized.invalid" } }',
        '  users:\n    primaryKey: email\n    columns:\n      email: keep',
      );
    expect(keyedByEmail).not.toBe(minimal);
    const { problems } = await readDataMap(await mapFile(keyedByEmail), {});
    expect(problems).toEqual([
      { path: 'tables.users.primaryKey', message: expect.stringContaining('users.email is both the primary key and the email a person is found by') },
    ]);
    // A customer number (type text) or an id as the key is what the audit trail is meant to hold.
    const keyedByNumber = minimal
      .replace('"User #{id}"', 'Customer')
      .replace('type: email }', 'type: text }')
      .replace(
        '  users:\n    columns:\n      email: { category: contact.email, strategy: { template: "user-{id}@anonymized.invalid" } }',
        '  users:\n    primaryKey: email\n    columns:\n      email: keep',
      );
    expect((await readDataMap(await mapFile(keyedByNumber), {})).problems).toEqual([]);
  });

  it('finds a belongsTo cycle', async () => {
    const { problems } = await readDataMap(
      await mapFile(`
database: { client: sqlite, connection: ./app.db }
subjects: { customer: { table: a, identifiers: { id: { column: id, type: id } } } }
tables:
  a: { belongsTo: { b: b_id }, columns: { b_id: keep } }
  b: { belongsTo: { a: a_id }, columns: { a_id: keep } }
`),
      {},
    );
    expect(problems).toContainEqual({ path: 'tables', message: expect.stringContaining('cycle') });
  });

  it('says which file is missing', async () => {
    await expect(loadConfig(path.join(dir, 'nope.yml'))).rejects.toThrow(/No data map at .*nope\.yml/);
  });
});

describe('retention rules', () => {
  const withRetention = (users: string, notes: string) =>
    minimal
      .replace('      full_name: { strategy: { template: "User #{id}" } }\n', `      full_name: { strategy: { template: "User #{id}" } }\n${users}`)
      .replace('      body: redact\n', `      body: redact\n${notes}`);

  it('reads periods in words and ISO 8601', async () => {
    const map = await loadConfig(
      await mapFile(
        withRetention(
          '      last_seen: keep\n    retention: { inactiveFor: P2Y, activity: [users.last_seen, notes.created] }\n',
          '      created: keep\n    retention: { timestamp: created, anonymizeAfter: 24 months, deleteAfter: 5 years }\n',
        ).replace('onErase: delete', 'onErase: anonymize'),
      ),
      {},
    );
    expect(map.tables.get('notes')!.retention).toMatchObject({ timestamp: 'created', anonymizeAfter: { months: 24 }, deleteAfter: { years: 5 } });
    expect(map.tables.get('users')!.retention).toMatchObject({
      inactiveFor: { years: 2 },
      activity: [
        { table: 'users', column: 'last_seen' },
        { table: 'notes', column: 'created' },
      ],
    });
  });

  it('refuses anonymizeAfter not shorter than deleteAfter, unreadable periods and a missing timestamp', async () => {
    const { problems } = await readDataMap(
      await mapFile(
        withRetention(
          '    retention: { deleteAfter: soon }\n',
          '      created: keep\n    retention: { timestamp: created, anonymizeAfter: 6 years, deleteAfter: 5 years }\n',
        ),
      ),
      {},
    );
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(byPath['tables.notes.retention.anonymizeAfter']).toContain('must be shorter than deleteAfter');
    expect(byPath['tables.users.retention.deleteAfter']).toContain('"soon" is not a period');
    expect(byPath['tables.users.retention.timestamp']).toContain('name it');
  });

  it('refuses deleting a parent before a child that is kept longer', async () => {
    const { problems } = await readDataMap(
      await mapFile(
        withRetention(
          '      created: keep\n    retention: { timestamp: created, deleteAfter: 2 years }\n',
          '      created: keep\n    retention: { timestamp: created, deleteAfter: 5 years }\n',
        ),
      ),
      {},
    );
    expect(problems).toContainEqual({
      path: 'tables.users.retention.deleteAfter',
      message: expect.stringContaining('would delete rows of notes, which the map keeps for 5 years'),
    });
  });

  it('refuses strategies a later sweep could not recognise as done', async () => {
    const { problems } = await readDataMap(
      await mapFile(withRetention('', '      created: keep\n      token: random\n    retention: { timestamp: created, anonymizeAfter: 1 year }\n')),
      {},
    );
    expect(problems).toContainEqual({ path: 'tables.notes.retention.anonymizeAfter', message: expect.stringContaining('notes.token uses random') });
  });
});

describe('tombstones', () => {
  it('need secrets.key', async () => {
    const { problems } = await readDataMap(await mapFile(minimal.replace('    name: full_name\n', '    name: full_name\n    tombstones: true\n')), {});
    expect(problems).toContainEqual({ path: 'subjects.customer.tombstones', message: expect.stringContaining('secrets.key') });
  });
});

describe('detection settings', () => {
  it('are read from the map and reach redact', async () => {
    const map = await loadConfig(await mapFile(`${minimal}detection: { allow: [Acme Home], deny: [Project Falcon], threshold: 0.6 }\n`), {});
    expect(map.detection).toEqual({ allow: ['Acme Home'], deny: ['Project Falcon'], threshold: 0.6 });
    const { createStrategy } = await import('../../../src/masking/index.js');
    const redact = createStrategy({ kind: 'redact' });
    const column = { name: 'body', type: 'text' as const, nullable: true, unique: false };
    expect(redact.apply('Project Falcon starts; mail jo@example.org', { table: 't', column, row: {}, detection: map.detection })).toBe(
      '[REDACTED] starts; mail [EMAIL]',
    );
  });
});

describe('hostile YAML', () => {
  it('refuses aliases that would expand without bound (a "billion laughs"), as a map problem', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i <= 9; i += 1)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const { problems } = await readDataMap(await mapFile(`${levels.join('\n')}\n${minimal}`), {});
    expect(problems).toEqual([{ path: '', message: expect.stringMatching(/^not a usable data map: .*aliases/i) }]);
  });

  it('names every duplicate key, not only the first', async () => {
    const doubled = minimal.replace(
      'audit: { path: ./audit/audit.db }',
      'audit: { path: ./audit/audit.db }\naudit: { path: ./a.db }\ndatabase: { client: sqlite, connection: ./b.db }',
    );
    const { problems } = await readDataMap(await mapFile(doubled), {});
    expect(problems).toHaveLength(2);
    expect(problems.every((p) => /not valid YAML: .*unique/i.test(p.message))).toBe(true);
  });

  it('refuses column names knex would read as table.column or as an alias', async () => {
    const odd = minimal.replace(
      '      email: { category: contact.email, strategy: { template: "user-{id}@anonymized.invalid" } }',
      '      email: { category: contact.email, strategy: { template: "user-{id}@anonymized.invalid" } }\n      addr.line1: keep\n      note as id: keep',
    );
    expect(odd).not.toBe(minimal);
    const { problems } = await readDataMap(await mapFile(odd), {});
    expect(problems.map((p) => p.path).sort()).toEqual(['tables.users.columns.addr.line1', 'tables.users.columns.note as id']);
    expect(problems[0]!.message).toMatch(/cannot address a column named/);
  });
});

/** One run names every problem of the map: a part in the wrong shape does not hide the others. */
describe('every problem in one pass', () => {
  it('a wrong value in one subject does not hide a wrong period in a table', async () => {
    const text = minimal
      .replace('    name: full_name\n', '    name: full_name\n    tombstones: "yes"\n')
      .replace('      body: redact\n', '      body: redact\n      created: keep\n    retention: { timestamp: created, anonymizeAfter: yesterday }\n');
    const { map, problems } = await readDataMap(await mapFile(text), {});
    expect(map).toBeUndefined();
    expect(problems.map((p) => p.path).sort()).toEqual(['subjects.customer.tombstones', 'tables.notes.retention.anonymizeAfter']);
    expect(problems.find((p) => p.path === 'tables.notes.retention.anonymizeAfter')!.message).toMatch(/"yesterday" is not a period/);
  });

  it('a misspelt section does not hide an unknown strategy, nor a wrong column a broken subject', async () => {
    const text = `${minimal.replace('audit: { path: ./audit/audit.db }', 'audti: { path: ./audit/audit.db }').replace('      body: redact\n', '      body: scramble\n      other: { strategy: redact, colour: red }\n')}`;
    const { problems } = await readDataMap(await mapFile(text), {});
    expect(problems).toContainEqual({ path: '', message: 'unknown key "audti"' });
    expect(problems).toContainEqual({ path: 'tables.notes.columns.other', message: 'unknown key "colour"' });
    expect(problems).toContainEqual({ path: 'tables.notes.columns.body', message: expect.stringMatching(/scramble/) });
    expect(problems).toHaveLength(3);
  });

  it('a table in the wrong shape is set aside: problems elsewhere are named, none that follow from it', async () => {
    const text = minimal
      .replace('  notes:\n    belongsTo: { users: user_id }', '  notes:\n    belongsTo: [users]')
      .replace('      email: { column: email, type: email }', '      email: { column: email, type: email }\n      phone: { column: mobile, type: phone }');
    const { problems } = await readDataMap(await mapFile(text), {});
    expect(problems.map((p) => p.path).sort()).toEqual(['subjects.customer.identifiers.phone.column', 'tables.notes.belongsTo']);
  });
});

/** Links between people, and tables reviewed as holding nothing personal. */
describe('references and impersonal tables', () => {
  const people = `
database: { client: sqlite, connection: ./data/app.db }
subjects:
  customer: { table: customers, identifiers: { email: { column: email, type: email } } }
  employee: { table: employees, identifiers: { email: { column: email, type: email } } }
tables:
  employees:
    columns: { email: { strategy: { template: "e{id}@x.invalid" } } }
  customers:
    LINK
    columns: { email: { strategy: { template: "c{id}@x.invalid" } }, rep_id: keep }
  albums:
    primaryKey: album_id
    impersonal: a catalogue of records; nothing in it is about a person
`;

  it('a reference from one person to another is read and is not ownership', async () => {
    const map = await loadConfig(await mapFile(people.replace('LINK', 'references: { employees: rep_id }')), {});
    expect(map.tables.get('customers')!.references).toEqual([{ table: 'employees', column: 'rep_id' }]);
    expect(map.tables.get('customers')!.parents).toEqual([]);
    expect(map.tables.get('albums')!.impersonal).toMatch(/catalogue/);
  });

  it('belongsTo that puts one kind of person under another is refused, naming the reference to write', async () => {
    const { problems } = await readDataMap(await mapFile(people.replace('LINK', 'belongsTo: { employees: rep_id }')), {});
    expect(problems).toContainEqual({ path: 'tables.customers.belongsTo', message: expect.stringContaining('references: { employees: rep_id }') });
  });

  it('a reference to a table of no subject, and an impersonal table with personal columns, are refused', async () => {
    const text = people
      .replace('LINK', 'references: { albums: rep_id }')
      .replace('    impersonal: a catalogue', '    columns: { title: redact }\n    impersonal: a catalogue');
    const { problems } = await readDataMap(await mapFile(text), {});
    expect(problems.map((p) => p.path).sort()).toEqual(['tables.albums.impersonal', 'tables.customers.references.albums']);
  });

  it('a table with neither columns nor impersonal is named', async () => {
    const { problems } = await readDataMap(
      await mapFile(people.replace('LINK', '').replace('    impersonal: a catalogue of records; nothing in it is about a person\n', '')),
      {},
    );
    expect(problems).toContainEqual({ path: 'tables.albums.columns', message: expect.stringContaining('impersonal') });
  });
});
