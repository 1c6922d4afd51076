import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildDataMap } from '../../../src/config/data-map.js';
import { interpolateEnv } from '../../../src/config/interpolate.js';
import { dataMapJsonSchema } from '../../../src/config/json-schema.js';
import { dataMapSchema } from '../../../src/config/schema.js';
import { parseStrategySpec } from '../../../src/masking/spec.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const schema = dataMapJsonSchema();
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).addSchema(schema, 'data-map');
const validateMap = ajv.compile({ $ref: 'data-map' });
const validateStrategy = ajv.compile({ $ref: 'data-map#/definitions/strategy' });

function schemaErrors(map: unknown): ErrorObject[] {
  return validateMap(map) ? [] : (validateMap.errors ?? []);
}

const env = { LETHE_KEY: 'test-key-0123456789abcdef0123456789', LETHE_REGION: 'FR' };

/** The paths of the problems lethe itself finds in a map: after interpolation, zod, then the checks of buildDataMap. */
function letheProblems(map: unknown): string[] {
  const problems: { path: string; message: string }[] = [];
  const parsed = dataMapSchema.safeParse(interpolateEnv(map, env, problems));
  if (!parsed.success) return parsed.error.issues.map((issue) => issue.path.join('.'));
  buildDataMap(parsed.data, { file: 'lethe.yml', dir: '.', resolvePath: (p) => p }, problems);
  return problems.map((problem) => problem.path);
}

/** A small valid map whose `users.note` column is the one under test. */
function mapWith(note: unknown, change: (map: Record<string, any>) => void = () => {}): Record<string, any> {
  const map: Record<string, any> = {
    database: { client: 'sqlite', connection: './app.db' },
    secrets: { key: '${LETHE_KEY}' },
    detection: { phoneRegions: ['GB', '${LETHE_REGION}'] },
    subjects: { customer: { table: 'users', identifiers: { email: { column: 'email', type: 'email' } } } },
    tables: { users: { columns: { id: 'keep', email: 'keep', created_at: 'keep', note } } },
  };
  change(map);
  return map;
}

describe('schema/data-map.schema.json', () => {
  it('is what dataMapJsonSchema() produces now', async () => {
    const committed = await readFile(path.join(root, 'schema/data-map.schema.json'), 'utf8');
    expect(committed, 'schema/data-map.schema.json is stale: run `npm run schema` and commit it').toBe(`${JSON.stringify(schema, null, 2)}\n`);
  });

  it('is a draft-07 schema with a title, and no $id', () => {
    expect(schema).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', title: 'lethe data map' });
    expect(schema).not.toHaveProperty('$id');
  });
});

describe('the demo maps', () => {
  it.each(['lethe.yml', 'lethe.postgres.yml', 'lethe.mysql.yml'])('%s validates as written (${VAR} not interpolated)', async (name) => {
    const map: unknown = parse(await readFile(path.join(root, 'fixtures/demo', name), 'utf8'));
    expect(schemaErrors(map)).toEqual([]);
  });
});

describe('mistakes', () => {
  it('accepts the base map, as lethe does', () => {
    const map = mapWith({ strategy: 'redact' });
    expect(letheProblems(map)).toEqual([]);
    expect(schemaErrors(map)).toEqual([]);
  });

  it.each([
    ['an unknown top-level key', (m: any) => (m.tabels = {}), ''],
    ['a table without columns', (m: any) => delete m.tables.users.columns, '/tables/users'],
    ['onErase: destroy', (m: any) => (m.tables.users.onErase = 'destroy'), '/tables/users/onErase'],
    ['an unknown strategy name', (m: any) => (m.tables.users.columns.note = 'hsah'), '/tables/users/columns/note'],
    ['an unknown strategy object', (m: any) => (m.tables.users.columns.note = { strategy: { hsah: null } }), '/tables/users/columns/note'],
    ['{ generalize: week }', (m: any) => (m.tables.users.columns.note = { strategy: { generalize: 'week' } }), '/tables/users/columns/note'],
    [
      'a redact type that does not exist',
      (m: any) => (m.tables.users.columns.note = { strategy: { redact: { types: ['EMAIL', 'SSN'] } } }),
      '/tables/users/columns/note',
    ],
    ['no subjects', (m: any) => (m.subjects = {}), '/subjects'],
    ['a subject without identifiers', (m: any) => (m.subjects.customer.identifiers = {}), '/subjects/customer/identifiers'],
    ['an unknown identifier type', (m: any) => (m.subjects.customer.identifiers.email.type = 'mail'), '/subjects/customer/identifiers/email/type'],
    ['an unknown retention key', (m: any) => (m.tables.users.retention = { timestamp: 'created_at', keepFor: '5 years' }), '/tables/users/retention'],
  ])('rejects %s, as lethe does', (_name, change, where) => {
    const map = mapWith('keep', change);
    const dotted = where.slice(1).replaceAll('/', '.');
    expect(letheProblems(map).filter((problem) => problem.startsWith(dotted))).not.toEqual([]);
    expect(schemaErrors(map).map((error) => error.instancePath)).toContain(where);
  });

  it('names the unknown top-level key', () => {
    const errors = schemaErrors(mapWith('keep', (m) => (m.tabels = {})));
    expect(errors).toContainEqual(expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'tabels' } }));
  });
});

// Every form parseStrategySpec accepts, and some it refuses; the schema must agree on each.
const ACCEPTED_STRATEGIES: unknown[] = [
  null,
  'null',
  'empty',
  'random',
  'hash',
  'mask',
  'redact',
  { null: null },
  { null: {} },
  { empty: null },
  { random: {} },
  { value: 'n/a' },
  { value: '' },
  { value: 0 },
  { value: -1.5 },
  { value: false },
  { template: 'User #{id}' },
  { template: 'user-{ id }@anonymized.invalid' },
  { template: 'anonymous' },
  { template: '${PREFIX}-{id}' },
  { hash: null },
  { hash: {} },
  { hash: { length: 16 } },
  { hash: { length: 1 } },
  { hash: { length: 64 } },
  { mask: null },
  { mask: { keepFirst: 0, keepLast: 4, char: '*' } },
  { mask: { keepLast: 0 } },
  { mask: { char: '•' } },
  { generalize: 'year' },
  { generalize: 'month' },
  { generalize: 'decade' },
  { generalize: { bucket: 10 } },
  { generalize: { bucket: 0.5 } },
  { redact: null },
  { redact: {} },
  { redact: { placeholders: false } },
  { redact: { types: ['EMAIL', 'PHONE'], threshold: 0.7, style: 'mask' } },
  { redact: { types: ['STREET_ADDRESS'], threshold: 0, style: 'placeholder' } },
  { redact: { threshold: 1 } },
  { 'delete-file': { storage: 'attachments' } },
  { 'delete-file': { storage: 'attachments', then: null } },
  { 'delete-file': { storage: 'attachments', then: 'null' } },
  { 'delete-file': { storage: 'attachments', then: 'empty' } },
  { 'delete-file': { storage: 'attachments', then: { null: null } } },
  { 'delete-file': { storage: 'avatars', then: { value: 'avatars/default.png' } } },
  { 'delete-file': { storage: 'avatars', then: { template: 'avatars/{id}.png' } } },
];

const REFUSED_STRATEGIES: unknown[] = [
  '',
  'keep',
  'value',
  'template',
  'generalize',
  'Hash',
  'hsah',
  0,
  true,
  ['hash'],
  {},
  { hash: null, mask: null },
  { keep: null },
  { empty: { char: '*' } },
  { random: 'fast' },
  { value: null },
  { value: ['a'] },
  { value: { text: 'n/a' } },
  { template: '' },
  { template: 'User #{id' },
  { template: 'User #id}' },
  { template: 'User #{}' },
  { template: 'User #{ }' },
  { template: 7 },
  { hash: { length: 0 } },
  { hash: { length: 65 } },
  { hash: { length: 8.5 } },
  { hash: { lenght: 8 } },
  { hash: 16 },
  { mask: { keepLast: -1 } },
  { mask: { char: '**' } },
  { mask: { char: '' } },
  { mask: { keepEnd: 4 } },
  { generalize: null },
  { generalize: 'week' },
  { generalize: 'Year' },
  { generalize: {} },
  { generalize: { bucket: 0 } },
  { generalize: { bucket: '10' } },
  { generalize: { bucket: 10, round: 'up' } },
  { redact: { types: [] } },
  { redact: { types: ['SSN'] } },
  { redact: { types: 'EMAIL' } },
  { redact: { threshold: 1.5 } },
  { redact: { style: 'stars' } },
  { redact: { placeholders: 'yes' } },
  { redact: { mode: 'mask' } },
  'delete-file',
  { 'delete-file': null },
  { 'delete-file': {} },
  { 'delete-file': { storage: '' } },
  { 'delete-file': { storage: 'attachments', then: 'hash' } },
  { 'delete-file': { storage: 'attachments', then: 'keep' } },
  { 'delete-file': { storage: 'attachments', then: { value: null } } },
  { 'delete-file': { storage: 'attachments', then: { template: 'User #{' } } },
  { 'delete-file': { storage: 'attachments', then: { empty: null, null: null } } },
  { 'delete-file': { storage: 'attachments', thne: null } },
];

describe('strategies', () => {
  it.each(ACCEPTED_STRATEGIES.map((strategy) => [JSON.stringify(strategy), strategy]))('accepts %s, as parseStrategySpec does', (_name, strategy) => {
    expect(parseStrategySpec(strategy)).toHaveProperty('spec');
    expect(validateStrategy(strategy), JSON.stringify(validateStrategy.errors)).toBe(true);
    expect(schemaErrors(mapWith({ strategy }))).toEqual([]);
  });

  it.each(REFUSED_STRATEGIES.map((strategy) => [JSON.stringify(strategy), strategy]))('refuses %s, as parseStrategySpec does', (_name, strategy) => {
    expect(parseStrategySpec(strategy)).toHaveProperty('problem');
    expect(validateStrategy(strategy)).toBe(false);
  });
});

// A column as data-map.ts reads it: keep, a bare strategy name, or { category, strategy, export }.
describe('columns', () => {
  it.each([
    'keep',
    'null',
    'hash',
    'redact',
    { strategy: 'keep' },
    { strategy: 'keep', export: false },
    { strategy: null },
    { category: 'contact.email', strategy: { template: 'user-{id}@anonymized.invalid' }, export: true },
  ])('accepts %j, as lethe does', (column) => {
    const map = mapWith(column);
    expect(letheProblems(map)).toEqual([]);
    expect(schemaErrors(map)).toEqual([]);
  });

  it.each([
    null,
    'value',
    'hsah',
    { template: 'User #{id}' },
    { category: 'contact.email' },
    { strategy: 'keep', personal: false },
    { strategy: 'keep', export: 'no' },
  ])('refuses %j, as lethe does', (column) => {
    const map = mapWith(column);
    expect(letheProblems(map)).toContainEqual(expect.stringMatching(/^tables\.users\.columns\.note/));
    expect(schemaErrors(map).map((error) => error.instancePath)).toContain('/tables/users/columns/note');
  });
});
