import { z } from 'zod';
import { DEFAULT_THRESHOLDS } from '../detect/index.js';
import type { AnyStrategyDefinition } from '../masking/definition.js';
import { strategiesOfOption } from '../masking/read-strategy.js';
import { STRATEGIES } from '../masking/registry.js';
import { columnSchema, dataMapSchema, identifierSchema, retentionSchema, subjectSchema, suppressSchema, tableSchema } from './schema.js';

type JsonSchema = Record<string, unknown>;

const PERIOD_EXAMPLES = ['24 months', '5 years', 'P2Y'];
const PERIODS = 'Periods are written 30 days, 24 months, 5 years, 1 year 6 months or in ISO 8601 (P2Y) and count back in calendar units.';

/**
 * The data map as a JSON Schema (draft-07, which yaml-language-server and most editors
 * read), for completion and hover help while writing lethe.yml. The shape comes from
 * the zod schema; columns, which lethe parses by hand, are written out here, and
 * strategies come from their definitions (src/masking/registry.ts). lethe's own checks
 * remain the authority.
 */
export function dataMapJsonSchema(): object {
  const phoneRegion = dataMapSchema.shape.detection.unwrap().shape.phoneRegions.unwrap().element;
  const { $schema, ...body } = z.toJSONSchema(dataMapSchema, {
    target: 'draft-07',
    io: 'input',
    metadata: annotations(),
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema === columnSchema) replaceContents(jsonSchema, { $ref: '#/definitions/column' });
      // A table lists its columns, unless it was reviewed as holding nothing personal.
      if (zodSchema === tableSchema)
        jsonSchema.anyOf = [
          { properties: { columns: true }, required: ['columns'] },
          { properties: { impersonal: true }, required: ['impersonal'] },
        ];
      // `${REGION}` is a valid region before interpolation, so the two-letter rule stays in the description.
      if (zodSchema === phoneRegion) replaceContents(jsonSchema, { type: 'string' });
    },
  });
  return {
    $schema,
    title: 'lethe data map',
    description:
      'Configuration of lethe: the database, who the data is about (subjects) and what erasure, export and retention do to every column of every table. ${VAR} and ${VAR:-default} take a value from the environment.',
    ...body,
    definitions: { column: columnDefinition(), ...strategyJsonSchemas(STRATEGIES) },
  };
}

function replaceContents(target: JsonSchema, replacement: JsonSchema): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, replacement);
}

/** Descriptions for editors, and the non-empty refinements zod cannot render. */
function annotations(): z.core.$ZodRegistry<JsonSchema> {
  const registry = z.registry<JsonSchema>();
  const detection = dataMapSchema.shape.detection.unwrap().shape;
  const entries: [z.ZodType, JsonSchema][] = [
    [dataMapSchema.shape.database, { description: 'The database lethe works on.' }],
    [dataMapSchema.shape.database.shape.client, { description: 'sqlite, postgres or mysql (MariaDB too).' }],
    [
      dataMapSchema.shape.database.shape.connection,
      { description: 'SQLite: a file, relative to this map. Others: a URL, usually from the environment.', examples: ['./app.db', '${DATABASE_URL}'] },
    ],
    [dataMapSchema.shape.audit, { description: 'Where the audit trail of every find and anonymize is kept.' }],
    [dataMapSchema.shape.audit.unwrap().shape.path, { description: 'The audit trail, an SQLite file relative to this map; created 0600.' }],
    [
      dataMapSchema.shape.storage,
      {
        description:
          'Roots of the files delete-file columns name: { attachments: { path: ./files } } or { avatars: { s3: { bucket, prefix, endpoint, region, forcePathStyle, accessKeyId, secretAccessKey } } }. Nothing outside a root is deleted.',
      },
    ],
    [dataMapSchema.shape.secrets, { description: 'Secrets; take them from the environment rather than writing them here.' }],
    [
      dataMapSchema.shape.secrets.unwrap().shape.key,
      { description: 'Key of the keyed hashes (hash strategy, tombstones) and of the audit chain. Never printed.', examples: ['${LETHE_KEY}'] },
    ],
    [dataMapSchema.shape.detection, { description: 'Settings of the PII detectors for redact, mentions and find --scan.' }],
    [detection.threshold, { description: 'Score from 0 to 1 a detected span needs to count, for every use (default: thresholds).' }],
    [
      detection.thresholds,
      {
        description: `The score a span needs per use: find (looking for a known person: what is surely personal data, default ${DEFAULT_THRESHOLDS.find}) and redact (anonymizing text: what is likely personal data too, default ${DEFAULT_THRESHOLDS.redact}).`,
      },
    ],
    [detection.allow, { description: 'Strings never reported as personal data.', examples: [['Acme Home']] }],
    [detection.deny, { description: 'Strings always reported as personal data ([REDACTED]).', examples: [['Project Falcon']] }],
    [detection.phoneRegions, { description: 'Two-letter regions whose national phone numbers are recognised.', examples: [['GB', 'FR']] }],
    [dataMapSchema.shape.subjects, { description: 'Who the data is about, by name (e.g. customer). At least one.', minProperties: 1 }],
    [subjectSchema.shape.table, { description: "The subject's table: one row per person." }],
    [
      subjectSchema.shape.identifiers,
      { description: 'What a person can be looked up by, e.g. email: { column: email, type: email }. At least one.', minProperties: 1 },
    ],
    [identifierSchema.shape.column, { description: "A column of the subject's table (or its primary key)." }],
    [identifierSchema.shape.type, { description: 'How values are compared: email trimmed and lowercased, phone as E.164, id and text as written.' }],
    [subjectSchema.shape.name, { description: "Column(s) of the subject's table holding the person's name; redact removes it from free text." }],
    [
      subjectSchema.shape.tombstones,
      { description: "Keep keyed hashes of an erased person's identifiers (needs secrets.key), so an erasure survives a backup restore." },
    ],
    [
      suppressSchema,
      {
        description:
          'A suppression list: people whose own row matches when leave a keyed hash of their e-mail and phone (needs secrets.key) when they are anonymized, so that `lethe suppressed` recognises an address uploaded again.',
        examples: [{ when: { unsubscribed: true } }],
      },
    ],
    [
      suppressSchema.shape.when,
      {
        description:
          "Columns of the subject's table and what they must hold, all at once, on the row as read before anonymization: a value (compared loosely: true matches 1 and 't'), a list of values, or { not: ... }.",
        minProperties: 1,
        examples: [{ unsubscribed: true }, { marketing_opt_in: false }, { unsubscribed_at: { not: null } }],
      },
    ],
    [
      suppressSchema.shape.identifiers,
      {
        description: "Names of the subject's identifiers to keep as hashes (email, phone or text); by default its email and phone identifiers.",
        examples: [['email', 'phone']],
      },
    ],
    [
      suppressSchema.shape.keepFor,
      {
        description: `Prune each hash this long after the anonymization; at most the subject table's inactiveFor. Without it, hashes are kept for as long as the audit store. ${PERIODS}`,
        examples: ['2 years'],
      },
    ],
    [dataMapSchema.shape.tables, { description: 'Every table lethe reads or changes, by name (schema-qualified if needed). At least one.', minProperties: 1 }],
    [
      tableSchema.shape.primaryKey,
      {
        description: 'The column lethe finds rows by, or a list of the columns of a key of several; they must be kept.',
        examples: ['id', ['playlist_id', 'track_id']],
      },
    ],
    [
      tableSchema.shape.belongsTo,
      {
        description: "Ownership: this table's rows are part of the parent row's person. Child to parent: { parentTable: foreignKeyColumn }.",
        examples: [{ users: 'user_id' }],
      },
    ],
    [
      tableSchema.shape.references,
      {
        description:
          "Links to a person that are not ownership (a customer's support agent): { subjectTable: foreignKeyColumn }. find and export show them; anonymize and sweep never follow them.",
        examples: [{ employees: 'support_rep_id' }],
      },
    ],
    [
      tableSchema.shape.impersonal,
      {
        description: 'The table holds nothing personal, and why; check --strict then counts it as reviewed, and no job reads it.',
        examples: ['catalogue of albums and tracks'],
      },
    ],
    [
      tableSchema.shape.onErase,
      {
        description:
          "What erasing a person does to this table's rows: anonymize the personal columns, delete the rows (every table below must be deleted too), or keep them.",
      },
    ],
    [
      tableSchema.shape.columns,
      { description: 'Every column: keep, a strategy, or { category, strategy, export }. A column left out is reported and left untouched.' },
    ],
    [
      tableSchema.shape.retention,
      { description: 'When lethe sweep anonymizes or deletes rows: by the age of a timestamp column, or by how long the person has been inactive.' },
    ],
    [retentionSchema.shape.timestamp, { description: 'The column anonymizeAfter and deleteAfter count from.' }],
    [
      retentionSchema.shape.anonymizeAfter,
      { description: `Anonymize rows older than this, counted from timestamp; shorter than deleteAfter. ${PERIODS}`, examples: PERIOD_EXAMPLES },
    ],
    [retentionSchema.shape.deleteAfter, { description: `Delete rows older than this, counted from timestamp. ${PERIODS}`, examples: PERIOD_EXAMPLES }],
    [
      retentionSchema.shape.inactiveFor,
      { description: `On a subject's table: anonymize a person after this long without activity (see activity). ${PERIODS}`, examples: PERIOD_EXAMPLES },
    ],
    [
      retentionSchema.shape.activity,
      {
        description: "table.column of times that count as the person's activity, on their row or on rows linked below it.",
        examples: [['users.last_seen_at', 'messages.created_at']],
      },
    ],
    [
      retentionSchema.shape.activityFallback,
      {
        description:
          "A column of the subject's table (signup, created) that counts for a person with no activity at all; without it (or an activity column of the subject's own table) such a person is never due.",
        examples: ['created_at'],
      },
    ],
  ];
  for (const [schema, meta] of entries) registry.add(schema, meta);
  return registry;
}

const KEEP: JsonSchema = { const: 'keep', description: 'Nothing personal: the column is left unchanged.' };

/** A column as data-map.ts reads it: keep, a bare strategy name, or an object whose strategy is required. */
function columnDefinition(): JsonSchema {
  return {
    description: 'keep, a strategy such as redact, or { category, strategy, export }. An empty value is refused: write keep or "null".',
    anyOf: [
      KEEP,
      { $ref: '#/definitions/strategyName' },
      {
        type: 'object',
        properties: {
          category: { type: 'string', description: 'What kind of personal data this is, for exports and reports.', examples: ['contact.email'] },
          strategy: { description: 'keep, or a strategy.', anyOf: [KEEP, { $ref: '#/definitions/strategy' }] },
          export: { type: 'boolean', description: "false: left out of exports (e.g. another person's data in the subject's rows)." },
        },
        required: ['strategy'],
        additionalProperties: false,
      },
    ],
  };
}

/**
 * The strategies of `definitions` as the reader takes them (src/masking/read-strategy.ts):
 * `strategyName`, the names that are a strategy on their own, and `strategy`, any form,
 * each with the JSON Schema of its zod options. Both go under `definitions`.
 */
export function strategyJsonSchemas(definitions: readonly AnyStrategyDefinition[]): { strategy: JsonSchema; strategyName: JsonSchema } {
  return {
    strategy: {
      description: 'A strategy name such as hash, or an object with exactly one key, the name: { mask: { keepLast: 4 } }.',
      anyOf: [{ $ref: '#/definitions/strategyName' }, ...yamlNullForm(definitions), ...objectForms(definitions)],
    },
    strategyName: { anyOf: bareNames(definitions) },
  };
}

/** Every form of `definitions`, inline: for an option that is itself a strategy (delete-file's then). */
function strategyForms(definitions: readonly AnyStrategyDefinition[]): JsonSchema[] {
  return [...yamlNullForm(definitions), ...bareNames(definitions), ...objectForms(definitions)];
}

function bareNames(definitions: readonly AnyStrategyDefinition[]): JsonSchema[] {
  return definitions.filter((definition) => definition.bare === true).map((definition) => ({ const: definition.name, description: definition.description }));
}

/** `strategy: null` (YAML's null) is the null strategy. */
function yamlNullForm(definitions: readonly AnyStrategyDefinition[]): JsonSchema[] {
  const nullStrategy = definitions.find((definition) => definition.name === 'null');
  return nullStrategy ? [{ type: 'null', description: nullStrategy.description }] : [];
}

function objectForms(definitions: readonly AnyStrategyDefinition[]): JsonSchema[] {
  return definitions.map((definition) => ({
    type: 'object',
    description: definition.description,
    properties: { [definition.name]: optionsJsonSchema(definition) },
    required: [definition.name],
    additionalProperties: false,
  }));
}

/** The input side of the definition's zod options, as editors read it. */
function optionsJsonSchema(definition: AnyStrategyDefinition): JsonSchema {
  const { $schema, ...options } = z.toJSONSchema(definition.options, {
    target: 'draft-07',
    io: 'input',
    override: ({ zodSchema, jsonSchema }) => {
      const allowed = strategiesOfOption(zodSchema);
      if (allowed) replaceContents(jsonSchema, { anyOf: strategyForms(allowed) });
    },
  }) as JsonSchema;
  if (definition.bare !== true) return options;
  // Empty options (`{ hash: }`) are YAML's null, which such a strategy reads as none.
  return options.type === 'object' ? { ...options, type: ['object', 'null'] } : { anyOf: [options, { type: 'null' }] };
}
