import type { AfterFileSpec, MaskingStrategy } from './types.js';

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
