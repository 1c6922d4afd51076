import type { MaskingStrategy } from './types.js';

export function nullStrategy(): MaskingStrategy {
  return {
    kind: 'null',
    pseudonymous: false,
    apply: () => null,
    describe: () => 'null',
  };
}
