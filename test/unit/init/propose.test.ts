import { describe, expect, it } from 'vitest';
import type { DataMap, TableMapping } from '../../../src/config/data-map.js';
import { checkMapAgainstSchema } from '../../../src/core/check-map.js';
import { broadType, type ColumnInfo, type SchemaSnapshot } from '../../../src/db/schema-snapshot.js';
import type { ConfigProblem } from '../../../src/errors.js';
import type { ColumnClass } from '../../../src/init/classify.js';
import { PERSONAL_KINDS, type PersonalKind } from '../../../src/config/column-names.js';
import { longestKey, proposeStrategy, type StrategyYaml } from '../../../src/init/propose.js';
import { createStrategy, parseStrategySpec, templateFields, type StrategySpec } from '../../../src/masking/index.js';

function column(name: string, declaredType: string, options: { nullable?: boolean; unique?: boolean } = {}): ColumnInfo {
  return { name, declaredType, ...broadType(declaredType), nullable: options.nullable ?? true, unique: options.unique ?? false, hasDefault: false };
}

function personal(kind: PersonalKind): ColumnClass {
  return { personal: true, kind, category: PERSONAL_KINDS[kind].category, reason: 'test', confidence: 'name', review: false };
}

const ID = column('id', 'integer', { nullable: false, unique: true });

/** The problems the real map check finds with `strategy` on `info` (in a table keyed by `pk`). */
function mapProblems(info: ColumnInfo, pk: ColumnInfo, strategy: StrategyYaml): ConfigProblem[] {
  let mapped: StrategySpec | 'keep' = 'keep';
  if (strategy !== 'keep') {
    const parsed = parseStrategySpec(strategy);
    if ('problem' in parsed) return [{ path: info.name, message: parsed.problem }];
    mapped = parsed.spec;
  }
  const table: TableMapping = {
    name: 't',
    keyColumns: [pk.name],
    parents: [],
    references: [],
    onErase: 'anonymize',
    columns: new Map([[info.name, { name: info.name, strategy: mapped, export: true }]]),
  };
  const map: DataMap = {
    file: 'lethe.yml',
    dir: '.',
    database: { client: 'sqlite', connection: ':memory:' },
    auditPath: 'audit.db',
    detection: {},
    storage: new Map(),
    subjects: new Map(),
    tables: new Map([['t', table]]),
    order: ['t'],
  };
  const schema: SchemaSnapshot = new Map([
    [
      't',
      {
        name: 't',
        columns: new Map([
          [pk.name, pk],
          [info.name, info],
        ]),
        primaryKey: [pk.name],
        foreignKeys: [],
        indexes: [{ columns: [pk.name], unique: true }],
      },
    ],
  ]);
  return checkMapAgainstSchema(map, schema).problems;
}

describe('proposeStrategy on the demo columns', () => {
  it('proposes what the demo map does, or something as good', () => {
    const cases: [PersonalKind, ColumnInfo, StrategyYaml][] = [
      ['email', column('email', 'varchar(255)', { nullable: false, unique: true }), { template: 'user-{id}@anonymized.invalid' }],
      ['full_name', column('full_name', 'varchar(200)', { nullable: false }), { template: 'User #{id}' }],
      ['phone', column('phone', 'varchar(32)'), null],
      ['birth_date', column('birth_date', 'date'), { generalize: 'year' }],
      ['free_text', column('body', 'text', { nullable: false }), 'redact'],
      ['full_name', column('shipping_name', 'varchar(200)'), { template: 'User #{id}' }],
      ['address', column('shipping_address', 'varchar(500)'), null],
      ['ip_address', column('ip_address', 'varchar(45)'), null],
      ['user_agent', column('user_agent', 'varchar(300)'), null],
    ];
    for (const [kind, info, expected] of cases) {
      const proposal = proposeStrategy(personal(kind), info, ID);
      expect(proposal.strategy, info.name).toEqual(expected);
      expect(proposal.note, info.name).toBeUndefined();
      expect(mapProblems(info, ID, proposal.strategy)).toEqual([]);
    }
  });

  it('keeps what is not personal', () => {
    const kept: ColumnClass = { personal: false, reason: 'keep: foreign key', confidence: 'key', review: false };
    expect(proposeStrategy(kept, column('user_id', 'integer', { nullable: false }), ID)).toEqual({ strategy: 'keep' });
  });
});

describe('proposeStrategy choices', () => {
  it('treats a column a partial or expression unique index reads as UNIQUE, and the check agrees', () => {
    for (const [kind, declared] of [
      ['free_text', 'text'],
      ['first_name', 'varchar(40)'],
      ['gender', 'integer'],
      ['birth_date', 'date'],
    ] as const) {
      const plain = column('c', declared, { nullable: false });
      const indexed: ColumnInfo = { ...plain, uniqueIndex: 't_c_lower' };
      const proposal = proposeStrategy(personal(kind), indexed, ID);
      expect(mapProblems(indexed, ID, proposal.strategy), `${kind} ${JSON.stringify(proposal.strategy)}`).toEqual([]);
      // Without the index the same column gets a value many rows may share, which the check refuses with it.
      const shared = proposeStrategy(personal(kind), plain, ID).strategy;
      expect(mapProblems(indexed, ID, shared).length, `${kind} ${JSON.stringify(shared)}`).toBeGreaterThan(0);
    }
  });

  it('shortens an e-mail template to fit the column, then falls back', () => {
    const shape = (declared: string, options = { nullable: false, unique: true }) => proposeStrategy(personal('email'), column('email', declared, options), ID);
    // 24 characters of text and an integer key of up to 20.
    expect(shape('varchar(44)').strategy).toEqual({ template: 'user-{id}@anonymized.invalid' });
    expect(shape('varchar(43)')).toEqual({
      strategy: { template: '{id}@anonymized.invalid' },
      note: 'shortened from "user-{id}@anonymized.invalid" to fit varchar(43)',
    });
    expect(shape('varchar(39)').strategy).toEqual({ template: '{id}@anonymized.invalid' });
    expect(shape('varchar(38)').strategy).toEqual({ template: '{id}@anon.invalid' });
    expect(shape('varchar(32)').strategy).toEqual({ template: '{id}@x.invalid' });
    expect(shape('varchar(30)').strategy).toEqual({ template: '{id}@x.invalid' });
    // Too short for any e-mail template: unique by the key, or random.
    expect(shape('varchar(29)').strategy).toEqual({ template: 'anon-{id}' });
    expect(shape('varchar(20)').strategy).toEqual({ template: '{id}' });
    const tiny = shape('varchar(8)');
    expect(tiny.strategy).toBe('random');
    expect(tiny.note).toBe('"user-{id}@anonymized.invalid" could exceed varchar(8); UNIQUE, and no template with {id} fits varchar(8)');
    expect(shape('varchar(8)', { nullable: true, unique: false }).strategy).toBeNull();
    expect(shape('varchar(8)', { nullable: false, unique: false }).strategy).toBe('empty');
  });

  it('counts the primary key at its longest', () => {
    expect(longestKey(ID)).toBe(20);
    expect(longestKey(column('id', 'uuid', { nullable: false, unique: true }))).toBe(36);
    expect(longestKey(column('code', 'varchar(12)', { nullable: false, unique: true }))).toBe(12);
    expect(longestKey(column('code', 'text', { nullable: false, unique: true }))).toBe(Number.POSITIVE_INFINITY);
    const uuid = column('uuid', 'char(36)', { nullable: false, unique: true });
    expect(proposeStrategy(personal('full_name'), column('name', 'varchar(40)'), uuid).strategy).toEqual({ template: '#{uuid}' });
    // An unbounded text key fits only unbounded columns.
    const textKey = column('key', 'text', { nullable: false, unique: true });
    expect(proposeStrategy(personal('full_name'), column('name', 'varchar(255)', { nullable: false }), textKey).strategy).toBe('empty');
    expect(proposeStrategy(personal('full_name'), column('name', 'text', { nullable: false }), textKey).strategy).toEqual({ template: 'User #{key}' });
  });

  it('makes first and last names read "User #42"', () => {
    expect(proposeStrategy(personal('first_name'), column('first_name', 'varchar(50)', { nullable: false }), ID).strategy).toEqual({ value: 'User' });
    expect(proposeStrategy(personal('last_name'), column('last_name', 'varchar(50)', { nullable: false }), ID).strategy).toEqual({ template: '#{id}' });
    expect(proposeStrategy(personal('first_name'), column('first_name', 'varchar(50)', { nullable: false, unique: true }), ID).strategy).toEqual({
      template: 'User {id}',
    });
  });

  it('generalizes dates, ages and coordinates instead of erasing them', () => {
    expect(proposeStrategy(personal('birth_date'), column('dob', 'datetime', { nullable: false }), ID).strategy).toEqual({ generalize: 'year' });
    expect(proposeStrategy(personal('birth_year'), column('birth_year', 'integer'), ID).strategy).toEqual({ generalize: { bucket: 10 } });
    expect(proposeStrategy(personal('age'), column('age', 'integer'), ID).strategy).toEqual({ generalize: { bucket: 10 } });
    expect(proposeStrategy(personal('coordinate'), column('lat', 'double precision'), ID)).toEqual({
      strategy: { generalize: { bucket: 1 } },
      note: 'whole degrees (about 100 km)',
    });
    const asText = proposeStrategy(personal('birth_date'), column('dob', 'varchar(10)'), ID);
    expect(asText.strategy).toBeNull();
    expect(asText.note).toMatch(/YYYY-MM-DD/);
  });

  it('empties financial numbers rather than masking them, and says why', () => {
    expect(proposeStrategy(personal('iban'), column('iban', 'varchar(34)'), ID).strategy).toBeNull();
    expect(proposeStrategy(personal('card_number'), column('card_number', 'varchar(19)', { nullable: false }), ID)).toEqual({
      strategy: 'empty',
      note: 'empty rather than masked: kept digits stay linkable',
    });
  });

  it('proposes for quasi-identifiers what fits each: the year of a hire date, no employer or job title, a region or country kept and why', () => {
    expect(proposeStrategy(personal('employment_date'), column('HireDate', 'datetime'), ID).strategy).toEqual({ generalize: 'year' });
    expect(proposeStrategy(personal('employment_date'), column('hired_on', 'varchar(10)'), ID).note).toMatch(/YYYY-MM-DD/);
    const company = proposeStrategy(personal('company'), column('Company', 'varchar(80)'), ID);
    expect(company.strategy).toBeNull();
    expect(company.note).toMatch(/employer/);
    expect(proposeStrategy(personal('company'), column('Company', 'varchar(80)', { nullable: false }), ID).strategy).toBe('empty');
    expect(proposeStrategy(personal('job'), column('Title', 'varchar(30)'), ID).strategy).toBeNull();
    for (const kind of ['region', 'country'] as const) {
      const kept = proposeStrategy(personal(kind), column('State', 'varchar(40)'), ID);
      expect(kept.strategy, kind).toBe('keep');
      expect(kept.note, kind).toMatch(/^kept on purpose: .*shared by many people/);
    }
  });

  it('redacts free text only in text columns', () => {
    expect(proposeStrategy(personal('free_text'), column('notes', 'text'), ID).strategy).toBe('redact');
    expect(proposeStrategy(personal('free_text'), column('notes', 'blob'), ID).strategy).toBeNull();
  });
});

/** A value of the column's type, as a driver would hand it over. */
function valueFor(info: ColumnInfo): unknown {
  switch (info.type) {
    case 'text':
    case 'other':
      return 'Jane Doe <jane.doe@example.com>, +44 20 7946 0958'.slice(0, info.maxLength ?? undefined);
    case 'integer':
      return 1984;
    case 'number':
      return 48.8566;
    case 'date':
    case 'datetime':
      return new Date('1984-07-19T00:00:00Z');
    case 'boolean':
      return true;
    case 'binary':
      return Buffer.from('jane');
  }
}

/** The longest value the key can hold, as a template would write it. */
function longestKeyValue(pk: ColumnInfo): string {
  if (pk.type === 'integer') return '-9223372036854775808';
  return 'k'.repeat(Math.min(longestKey(pk), 64));
}

describe('proposeStrategy never proposes what the map check refuses', () => {
  const kinds = Object.keys(PERSONAL_KINDS) as PersonalKind[];
  const declaredTypes = ['varchar(8)', 'varchar(255)', 'text', 'json', 'point', 'integer', 'decimal(10,2)', 'date', 'datetime', 'boolean', 'blob'];
  const keys = [
    ID,
    column('uuid', 'uuid', { nullable: false, unique: true }),
    column('code', 'varchar(12)', { nullable: false, unique: true }),
    column('slug', 'text', { nullable: false, unique: true }),
  ];
  const shapes = declaredTypes.flatMap((declared) =>
    [true, false].flatMap((nullable) => [true, false].map((unique) => column('col', declared, { nullable, unique }))),
  );

  it('holds over every kind, type, NULL/NOT NULL, UNIQUE/not and key', () => {
    let checked = 0;
    for (const kind of kinds) {
      for (const info of shapes) {
        for (const pk of keys) {
          const label = `${kind} on ${info.declaredType} ${info.nullable ? 'NULL' : 'NOT NULL'}${info.unique ? ' UNIQUE' : ''}, key ${pk.declaredType}`;
          const { strategy, note } = proposeStrategy(personal(kind), info, pk);
          checked++;

          expect(mapProblems(info, pk, strategy), label).toEqual([]);
          if (strategy === 'keep') {
            // Only where no strategy can work, and then it says so; or on a quasi-identifier that
            // many people share (a region, a country), kept on purpose and saying why.
            expect(note, label).toMatch(kind === 'region' || kind === 'country' ? /^kept on purpose: |decide by hand/ : /decide by hand/);
            continue;
          }
          const parsed = parseStrategySpec(strategy);
          if ('problem' in parsed) throw new Error(`${label}: ${parsed.problem}`);
          const spec = parsed.spec;
          expect(spec.kind, label).not.toBe('hash');
          if (spec.kind === 'null') expect(info.nullable, label).toBe(true);
          if (spec.kind === 'value' || spec.kind === 'empty') expect(info.unique, label).toBe(false);
          if (['empty', 'template', 'redact', 'mask'].includes(spec.kind)) expect(['text', 'other'], label).toContain(info.type);

          // Run it, with the longest key the template can meet: nothing is cut, nothing fails.
          const row = { [pk.name]: longestKeyValue(pk), col: valueFor(info) };
          const context = { table: 't', column: info, row };
          const result = createStrategy(spec).apply(valueFor(info), context);
          if (!info.nullable) expect(result, label).not.toBeNull();
          if (spec.kind === 'template') {
            expect(templateFields(spec.template), label).toEqual([pk.name]);
            expect(result, label).toBe(spec.template.replace(`{${pk.name}}`, longestKeyValue(pk)));
            if (info.maxLength !== undefined) expect([...(result as string)].length, label).toBeLessThanOrEqual(info.maxLength);
          }
          if (info.unique && (spec.kind === 'template' || spec.kind === 'random')) {
            // Two rows never get the same value.
            const other = createStrategy(spec).apply(valueFor(info), { ...context, row: { ...row, [pk.name]: '7' } });
            expect(other, label).not.toEqual(result);
          }
          if (info.unique && (spec.kind === 'generalize' || spec.kind === 'redact')) expect(note, label).toMatch(/UNIQUE/);
        }
      }
    }
    expect(checked).toBe(kinds.length * shapes.length * keys.length);
  });

  it('is checked by a harness that does catch a bad strategy', () => {
    const notNull = column('col', 'varchar(8)', { nullable: false, unique: true });
    expect(mapProblems(notNull, ID, null)).toHaveLength(1);
    expect(mapProblems(notNull, ID, 'empty')).toHaveLength(1);
    expect(mapProblems(column('col', 'integer'), ID, 'redact')).toHaveLength(1);
  });
});
