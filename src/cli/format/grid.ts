import { stripVTControlCharacters } from 'node:util';

const MAX_CELL = 48;

/** A plain aligned grid: headers, a rule, rows. Cells are cut to keep wide text readable. */
export function renderGrid(headers: string[], rows: string[][], options: { indent?: string; maxCell?: number } = {}): string {
  const indent = options.indent ?? '  ';
  const cut = rows.map((row) => row.map((cell) => shorten(cell, options.maxCell ?? MAX_CELL)));
  const widths = headers.map((h, i) => Math.max(visibleLength(h), ...cut.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: string[]) => indent + cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - visibleLength(c)))).join('  ');
  return [line(headers), indent + widths.map((w) => '-'.repeat(w)).join('  '), ...cut.map(line)].join('\n');
}

export function displayValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  if (typeof value === 'object') return JSON.stringify(value);
  return printable(String(value));
}

/**
 * Text from a database or the audit trail, safe to print on a terminal: control characters
 * (an escape sequence in an operator name, a stray bell in a message) are shown as `\x1b`,
 * never sent to the terminal. Line breaks stay (the grid folds them).
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ⏎ ');
  return visibleLength(flat) > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function visibleLength(text: string): number {
  return stripVTControlCharacters(text).length;
}
