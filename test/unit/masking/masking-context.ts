import type { ColumnShape, MaskingContext } from '../../../src/masking/index.js';

/** A context for one column of `users`, overridable piece by piece. */
export function maskingContext(overrides: Partial<Omit<MaskingContext, 'column'>> & { column?: Partial<ColumnShape> } = {}): MaskingContext {
  const { column, ...rest } = overrides;
  return {
    table: 'users',
    row: {},
    ...rest,
    column: { name: 'field', type: 'text', nullable: true, unique: false, ...column },
  };
}
