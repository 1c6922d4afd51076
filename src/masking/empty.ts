import type { MaskingStrategy } from './types.js';

export function emptyStrategy(): MaskingStrategy {
  return {
    kind: 'empty',
    pseudonymous: false,
    apply: () => '',
    describe: () => 'empty text',
  };
}
