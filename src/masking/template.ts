import { columnLabel, MaskingError } from './masking-error.js';
import { fitToColumn } from './text-length.js';
import type { MaskingStrategy } from './types.js';

const PLACEHOLDER = /\{([^{}]*)\}/g;

export function templateStrategy(spec: { template: string }): MaskingStrategy {
  const { template } = spec;
  return {
    kind: 'template',
    pseudonymous: false,
    apply(_old, ctx) {
      const text = template.replace(PLACEHOLDER, (_match, rawName: string) => {
        const name = rawName.trim();
        // A missing column means the row was read without it; writing "User #" would hide that bug.
        if (!(name in ctx.row)) {
          throw new MaskingError(
            `template for ${columnLabel(ctx.table, ctx.column.name)} uses column "${name}", which is not in the row`,
          );
        }
        const field = ctx.row[name];
        if (field === null || field === undefined) return '';
        return field instanceof Date ? field.toISOString() : String(field);
      });
      return fitToColumn(text, ctx.column);
    },
    describe: () => `template ${JSON.stringify(template)}`,
  };
}
