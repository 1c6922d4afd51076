import { defineStrategy, noOptions } from './definition.js';
import type { MaskingStrategy } from './types.js';

export const emptyDefinition = defineStrategy({
  name: 'empty',
  description: 'The empty string.',
  options: noOptions,
  bare: true,
  create: () => emptyStrategy(),
  constant: () => '',
});

export function emptyStrategy(): MaskingStrategy {
  return {
    kind: 'empty',
    pseudonymous: false,
    apply: () => '',
    describe: () => 'empty text',
  };
}
