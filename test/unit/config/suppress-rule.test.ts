import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { buildDataMap } from '../../../src/config/data-map.js';
import { dataMapJsonSchema } from '../../../src/config/json-schema.js';
import { dataMapSchema } from '../../../src/config/schema.js';
import type { ConfigProblem } from '../../../src/errors.js';

const KEY = 'k'.repeat(40);

/** A respondents table with a suppress rule; `change` edits the raw map. */
function read(change: (map: Record<string, any>) => void = () => {}): { problems: ConfigProblem[]; map: ReturnType<typeof buildDataMap> } {
  const raw: Record<string, any> = {
    database: { client: 'sqlite', connection: './app.db' },
    secrets: { key: KEY },
    subjects: {
      respondent: {
        table: 'respondents',
        identifiers: {
          id: { column: 'id', type: 'id' },
          email: { column: 'email', type: 'email' },
          phone: { column: 'phone', type: 'phone' },
          login: { column: 'login' },
        },
        suppress: { when: { unsubscribed: true } },
      },
    },
    tables: {
      respondents: {
        columns: { email: 'empty', phone: 'null', login: 'null', unsubscribed: 'keep', status: 'keep', last_active_at: 'keep' },
        retention: { inactiveFor: '24 months', activity: ['respondents.last_active_at'] },
      },
    },
  };
  change(raw);
  const parsed = dataMapSchema.parse(raw);
  const problems: ConfigProblem[] = [];
  const map = buildDataMap(parsed, { file: 'lethe.yml', dir: '.', resolvePath: (p) => p }, problems);
  return { problems, map };
}

const paths = (problems: ConfigProblem[]) => problems.map((p) => p.path);

describe('subjects.<name>.suppress', () => {
  it('reads when, and defaults the identifiers to the e-mail and phone ones', () => {
    const { problems, map } = read();
    expect(problems).toEqual([]);
    const rule = map.subjects.get('respondent')!.suppress!;
    expect(rule.when).toEqual([{ column: 'unsubscribed', values: [true], negate: false }]);
    expect(rule.identifiers.map((i) => i.name)).toEqual(['email', 'phone']);
    expect(rule.keepFor).toBeUndefined();
  });

  it('reads lists, { not: ... }, named identifiers and keepFor', () => {
    const { problems, map } = read((m) => {
      m.subjects.respondent.suppress = {
        when: { status: ['unsubscribed', 'bounced'], unsubscribed: { not: null } },
        identifiers: ['email', 'login'],
        keepFor: '12 months',
      };
    });
    expect(problems).toEqual([]);
    const rule = map.subjects.get('respondent')!.suppress!;
    expect(rule.when).toEqual([
      { column: 'status', values: ['unsubscribed', 'bounced'], negate: false },
      { column: 'unsubscribed', values: [null], negate: true },
    ]);
    expect(rule.identifiers.map((i) => i.name)).toEqual(['email', 'login']);
    expect(rule.keepFor?.months).toBe(12);
  });

  it('needs secrets.key', () => {
    const { problems } = read((m) => delete m.secrets);
    expect(problems).toContainEqual({ path: 'subjects.respondent.suppress', message: expect.stringContaining('needs secrets.key') });
  });

  it('refuses a condition on a column the map does not give the subject table', () => {
    expect(paths(read((m) => (m.subjects.respondent.suppress.when = { opted_out: true })).problems)).toEqual(['subjects.respondent.suppress.when.opted_out']);
  });

  it('refuses an empty when, and unknown keys', () => {
    expect(dataMapSchema.safeParse({ ...base(), subjects: { respondent: { ...base().subjects.respondent, suppress: { when: {} } } } }).success).toBe(false);
    expect(
      dataMapSchema.safeParse({
        ...base(),
        subjects: { respondent: { ...base().subjects.respondent, suppress: { when: { unsubscribed: true }, keep: '1 year' } } },
      }).success,
    ).toBe(false);
  });

  it('refuses unknown identifiers and ids', () => {
    const { problems } = read((m) => (m.subjects.respondent.suppress.identifiers = ['mail', 'id']));
    expect(paths(problems)).toEqual(['subjects.respondent.suppress.identifiers.0', 'subjects.respondent.suppress.identifiers.1']);
    expect(problems[1]!.message).toMatch(/is an id/);
  });

  it('asks for identifiers when the subject has no e-mail or phone', () => {
    const { problems } = read((m) => {
      m.subjects.respondent.identifiers = { id: { column: 'id', type: 'id' }, login: { column: 'login' } };
    });
    expect(paths(problems)).toEqual(['subjects.respondent.suppress.identifiers']);
  });

  it('refuses a keepFor longer than the inactiveFor the hashes come from, and a keepFor that is no period', () => {
    const longer = read((m) => (m.subjects.respondent.suppress.keepFor = '3 years')).problems;
    expect(longer).toEqual([
      { path: 'subjects.respondent.suppress.keepFor', message: expect.stringMatching(/keepFor \(3 years\) is longer than .*inactiveFor: 24 months/) },
    ]);
    expect(read((m) => (m.subjects.respondent.suppress.keepFor = '24 months')).problems).toEqual([]);
    expect(paths(read((m) => (m.subjects.respondent.suppress.keepFor = 'forever')).problems)).toEqual(['subjects.respondent.suppress.keepFor']);
    // Without inactiveFor there is no anonymization period to exceed.
    expect(
      read((m) => {
        delete m.tables.respondents.retention;
        m.subjects.respondent.suppress.keepFor = '10 years';
      }).problems,
    ).toEqual([]);
  });

  it('refuses row-by-row retention on the subject table that would erase an opted-out address without its hash', () => {
    const anonymizeAfter = read((m) => (m.tables.respondents.retention = { timestamp: 'last_active_at', anonymizeAfter: '12 months' })).problems;
    expect(anonymizeAfter).toEqual([
      { path: 'subjects.respondent.suppress', message: expect.stringMatching(/anonymizeAfter rewrites respondents.email, respondents.phone row by row/) },
    ]);
    const deleteAfter = read((m) => (m.tables.respondents.retention = { timestamp: 'last_active_at', deleteAfter: '5 years' })).problems;
    expect(deleteAfter).toEqual([{ path: 'subjects.respondent.suppress', message: expect.stringMatching(/deleteAfter deletes/) }]);
  });
});

describe('the JSON Schema of suppress', () => {
  const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(dataMapJsonSchema());
  const withSuppress = (suppress: unknown) => ({ ...base(), subjects: { respondent: { ...base().subjects.respondent, suppress } } });
  it.each([
    [{ when: { unsubscribed: true } }],
    [{ when: { status: ['unsubscribed', 'bounced'], unsubscribed_at: { not: null } }, identifiers: ['email'], keepFor: '2 years' }],
  ])('accepts %j, as lethe does', (suppress) => {
    expect(validate(withSuppress(suppress)), JSON.stringify(validate.errors)).toBe(true);
    expect(dataMapSchema.safeParse(withSuppress(suppress)).success).toBe(true);
  });
  it.each([
    [{}],
    [{ when: {} }],
    [{ when: { unsubscribed: true }, keep: '1 year' }],
    [{ when: { unsubscribed: { is: true } } }],
    [{ when: { unsubscribed: true }, identifiers: [] }],
  ])('refuses %j, as lethe does', (suppress) => {
    expect(validate(withSuppress(suppress))).toBe(false);
    expect(dataMapSchema.safeParse(withSuppress(suppress)).success).toBe(false);
  });
});

function base(): Record<string, any> {
  return {
    database: { client: 'sqlite', connection: './app.db' },
    secrets: { key: KEY },
    subjects: { respondent: { table: 'respondents', identifiers: { email: { column: 'email', type: 'email' } } } },
    tables: { respondents: { columns: { email: 'empty', unsubscribed: 'keep' } } },
  };
}
