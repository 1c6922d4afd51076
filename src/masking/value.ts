import { fitToColumn } from './text-length.js';
import type { MaskingStrategy } from './types.js';

export function valueStrategy(spec: { value: string | number | boolean }): MaskingStrategy {
  const { value } = spec;
  return {
    kind: 'value',
    pseudonymous: false,
    apply: (_old, ctx) => (typeof value === 'string' ? fitToColumn(value, ctx.column) : value),
    describe: () => `value ${JSON.stringify(value)}`,
  };
}
