import { z } from 'zod';
import { DATABASE_CLIENTS } from '../database-clients.js';

/**
 * The shape of the data map. Strategies are validated separately (src/masking/spec.ts)
 * so that a typo gets a sentence of its own, not a wall of union errors.
 */
export const identifierSchema = z.strictObject({
  column: z.string().min(1),
  type: z.enum(['id', 'email', 'phone', 'text']).default('text'),
});

/** A value a column is compared with: loosely, so `true` matches 1, 't' and true alike. */
export const suppressValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const suppressValuesSchema = z.union([suppressValueSchema, z.array(suppressValueSchema).min(1)]);

/** What a column of the person's row must hold: a value, any of a list, or `{ not: ... }`. */
export const suppressConditionSchema = z.union([suppressValuesSchema, z.strictObject({ not: suppressValuesSchema })]);

/**
 * People who opted out leave a keyed hash of their e-mail (and phone) when they are
 * anonymized, so that an address uploaded again is recognised (`lethe suppressed`).
 */
export const suppressSchema = z.strictObject({
  /** Conditions on the person's own row, as read before anonymization; all must hold. */
  when: z.record(z.string(), suppressConditionSchema).refine((when) => Object.keys(when).length > 0, {
    message: 'name at least one column of the subject table and the value that marks an opt-out, e.g. { unsubscribed: true }',
  }),
  /** Identifier names whose values are kept as hashes; default: the subject's email and phone identifiers. */
  identifiers: z.array(z.string().min(1)).min(1).optional(),
  /** How long a hash is kept, counted from the anonymization; without it, for as long as the store is kept. */
  keepFor: z.string().min(1).optional(),
});

export const subjectSchema = z.strictObject({
  table: z.string().min(1),
  identifiers: z.record(z.string(), identifierSchema).refine((ids) => Object.keys(ids).length > 0, {
    message: 'a subject needs at least one identifier',
  }),
  /** Columns of the subject table holding the person's name; `redact` removes it from free text. */
  name: z.union([z.string(), z.array(z.string())]).optional(),
  /** Keep keyed hashes of an erased person's identifiers, so an erasure survives a backup restore. */
  tombstones: z.boolean().default(false),
  /** Keep keyed hashes of the identifiers of people who opted out, when they are anonymized. */
  suppress: suppressSchema.optional(),
});

export const columnSchema = z.union([
  z.string(),
  z.null(),
  z.strictObject({
    category: z.string().optional(),
    strategy: z.unknown(),
    /** false: left out of exports (e.g. another person's data in the subject's rows). */
    export: z.boolean().optional(),
  }),
]);

/**
 * When rows of a table are anonymized or deleted by `lethe sweep`: by the age of a
 * timestamp column, or (on a subject's table) by how long the person has been inactive.
 */
export const retentionSchema = z.strictObject({
  timestamp: z.string().min(1).optional(),
  anonymizeAfter: z.string().min(1).optional(),
  deleteAfter: z.string().min(1).optional(),
  inactiveFor: z.string().min(1).optional(),
  /** `table.column` of times that count as the person's activity. */
  activity: z.array(z.string().min(1)).optional(),
  /** A column of the subject's own table (signup, created) that counts for a person with no activity at all. */
  activityFallback: z.string().min(1).optional(),
});

export const tableSchema = z.strictObject({
  /** The column rows are found by, or the columns of a key of several (`[playlist_id, track_id]`). */
  primaryKey: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).default('id'),
  /** child -> parent links: `{ parentTable: foreignKeyColumn }`. The rows are part of that parent's person. */
  belongsTo: z.record(z.string(), z.string().min(1)).default({}),
  /**
   * Links to a person that are not ownership: `{ subjectTable: foreignKeyColumn }` (a
   * customer's support agent). find and export show them; anonymize and the sweep never follow them.
   */
  references: z.record(z.string(), z.string().min(1)).default({}),
  /** The table holds nothing personal, for this reason: reviewed, and left alone by every job. */
  impersonal: z.string().min(1).optional(),
  onErase: z.enum(['anonymize', 'delete', 'keep']).default('anonymize'),
  columns: z.record(z.string(), columnSchema).default({}),
  retention: retentionSchema.optional(),
});

/**
 * Where files named by `delete-file` columns live: a folder (`path`, relative to the map)
 * or an S3-compatible bucket. Nothing outside a declared root is ever deleted.
 */
export const storageSchema = z.union([
  z.strictObject({ path: z.string().min(1) }),
  z.strictObject({
    s3: z.strictObject({
      bucket: z.string().min(1),
      /** Within the bucket, the part lethe may delete under (e.g. `attachments/`); the whole bucket by default. */
      prefix: z.string().optional(),
      region: z.string().min(1).default('us-east-1'),
      /** An S3-compatible server (MinIO, Ceph, a cloud's endpoint); AWS itself when absent. */
      endpoint: z.string().min(1).optional(),
      /** Path-style URLs (`endpoint/bucket/key`), which most S3-compatible servers need. */
      forcePathStyle: z.boolean().default(false),
      /** From the environment, e.g. ${S3_ACCESS_KEY_ID}; the SDK's own credential chain when absent. */
      accessKeyId: z.string().min(1).optional(),
      secretAccessKey: z.string().min(1).optional(),
    }),
  }),
]);

export const dataMapSchema = z.strictObject({
  database: z.strictObject({
    client: z.enum(DATABASE_CLIENTS),
    connection: z.string().min(1),
  }),
  audit: z.strictObject({ path: z.string().min(1) }).default({ path: './.lethe/audit.db' }),
  /** Roots of the files that `delete-file` columns name, by name. */
  storage: z.record(z.string(), storageSchema).default({}),
  secrets: z.strictObject({ key: z.string().optional() }).default({}),
  /** Settings of the PII detectors for redact, mentions and scan: thresholds, words never or always reported. */
  detection: z
    .strictObject({
      threshold: z.number().min(0).max(1).optional(),
      thresholds: z.strictObject({ find: z.number().min(0).max(1).optional(), redact: z.number().min(0).max(1).optional() }).optional(),
      allow: z.array(z.string()).optional(),
      deny: z.array(z.string()).optional(),
      phoneRegions: z.array(z.string().length(2)).optional(),
    })
    .default({}),
  subjects: z.record(z.string(), subjectSchema).refine((s) => Object.keys(s).length > 0, {
    message: 'define at least one subject (who the data is about)',
  }),
  tables: z.record(z.string(), tableSchema).refine((t) => Object.keys(t).length > 0, {
    message: 'map at least one table',
  }),
});

export type RawDataMap = z.infer<typeof dataMapSchema>;
export type DatabaseClient = RawDataMap['database']['client'];
