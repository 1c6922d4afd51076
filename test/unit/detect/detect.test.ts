import { describe, expect, it } from 'vitest';
import { detect, resolveOverlaps } from '../../../src/detect/index.js';

describe('detect', () => {
  const text = 'Mail jane@example.com or call 020 7946 0958.';

  it('returns spans of every type sorted by start', () => {
    const spans = detect(text);
    expect(spans.map((s) => [s.type, text.slice(s.start, s.end)])).toEqual([
      ['EMAIL', 'jane@example.com'],
      ['PHONE', '020 7946 0958'],
    ]);
    for (const span of spans) expect(span.score).toBeGreaterThan(0);
  });

  it('looks only for the types asked', () => {
    expect(detect(text, { types: ['PHONE'] }).map((s) => s.type)).toEqual(['PHONE']);
    expect(detect(text, { types: [] })).toEqual([]);
  });

  it('returns nothing for text without PII', () => {
    expect(detect('')).toEqual([]);
    expect(detect('The parcel left on 2024-03-15 and cost £49.99.')).toEqual([]);
  });

  it('keeps the longer of overlapping spans', () => {
    const spans = [
      { start: 0, end: 5, score: 1 },
      { start: 3, end: 12, score: 0.5 },
      { start: 12, end: 14, score: 0.5 },
      { start: 13, end: 14, score: 1 },
    ];
    expect(resolveOverlaps(spans)).toEqual([
      { start: 3, end: 12, score: 0.5 },
      { start: 12, end: 14, score: 0.5 },
    ]);
  });

  it('prefers the higher score between overlapping spans of equal length', () => {
    expect(resolveOverlaps([{ start: 0, end: 4, score: 0.2 }, { start: 2, end: 6, score: 0.9 }])).toEqual([
      { start: 2, end: 6, score: 0.9 },
    ]);
  });
});
