import type { ColumnShape } from './types.js';

/**
 * Cuts `text` to the column's maximum length, counted in characters (code points) as
 * VARCHAR(n) counts them, without splitting a surrogate pair.
 */
export function fitToColumn(text: string, column: ColumnShape): string {
  if (column.maxLength === undefined) return text;
  const characters = [...text];
  return characters.length > column.maxLength ? characters.slice(0, column.maxLength).join('') : text;
}
