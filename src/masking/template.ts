import { z } from 'zod';
import { defineStrategy } from './definition.js';
import { columnLabel, MaskingError } from './masking-error.js';
import { fitToColumn } from './text-length.js';
import type { MaskingStrategy } from './types.js';
import { kindOfValue, quote } from './wording.js';

// Placeholders are `{column}`. There is no escaping: any other brace is a mistake.
const PLACEHOLDER = /\{([^{}]*)\}/g;
// The same rule as a whole: text and placeholders with a name in them (editors get it as a pattern).
const WELL_FORMED = /^(?:[^{}]|\{\s*[^{}\s][^{}]*\})+$/;

export const templateDefinition = defineStrategy({
  name: 'template',
  description: 'Text from the row\'s own non-personal columns: { template: "User #{id}" }.',
  options: z
    .string({ error: (issue) => templateProblem(issue.input) })
    .regex(WELL_FORMED, { error: (issue) => templateProblem(issue.input) })
    .meta({ description: 'Text with {column} placeholders; braces cannot be escaped.', examples: ['User #{id}'] })
    .transform((template) => ({ template })),
  bare: { needs: 'the text to write', example: '{ template: "User #{id}" }' },
  create: (options) => templateStrategy(options),
});

/** The column names a template reads, in order of first use: templateFields("{a}-{b}-{a}") is ["a", "b"]. */
export function templateFields(template: string): string[] {
  const names = [...template.matchAll(PLACEHOLDER)].map((match) => (match[1] ?? '').trim());
  return [...new Set(names)];
}

function templateProblem(template: unknown): string {
  if (typeof template !== 'string' || template === '') {
    return `template must be a non-empty text such as "User #{id}", not ${kindOfValue(template)}`;
  }
  if (/[{}]/.test(template.replace(PLACEHOLDER, ''))) {
    return `template ${quote(template)} has an unmatched brace; a column is written {column} and braces cannot be escaped`;
  }
  return `template ${quote(template)} has an empty placeholder {}; write the column name inside the braces`;
}

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
          throw new MaskingError(`template for ${columnLabel(ctx.table, ctx.column.name)} uses column "${name}", which is not in the row`);
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
