import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/audit/index.js';
import { formatAuditEntry, formatAuditList } from '../../src/cli/format/audit.js';
import { displayValue, printable } from '../../src/cli/format/grid.js';

const palette = new Chalk({ level: 0 });
const entry: AuditEntry = {
  id: 1,
  at: '2026-12-07T00:00:00.000Z',
  operator: '\u001b[2J\u001b[31mmallory\u0007',
  command: 'find',
  action: 'find',
  requestId: 'r',
  phase: 'event',
  intentId: null,
  subject: null,
  dryRun: false,
  outcome: 'ok',
  tables: {},
  detail: { note: 'bell\u0007' },
  prevHash: '0'.repeat(64),
  hash: 'f'.repeat(64),
};

/** Recorded text reaches a terminal: an operator named with escape sequences must not drive it. */
describe('printing recorded text', () => {
  it('shows control characters as \\x escapes and keeps everything else', () => {
    expect(printable('\u001b[31mred\u0007 ok é ⏎')).toBe('\\x1b[31mred\\x07 ok é ⏎');
    expect(displayValue('tab\there')).toBe('tab\\x09here');
  });

  it('audit list and audit show never pass an escape sequence through', () => {
    const list = formatAuditList([entry], new Set(), palette);
    const show = formatAuditEntry(entry, {}, palette);
    for (const text of [list, show]) {
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      expect(text).toContain('\\x1b[31mmallory\\x07');
    }
  });
});
