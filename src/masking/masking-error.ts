import { LetheError } from '../errors.js';

/**
 * A strategy could not produce a value. The message names the table and column but never
 * the value: values are personal data, and errors end up in terminals and logs.
 */
export class MaskingError extends LetheError {}

export function columnLabel(table: string, column: string): string {
  return `${table}.${column}`;
}
