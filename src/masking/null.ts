import { defineStrategy, noOptions } from './definition.js';
import type { MaskingStrategy } from './types.js';

export const nullDefinition = defineStrategy({
  name: 'null',
  description: 'NULL; refused on a NOT NULL column. Also written null or "null".',
  options: noOptions,
  bare: true,
  create: () => nullStrategy(),
  constant: () => null,
});

export function nullStrategy(): MaskingStrategy {
  return {
    kind: 'null',
    pseudonymous: false,
    apply: () => null,
    describe: () => 'null',
  };
}
