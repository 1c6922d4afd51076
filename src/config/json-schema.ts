import { z } from 'zod';
import { DEFAULT_THRESHOLDS, detectorTypes } from '../detect/index.js';
import { GENERALIZE_LEVELS, KNOWN_STRATEGIES, MAX_HASH_LENGTH, parseStrategySpec } from '../masking/spec.js';
import type { StrategyKind, StrategySpec } from '../masking/types.js';
import { columnSchema, dataMapSchema, identifierSchema, retentionSchema, subjectSchema, suppressSchema, tableSchema } from './schema.js';

type JsonSchema = Record<string, unknown>;
type RedactStyle = NonNullable<Extract<StrategySpec, { kind: 'redact' }>['style']>;

const PERIOD_EXAMPLES = ['24 months', '5 years', 'P2Y'];
const PERIODS = 'Periods are written 30 days, 24 months, 5 years, 1 year 6 months or in ISO 8601 (P2Y) and count back in calendar units.';

/**
 * The data map as a JSON Schema (draft-07, which yaml-language-server and most editors
 * read), for completion and hover help while writing lethe.yml. The shape comes from
 * the zod schema; columns and strategies, which lethe parses by hand, are written out
 * here from the parser's own constants. lethe's own checks remain the authority.
 */
export function dataMapJsonSchema(): object {
  const forms = strategyForms();
  const phoneRegion = dataMapSchema.shape.detection.unwrap().shape.phoneRegions.unwrap().element;
  const { $schema, ...body } = z.toJSONSchema(dataMapSchema, {
    target: 'draft-07',
    io: 'input',
    metadata: annotations(),
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema === columnSchema) replaceContents(jsonSchema, { $ref: '#/definitions/column' });
      // A table lists its columns, unless it was reviewed as holding nothing personal.
      if (zodSchema === tableSchema) jsonSchema.anyOf = [{ properties: { columns: true }, required: ['columns'] }, { properties: { impersonal: true }, required: ['impersonal'] }];
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
    definitions: { column: columnDefinition(), strategy: strategyDefinition(forms), strategyName: strategyNameDefinition(forms) },
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
        description: 'Roots of the files delete-file columns name: { attachments: { path: ./files } } or { avatars: { s3: { bucket, prefix, endpoint, region, forcePathStyle, accessKeyId, secretAccessKey } } }. Nothing outside a root is deleted.',
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
        description: "Columns of the subject's table and what they must hold, all at once, on the row as read before anonymization: a value (compared loosely: true matches 1 and 't'), a list of values, or { not: ... }.",
        minProperties: 1,
        examples: [{ unsubscribed: true }, { marketing_opt_in: false }, { unsubscribed_at: { not: null } }],
      },
    ],
    [suppressSchema.shape.identifiers, { description: "Names of the subject's identifiers to keep as hashes (email, phone or text); by default its email and phone identifiers.", examples: [['email', 'phone']] }],
    [
      suppressSchema.shape.keepFor,
      { description: `Prune each hash this long after the anonymization; at most the subject table's inactiveFor. Without it, hashes are kept for as long as the audit store. ${PERIODS}`, examples: ['2 years'] },
    ],
    [dataMapSchema.shape.tables, { description: 'Every table lethe reads or changes, by name (schema-qualified if needed). At least one.', minProperties: 1 }],
    [tableSchema.shape.primaryKey, { description: 'The column lethe finds rows by, or a list of the columns of a key of several; they must be kept.', examples: ['id', ['playlist_id', 'track_id']] }],
    [
      tableSchema.shape.belongsTo,
      { description: "Ownership: this table's rows are part of the parent row's person. Child to parent: { parentTable: foreignKeyColumn }.", examples: [{ users: 'user_id' }] },
    ],
    [
      tableSchema.shape.references,
      {
        description: "Links to a person that are not ownership (a customer's support agent): { subjectTable: foreignKeyColumn }. find and export show them; anonymize and sweep never follow them.",
        examples: [{ employees: 'support_rep_id' }],
      },
    ],
    [tableSchema.shape.impersonal, { description: 'The table holds nothing personal, and why; check --strict then counts it as reviewed, and no job reads it.', examples: ['catalogue of albums and tracks'] }],
    [
      tableSchema.shape.onErase,
      { description: "What erasing a person does to this table's rows: anonymize the personal columns, delete the rows (every table below must be deleted too), or keep them." },
    ],
    [tableSchema.shape.columns, { description: 'Every column: keep, a strategy, or { category, strategy, export }. A column left out is reported and left untouched.' }],
    [tableSchema.shape.retention, { description: 'When lethe sweep anonymizes or deletes rows: by the age of a timestamp column, or by how long the person has been inactive.' }],
    [retentionSchema.shape.timestamp, { description: 'The column anonymizeAfter and deleteAfter count from.' }],
    [retentionSchema.shape.anonymizeAfter, { description: `Anonymize rows older than this, counted from timestamp; shorter than deleteAfter. ${PERIODS}`, examples: PERIOD_EXAMPLES }],
    [retentionSchema.shape.deleteAfter, { description: `Delete rows older than this, counted from timestamp. ${PERIODS}`, examples: PERIOD_EXAMPLES }],
    [
      retentionSchema.shape.inactiveFor,
      { description: `On a subject's table: anonymize a person after this long without activity (see activity). ${PERIODS}`, examples: PERIOD_EXAMPLES },
    ],
    [
      retentionSchema.shape.activity,
      { description: "table.column of times that count as the person's activity, on their row or on rows linked below it.", examples: [['users.last_seen_at', 'messages.created_at']] },
    ],
    [
      retentionSchema.shape.activityFallback,
      { description: "A column of the subject's table (signup, created) that counts for a person with no activity at all; without it (or an activity column of the subject's own table) such a person is never due.", examples: ['created_at'] },
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

interface StrategyForm {
  /** What the strategy writes, as editors show it on hover. */
  description: string;
  /** The value in `{ name: options }`. */
  options: JsonSchema;
}

// Options may be left empty (`{ hash: }` is null in YAML): the parser takes that as none.
const NO_OPTIONS: JsonSchema = { type: ['object', 'null'], additionalProperties: false, description: 'Takes no options.' };

const REDACT_STYLES: Record<RedactStyle, string> = {
  placeholder: 'each span becomes its type: [EMAIL], [PHONE]',
  mask: 'each span keeps its shape: xxxx@xxxxxxx.xxx',
};

// A `{column}` placeholder with a name in it; any other brace is a mistake (spec.ts has no escaping).
const TEMPLATE_PATTERN = '^(?:[^{}]|\\{\\s*[^{}\\s][^{}]*\\})+$';

function strategyForms(): Record<StrategyKind, StrategyForm> {
  const mask = bareSpec('mask');
  return {
    null: { description: 'NULL; refused on a NOT NULL column. Also written null or "null".', options: NO_OPTIONS },
    empty: { description: 'The empty string.', options: NO_OPTIONS },
    value: {
      description: 'A constant: { value: "n/a" }.',
      options: { type: ['string', 'number', 'boolean'], description: 'The value written to every row.', examples: ['n/a', 0, false] },
    },
    template: {
      description: 'Text from the row\'s own non-personal columns: { template: "User #{id}" }.',
      options: { type: 'string', pattern: TEMPLATE_PATTERN, description: 'Text with {column} placeholders; braces cannot be escaped.', examples: ['User #{id}'] },
    },
    random: { description: 'A random value shaped like the old one (UUID, digits, alphanumerics), cut to the column.', options: NO_OPTIONS },
    hash: {
      description: 'Keyed HMAC-SHA256 in hex (needs secrets.key), cut to the column; deterministic, so joins survive. Pseudonymisation, not anonymisation.',
      options: {
        type: ['object', 'null'],
        properties: { length: { type: 'integer', minimum: 1, maximum: MAX_HASH_LENGTH, description: `Hex characters to keep, 1 to ${MAX_HASH_LENGTH}.` } },
        additionalProperties: false,
      },
    },
    mask: {
      description: 'Keeps the ends and masks the rest: ************1111. A value too short is masked whole.',
      options: {
        type: ['object', 'null'],
        properties: {
          keepFirst: { type: 'integer', minimum: 0, default: mask.keepFirst, description: 'Characters kept at the start.' },
          keepLast: { type: 'integer', minimum: 0, default: mask.keepLast, description: 'Characters kept at the end.' },
          char: { type: 'string', minLength: 1, maxLength: 1, default: mask.char, description: 'The masking character.' },
        },
        additionalProperties: false,
      },
    },
    generalize: {
      description: 'Coarser values in the same format: { generalize: year } (month, decade) for dates, { generalize: { bucket: 10 } } for numbers.',
      options: {
        anyOf: [
          { enum: [...GENERALIZE_LEVELS], description: 'Dates to the start of their year, month or decade: 1987-06-15 becomes 1987-01-01.' },
          {
            type: 'object',
            properties: { bucket: { type: 'number', exclusiveMinimum: 0, description: 'Numbers to the bucket below: with 10, 37 becomes 30.' } },
            required: ['bucket'],
            additionalProperties: false,
          },
        ],
      },
    },
    redact: {
      description: 'Free text: every span the detectors find becomes a placeholder ([EMAIL]) or keeps its shape; the person\'s own identifiers and name go too.',
      options: {
        type: ['object', 'null'],
        properties: {
          placeholders: { type: 'boolean', description: 'false: [REDACTED] for every span instead of [EMAIL], [PHONE], [NAME]...' },
          types: { type: 'array', minItems: 1, items: { enum: [...detectorTypes] }, description: 'Only these kinds of PII (all by default).' },
          threshold: { type: 'number', minimum: 0, maximum: 1, description: 'Score a span needs, from 0 to 1 (default: detection.threshold).' },
          style: {
            enum: Object.keys(REDACT_STYLES),
            description: Object.entries(REDACT_STYLES).map(([style, effect]) => `${style}: ${effect}`).join('; '),
          },
        },
        additionalProperties: false,
      },
    },
    'delete-file': {
      description: 'Deletes the file the column names from a storage root (after the commit), then writes then: { delete-file: { storage: attachments, then: null } }.',
      options: {
        type: 'object',
        properties: {
          storage: { type: 'string', minLength: 1, description: 'The root under storage that the files are in.' },
          then: {
            description: 'What the column holds once the file is gone: null (default), empty, { value: "default.png" } or { template: ... }.',
            anyOf: [{ type: 'null' }, { enum: ['null', 'empty'] }, { type: 'object', properties: { value: {}, template: { type: 'string' } }, minProperties: 1, maxProperties: 1, additionalProperties: false }],
          },
        },
        required: ['storage'],
        additionalProperties: false,
      },
    },
  };
}

/** What the parser makes of a bare name; its options' defaults come from here so they cannot drift. */
function bareSpec<K extends StrategyKind>(kind: K): Extract<StrategySpec, { kind: K }> {
  const parsed = parseStrategySpec(kind);
  if ('problem' in parsed || parsed.spec.kind !== kind) throw new Error(`strategy "${kind}" no longer parses on its own`);
  return parsed.spec as Extract<StrategySpec, { kind: K }>;
}

/** The names that are a strategy on their own (value, template and generalize need options). */
function strategyNameDefinition(forms: Record<StrategyKind, StrategyForm>): JsonSchema {
  const bare = KNOWN_STRATEGIES.filter((name) => 'spec' in parseStrategySpec(name));
  return { anyOf: bare.map((name) => ({ const: name, description: forms[name].description })) };
}

function strategyDefinition(forms: Record<StrategyKind, StrategyForm>): JsonSchema {
  return {
    description: 'A strategy name such as hash, or an object with exactly one key, the name: { mask: { keepLast: 4 } }.',
    anyOf: [
      { $ref: '#/definitions/strategyName' },
      { type: 'null', description: forms.null.description },
      ...KNOWN_STRATEGIES.map((name) => ({
        type: 'object',
        description: forms[name].description,
        properties: { [name]: forms[name].options },
        required: [name],
        additionalProperties: false,
      })),
    ],
  };
}
