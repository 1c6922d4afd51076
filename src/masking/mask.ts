import { z } from 'zod';
import { defineStrategy } from './definition.js';
import type { MaskingStrategy } from './types.js';
import { kindOfValue } from './wording.js';

export const maskDefinition = defineStrategy({
  name: 'mask',
  description: 'Keeps the ends and masks the rest: ************1111. A value too short is masked whole.',
  options: z.strictObject({
    keepFirst: z.int().min(0).default(0).describe('Characters kept at the start.'),
    keepLast: z.int().min(0).default(4).describe('Characters kept at the end.'),
    // One code point, as editors count characters: an emoji is one, though two UTF-16 units.
    char: z
      .string({ error: (issue) => charProblem(issue.input) })
      .regex(/^[\s\S]$/u, { error: (issue) => charProblem(issue.input) })
      .default('*')
      .describe('The masking character.'),
  }),
  bare: true,
  create: (options) => maskStrategy(options),
});

function charProblem(char: unknown): string {
  return `mask.char must be a single character such as "*", not ${kindOfValue(char)}`;
}

export function maskStrategy(spec: { keepFirst: number; keepLast: number; char: string }): MaskingStrategy {
  const { keepFirst, keepLast, char } = spec;
  return {
    kind: 'mask',
    pseudonymous: false,
    apply(value) {
      if (value === null || value === undefined) return null;
      const characters = [...String(value)];
      // Keeping first and last parts of a short value would keep all of it, or nearly.
      if (characters.length <= keepFirst + keepLast) return char.repeat(characters.length);
      const hidden = characters.length - keepFirst - keepLast;
      return characters.slice(0, keepFirst).join('') + char.repeat(hidden) + characters.slice(characters.length - keepLast).join('');
    },
    describe: () => `mask (keep first ${keepFirst}, last ${keepLast}, mask with ${JSON.stringify(char)})`,
  };
}
