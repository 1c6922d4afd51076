import { z } from 'zod';
import { defineStrategy, type SpecOf } from './definition.js';
import { emptyDefinition } from './empty.js';
import { nullDefinition } from './null.js';
import { createFrom, strategyOption } from './read-strategy.js';
import { templateDefinition } from './template.js';
import type { MaskingStrategy } from './types.js';
import { valueDefinition } from './value.js';
import { kindOfValue, quote } from './wording.js';

/** What a `delete-file` column can hold once its file is deleted. */
const AFTER_FILE = [nullDefinition, emptyDefinition, valueDefinition, templateDefinition];

export type AfterFileSpec = SpecOf<(typeof AFTER_FILE)[number]>;

export const deleteFileDefinition = defineStrategy({
  name: 'delete-file',
  description:
    'Deletes the file the column names from a storage root (after the commit), then writes then: { delete-file: { storage: attachments, then: null } }.',
  options: z.strictObject(
    {
      storage: z
        .string({ error: (issue) => storageProblem(issue.input) })
        .min(1, { error: (issue) => storageProblem(issue.input) })
        .describe('The root under storage that the files are in.'),
      then: strategyOption(AFTER_FILE, {
        refuse: (name) =>
          `delete-file.then is what the column holds once its file is gone: null, empty, { value: ... } or { template: ... }, not ${quote(name)}`,
      })
        .prefault(null)
        .describe('What the column holds once the file is gone: null (default), empty, { value: "default.png" } or { template: ... }.'),
    },
    {
      // Other problems with the object (not an object, unknown keys) are worded the generic way.
      error: (issue) =>
        issue.input === null || issue.input === undefined
          ? 'delete-file needs the storage root the files are in, e.g. { delete-file: { storage: attachments } }'
          : undefined,
    },
  ),
  bare: { needs: "the storage root the column's files are in", example: '{ delete-file: { storage: attachments } }' },
  create: (options) => deleteFileStrategy(options, createFrom(options.then, AFTER_FILE)),
});

function storageProblem(storage: unknown): string {
  return `delete-file.storage must name a root under storage (e.g. attachments), not ${kindOfValue(storage)}`;
}

/**
 * `delete-file`: as a value, the column gets `then` (null, empty, a value such as a generic
 * picture, a template). The file itself is deleted by the job that writes the row, after its
 * transaction commits (src/core/file-deletion.ts): a strategy computes values, it never
 * touches storage.
 */
export function deleteFileStrategy(spec: { storage: string; then: AfterFileSpec }, after: MaskingStrategy): MaskingStrategy {
  return {
    kind: 'delete-file',
    pseudonymous: false,
    apply: (value, ctx) => after.apply(value, ctx),
    describe: () => `delete the file (${spec.storage}), then ${after.describe()}`,
  };
}
