import { describe, expect, it } from 'vitest';
import { detect, detectorTypes, resolveOverlaps } from '../../../src/detect/index.js';
import { everything } from './helpers.js';

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

  it('finds what the issue asks for, line by line', () => {
    expect(everything('mail a.b@example.org or call +33 6 12 34 56 78')).toEqual([
      ['EMAIL', 'a.b@example.org'],
      ['PHONE', '+33 6 12 34 56 78'],
    ]);
    expect(everything('IBAN DE89 3704 0044 0532 0130 00, card 4111 1111 1111 1111')).toEqual([
      ['IBAN', 'DE89 3704 0044 0532 0130 00'],
      ['CREDIT_CARD', '4111 1111 1111 1111'],
    ]);
    expect(everything('order 12345678 shipped 2024-05-01 for 49.99 EUR')).toEqual([]);
  });

  it('lists its detector types', () => {
    expect(detectorTypes).toEqual(
      expect.arrayContaining([
        'EMAIL',
        'PHONE',
        'IBAN',
        'CREDIT_CARD',
        'IP_ADDRESS',
        'URL',
        'MAC_ADDRESS',
        'DATE_OF_BIRTH',
        'UK_NINO',
        'ES_DNI',
        'FR_NIR',
        'IT_CF',
        'NL_BSN',
        'US_SSN',
        'PERSON',
        'STREET_ADDRESS',
      ]),
    );
    expect(detectorTypes).not.toContain('DENY');
  });

  it('looks only for the types asked', () => {
    expect(detect(text, { types: ['PHONE'] }).map((s) => s.type)).toEqual(['PHONE']);
    expect(detect(text, { types: [] })).toEqual([]);
  });

  it('returns nothing for text without PII', () => {
    expect(detect('')).toEqual([]);
    expect(detect('The parcel left on 2024-03-15 and cost £49.99.')).toEqual([]);
  });

  it('reports UTF-16 offsets', () => {
    const emoji = '👋🏽 Hi Jane, card 4111 1111 1111 1111 ✅';
    for (const span of detect(emoji)) expect(emoji.slice(span.start, span.end)).toMatch(/^(?:Jane|4111 1111 1111 1111)$/);
    expect(detect(emoji).map((s) => s.start)).toEqual([8, 19]);
  });

  describe('threshold', () => {
    const line = 'Laura called from 123456782';

    it('drops spans scoring below it (0.5 by default)', () => {
      expect(detect(line).map((s) => s.type)).toEqual(['PERSON']);
      expect(detect(line, { threshold: 0.3 }).map((s) => s.type)).toEqual(['PERSON', 'NL_BSN']);
      expect(detect(line, { threshold: 0.99 })).toEqual([]);
    });

    it('is met by context words', () => {
      const [bare] = detect('number 536-90-4399', { types: ['US_SSN'], threshold: 0 });
      const [named] = detect('SSN 536-90-4399', { types: ['US_SSN'], threshold: 0 });
      expect(named!.score).toBeGreaterThan(bare!.score);
    });
  });

  describe('allow and deny lists', () => {
    it('never reports allowed strings, compared whole and case-insensitively', () => {
      const line = 'write to support@example.com or jane@example.com';
      expect(everything(line, { allow: ['SUPPORT@example.com'] })).toEqual([['EMAIL', 'jane@example.com']]);
      expect(everything(line, { allow: ['example.com'] })).toHaveLength(2);
    });

    it('always reports denied strings as whole words, as DENY or the type given', () => {
      const line = 'Project Nightingale is run by ACME-42 and Nightingales sing';
      expect(everything(line, { deny: ['project nightingale', { text: 'acme-42', type: 'PERSON' }] })).toEqual([
        ['DENY', 'Project Nightingale'],
        ['PERSON', 'ACME-42'],
      ]);
      expect(everything('PROJECT   NIGHTINGALE', { deny: ['Project Nightingale'], types: [] })).toEqual([['DENY', 'PROJECT   NIGHTINGALE']]);
    });

    it('reports a denied string even when it is also allowed, and ignores empty entries', () => {
      expect(everything('call Nightingale', { allow: ['nightingale'], deny: ['Nightingale'] })).toEqual([['DENY', 'Nightingale']]);
      expect(everything('hello there', { deny: ['', '  '] })).toEqual([]);
    });
  });

  describe('overlaps', () => {
    it('keeps the longer span, as an address keeps the name in it', () => {
      expect(everything('ship to 12 rue Victor Hugo, 75016 Paris')).toEqual([['STREET_ADDRESS', '12 rue Victor Hugo, 75016 Paris']]);
      expect(everything('see https://example.com/contact?mail=jane@example.com')).toEqual([['URL', 'https://example.com/contact?mail=jane@example.com']]);
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

    // 100,000 spans: a pass that compared every span with every other would not end within
    // the test's timeout; the test asserts what is kept, never how long it took.
    it('resolves each run of overlapping spans on its own, over 100,000 spans of a long text', () => {
      const spans = Array.from({ length: 100_000 }, (_, i) => ({ start: i * 10, end: i * 10 + (i % 2 ? 8 : 5), score: 1 }));
      const kept = resolveOverlaps(spans);
      expect(kept).toHaveLength(100_000);
      expect(kept).toEqual(spans);
      expect(resolveOverlaps([...spans.slice(0, 3), { start: 8, end: 25, score: 0.1 }])).toEqual([spans[0], { start: 8, end: 25, score: 0.1 }]);
    });

    it('prefers the higher score between overlapping spans of equal length', () => {
      expect(
        resolveOverlaps([
          { start: 0, end: 4, score: 0.2 },
          { start: 2, end: 6, score: 0.9 },
        ]),
      ).toEqual([{ start: 2, end: 6, score: 0.9 }]);
    });
  });
});
