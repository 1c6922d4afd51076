/** How a wrong value from the data map is shown in a problem: scalars as written, containers by their kind. */
export function kindOfValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return value === '' ? 'an empty text' : quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'an object';
}

export function quote(text: string): string {
  return JSON.stringify(text);
}
