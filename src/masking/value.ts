import { z } from 'zod';
import { defineStrategy } from './definition.js';
import { fitToColumn } from './text-length.js';
import type { MaskingStrategy } from './types.js';
import { kindOfValue } from './wording.js';

export const valueDefinition = defineStrategy({
  name: 'value',
  description: 'A constant: { value: "n/a" }.',
  options: z
    .union([z.string(), z.number(), z.boolean()], {
      error: (issue) => `value must be a string, a number or true/false, not ${kindOfValue(issue.input)}`,
    })
    .meta({ description: 'The value written to every row.', examples: ['n/a', 0, false] })
    .transform((value) => ({ value })),
  bare: { needs: 'the value to write', example: '{ value: "n/a" }' },
  create: (options) => valueStrategy(options),
  constant: (options) => options.value,
});

export function valueStrategy(spec: { value: string | number | boolean }): MaskingStrategy {
  const { value } = spec;
  return {
    kind: 'value',
    pseudonymous: false,
    apply: (_old, ctx) => (typeof value === 'string' ? fitToColumn(value, ctx.column) : value),
    describe: () => `value ${JSON.stringify(value)}`,
  };
}
