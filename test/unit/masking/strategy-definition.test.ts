import { Ajv } from 'ajv';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { dataMapJsonSchema, strategyJsonSchemas } from '../../../src/config/json-schema.js';
import { defineStrategy, type SpecOf } from '../../../src/masking/definition.js';
import { createStrategy, parseStrategySpec, STRATEGIES, type StrategyKind, type StrategySpec } from '../../../src/masking/index.js';
import { createFrom, readStrategy } from '../../../src/masking/read-strategy.js';
import { maskingContext } from './masking-context.js';

type JsonSchema = Record<string, any>;

// A strategy that lethe does not have, defined as a contributor would: one file's worth.
const truncate = defineStrategy({
  name: 'truncate',
  description: 'Keeps the first characters.',
  options: z.strictObject({
    keep: z.int().min(1).max(10).describe('Characters kept.'),
    marker: z.string().default('…').describe('Written after what is kept.'),
  }),
  bare: { needs: 'how many characters to keep', example: '{ truncate: { keep: 3 } }' },
  create: ({ keep, marker }) => ({
    kind: 'truncate' as StrategyKind,
    pseudonymous: false,
    apply: (value) => (value === null ? null : `${String(value).slice(0, keep)}${marker}`),
    describe: () => `truncate to ${keep}`,
  }),
});

const TEST_REGISTRY = [...STRATEGIES, truncate];

const read = (raw: unknown) => readStrategy(raw, TEST_REGISTRY);
const problemOf = (raw: unknown): string => {
  const parsed = read(raw);
  if (!('problem' in parsed)) throw new Error(`expected a problem, got ${JSON.stringify(parsed.spec)}`);
  return parsed.problem;
};

/** A validator of one strategy for the JSON Schema of `definitions`, as editors get it. */
function editorValidator(definitions: Parameters<typeof strategyJsonSchemas>[0]) {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addSchema({ definitions: strategyJsonSchemas(definitions) }, 'strategies');
  return ajv.compile({ $ref: 'strategies#/definitions/strategy' });
}

function objectFormOf(strategy: JsonSchema, name: string): JsonSchema | undefined {
  return (strategy.anyOf as JsonSchema[]).find((form) => form.properties?.[name]);
}

describe('a made-up definition in a test registry', () => {
  it('is read by the generic reader, its options by its zod schema', () => {
    expect(read({ truncate: { keep: 3 } })).toEqual({ spec: { kind: 'truncate', keep: 3, marker: '…' } });
    expect(read({ truncate: { keep: 10, marker: '' } })).toEqual({ spec: { kind: 'truncate', keep: 10, marker: '' } });
    // The registry's own strategies are read as before.
    expect(read('hash')).toEqual({ spec: { kind: 'hash' } });
  });

  it('is refused as its schema says, in the words lethe uses for every strategy', () => {
    expect(problemOf('truncate')).toBe('strategy "truncate" needs how many characters to keep, e.g. { truncate: { keep: 3 } }');
    expect(problemOf({ truncate: { keep: 11 } })).toBe('truncate.keep must be a whole number from 1 to 10, not 11');
    expect(problemOf({ truncate: { keep: 2.5 } })).toBe('truncate.keep must be a whole number from 1 to 10, not 2.5');
    expect(problemOf({ truncate: {} })).toBe('truncate.keep must be a whole number from 1 to 10, not nothing');
    expect(problemOf({ truncate: { keep: 3, marker: 1 } })).toBe('truncate.marker must be a text, not 1');
    expect(problemOf({ truncate: { kep: 3 } })).toBe('unknown option "kep" for "truncate" (did you mean "keep"? known: keep, marker)');
    expect(problemOf({ truncate: 3 })).toBe('the options of "truncate" must be an object such as { keep: ... }, not 3');
    expect(problemOf('truncat')).toMatch(/^unknown strategy "truncat" \(did you mean "truncate"\? known: null, .*, delete-file, truncate\)$/);
  });

  it('is unknown where it is not registered', () => {
    expect(parseStrategySpec({ truncate: { keep: 3 } })).toEqual({ problem: expect.stringMatching(/^unknown strategy "truncate"/) });
  });

  it('makes its strategy with its factory', () => {
    const parsed = read({ truncate: { keep: 3 } });
    if (!('spec' in parsed)) throw new Error(parsed.problem);
    const strategy = createFrom(parsed.spec, TEST_REGISTRY);
    expect(strategy.apply('Jane Doe', maskingContext())).toBe('Jan…');
    expect(strategy.describe()).toBe('truncate to 3');
  });

  it('gives its spec type by z.infer of its options', () => {
    expectTypeOf<SpecOf<typeof truncate>>().toEqualTypeOf<{ kind: 'truncate'; keep: number; marker: string }>();
    expectTypeOf<SpecOf<(typeof TEST_REGISTRY)[number]>['kind']>().toEqualTypeOf<StrategyKind | 'truncate'>();
  });

  it('appears in the JSON Schema with the limits of its zod schema', () => {
    const { strategy, strategyName } = strategyJsonSchemas(TEST_REGISTRY);
    expect(objectFormOf(strategy, 'truncate')).toEqual({
      type: 'object',
      description: 'Keeps the first characters.',
      properties: {
        truncate: {
          type: 'object',
          properties: {
            keep: { type: 'integer', minimum: 1, maximum: 10, description: 'Characters kept.' },
            marker: { type: 'string', default: '…', description: 'Written after what is kept.' },
          },
          required: ['keep'],
          additionalProperties: false,
        },
      },
      required: ['truncate'],
      additionalProperties: false,
    });
    // It needs options, so its name alone is not a strategy.
    expect((strategyName.anyOf as JsonSchema[]).map((form) => form.const)).not.toContain('truncate');
  });

  it('is accepted and refused by editors as by the reader', () => {
    const validate = editorValidator(TEST_REGISTRY);
    const candidates: unknown[] = [
      'truncate',
      { truncate: null },
      { truncate: {} },
      { truncate: { keep: 0 } },
      { truncate: { keep: 1 } },
      { truncate: { keep: 10, marker: '' } },
      { truncate: { keep: 11 } },
      { truncate: { keep: '3' } },
      { truncate: { keep: 3, marker: null } },
      { truncate: { keep: 3, cut: true } },
      { truncate: { keep: 3 }, hash: null },
    ];
    for (const candidate of candidates) {
      expect(validate(candidate), JSON.stringify(candidate)).toBe('spec' in read(candidate));
    }
  });
});

describe('the registry', () => {
  const { definitions } = dataMapJsonSchema() as { definitions: Record<string, JsonSchema> };
  const strategy = definitions.strategy!;
  const bareNames = (definitions.strategyName!.anyOf as JsonSchema[]).map((form) => form.const);

  it.each(STRATEGIES.map((definition) => [definition.name, definition] as const))(
    '%s is in the data map JSON Schema as its zod schema says',
    (name, definition) => {
      const form = objectFormOf(strategy, name);
      expect(form).toMatchObject({ description: definition.description, required: [name], additionalProperties: false });
      const { $schema, ...fromZod } = z.toJSONSchema(definition.options, { target: 'draft-07', io: 'input' }) as JsonSchema;
      const options = form!.properties[name];
      if (fromZod.type === 'object') {
        expect(Object.keys(options.properties)).toEqual(Object.keys(fromZod.properties));
        for (const [key, limits] of Object.entries(fromZod.properties as Record<string, JsonSchema>)) {
          // An option that is itself a strategy (delete-file's then) is shown as the strategies it allows.
          if (Object.keys(limits).every((k) => k === 'description' || k === 'default')) continue;
          expect(options.properties[key], `${name}.${key}`).toEqual(limits);
        }
      } else {
        expect(options).toEqual(fromZod);
      }
      expect(bareNames.includes(name)).toBe(definition.bare === true);
    },
  );

  it('lets every strategy that can be written bare read its name and empty options the same way', () => {
    for (const definition of STRATEGIES.filter((d) => d.bare === true)) {
      const bare = parseStrategySpec(definition.name);
      expect(bare).toHaveProperty('spec');
      expect(parseStrategySpec({ [definition.name]: null })).toEqual(bare);
      expect(parseStrategySpec({ [definition.name]: {} })).toEqual(bare);
    }
  });

  it('asks the others for their options with their example', () => {
    for (const definition of STRATEGIES) {
      if (definition.bare === true) continue;
      const parsed = parseStrategySpec(definition.name);
      expect(parsed).toEqual({ problem: `strategy "${definition.name}" needs ${definition.bare.needs}, e.g. ${definition.bare.example}` });
    }
  });

  it('derives StrategySpec, a union discriminated by kind', () => {
    expectTypeOf<StrategyKind>().toEqualTypeOf<
      'null' | 'empty' | 'value' | 'template' | 'random' | 'hash' | 'mask' | 'generalize' | 'redact' | 'delete-file'
    >();
    expectTypeOf<Extract<StrategySpec, { kind: 'hash' }>>().toEqualTypeOf<{ kind: 'hash'; length?: number | undefined }>();
    expectTypeOf<Extract<StrategySpec, { kind: 'mask' }>>().toEqualTypeOf<{ kind: 'mask'; keepFirst: number; keepLast: number; char: string }>();
    expectTypeOf<Extract<StrategySpec, { kind: 'generalize' }>>().toEqualTypeOf<
      { kind: 'generalize'; to: 'year' | 'month' | 'decade' } | { kind: 'generalize'; bucket: number }
    >();
    expectTypeOf<Extract<StrategySpec, { kind: 'delete-file' }>['then']['kind']>().toEqualTypeOf<'null' | 'empty' | 'value' | 'template'>();
  });

  it('makes each strategy with the factory of its definition', () => {
    expect(createStrategy({ kind: 'hash', length: 8 }).describe()).toMatch(/8 hex chars/);
    const deleteFile = createStrategy({ kind: 'delete-file', storage: 'avatars', then: { kind: 'value', value: 'default.png' } });
    expect(deleteFile.apply('avatars/jane.png', maskingContext())).toBe('default.png');
    expect(deleteFile.describe()).toBe('delete the file (avatars), then value "default.png"');
  });
});

describe('what a definition tells the rest of lethe', () => {
  it('the constant a strategy writes (the sweep writes those in SQL), and which strategies write another value each time', async () => {
    const { constantOf, NOT_REPEATABLE } = await import('../../../src/masking/registry.js');
    expect(constantOf({ kind: 'null' })).toBeNull();
    expect(constantOf({ kind: 'empty' })).toBe('');
    expect(constantOf({ kind: 'value', value: 'n/a' })).toBe('n/a');
    expect(constantOf({ kind: 'template', template: 'User #{id}' })).toBeUndefined();
    expect([...NOT_REPEATABLE].sort()).toEqual(['hash', 'random']);
  });
});
