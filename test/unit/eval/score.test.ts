import { describe, expect, it } from 'vitest';
import { parseCorpusFile, type CorpusLine } from '../../../eval/corpus.js';
import { coreBounds, countByType, metrics, scoreLine, sumCounts, typesCompatible } from '../../../eval/score.js';

function lineOf(markup: string, lang = 'en'): CorpusLine {
  const { lines, problems } = parseCorpusFile(`${lang}.txt`, lang, markup);
  expect(problems).toEqual([]);
  return lines[0]!;
}

/** A prediction of `type` over the first occurrence of `text` in the line. */
function at(line: CorpusLine, type: string, text: string) {
  const start = line.text.indexOf(text);
  if (start < 0) throw new Error(`"${text}" not in "${line.text}"`);
  return { type, start, end: start + text.length, score: 1 };
}

describe('coreBounds', () => {
  const text = 'x ("Mrs Jane Doe"). y';
  it('trims punctuation and whitespace, and for PERSON a title', () => {
    const span = { start: 2, end: 19 }; // ("Mrs Jane Doe").
    expect(text.slice(span.start, span.end)).toBe('("Mrs Jane Doe").');
    const email = coreBounds(text, span, 'EMAIL');
    expect(text.slice(email.start, email.end)).toBe('Mrs Jane Doe');
    const person = coreBounds(text, span, 'PERSON');
    expect(text.slice(person.start, person.end)).toBe('Jane Doe');
  });

  it('keeps a plus sign and the colons of an IPv6 address', () => {
    const t = 'call +33 6 12 34 56 78 or 2001:db8::';
    expect(coreBounds(t, { start: 5, end: 22 }, 'PHONE')).toEqual({ start: 5, end: 22 });
    expect(coreBounds(t, { start: 26, end: t.length }, 'IP_ADDRESS')).toEqual({ start: 26, end: t.length });
  });

  it('leaves a lone title alone', () => {
    expect(coreBounds('Dr Mr', { start: 0, end: 2 }, 'PERSON')).toEqual({ start: 0, end: 2 });
  });
});

describe('scoreLine', () => {
  const line = lineOf('Hi, I’m Mrs [[PERSON:Jane Doe]], call [[PHONE:(020) 7946 0958]]. Order [[!ORDER:40321877]] cost [[!PRICE:£49.99]].');

  it('counts a prediction equal up to punctuation, whitespace and a title as a match', () => {
    const result = scoreLine(line, [at(line, 'PERSON', 'Mrs Jane Doe,'), at(line, 'PHONE', '020) 7946 0958.')]);
    expect(result.matches).toHaveLength(2);
    expect(result.falsePositives).toEqual([]);
    expect(result.falseNegatives).toEqual([]);
  });

  it('does not count a partial span as a match, but the lenient overlap mode does', () => {
    const predicted = [at(line, 'PERSON', 'Jane'), at(line, 'PHONE', '7946 0958')];
    const strict = scoreLine(line, predicted);
    expect(strict.matches).toEqual([]);
    expect(strict.falsePositives.map((fp) => fp.gold?.type)).toEqual(['PERSON', 'PHONE']);
    expect(strict.falseNegatives.map((fn) => [fn.gold.type, fn.overlapping?.type])).toEqual([
      ['PERSON', 'PERSON'],
      ['PHONE', 'PHONE'],
    ]);
    const lenient = scoreLine(line, predicted, 'overlap');
    expect(lenient.matches).toHaveLength(2);
  });

  it('counts a wrong type as a false positive of the predicted type and a false negative of the gold', () => {
    const result = scoreLine(line, [at(line, 'CREDIT_CARD', '(020) 7946 0958')]);
    expect(result.matches).toEqual([]);
    expect(countByType([result])).toEqual(
      new Map([
        ['CREDIT_CARD', { tp: 0, fp: 1, fn: 0 }],
        ['PERSON', { tp: 0, fp: 0, fn: 1 }],
        ['PHONE', { tp: 0, fp: 0, fn: 1 }],
      ]),
    );
  });

  it('matches each gold span once: a duplicate prediction is a false positive', () => {
    const phone = at(line, 'PHONE', '(020) 7946 0958');
    const result = scoreLine(line, [phone, { ...phone }]);
    expect(result.matches).toHaveLength(1);
    expect(result.falsePositives).toHaveLength(1);
  });

  it('names the hard negative a false positive fell on', () => {
    const result = scoreLine(line, [at(line, 'PHONE', '40321877')]);
    expect(result.falsePositives[0]!.decoy).toMatchObject({ kind: 'ORDER', text: '40321877' });
  });

  it('accepts a generic NATIONAL_ID for any national identifier, and ES_NIE for ES_DNI', () => {
    expect(typesCompatible('NATIONAL_ID', 'NL_BSN')).toBe(true);
    expect(typesCompatible('ES_NIE', 'ES_DNI')).toBe(true);
    expect(typesCompatible('NATIONAL_ID', 'PHONE')).toBe(false);
    expect(typesCompatible('NL_BSN', 'FR_NIR')).toBe(false);
    const bsn = lineOf('BSN [[NL_BSN:111222333]]', 'nl');
    const result = scoreLine(bsn, [at(bsn, 'NATIONAL_ID', '111222333')]);
    expect(countByType([result])).toEqual(new Map([['NL_BSN', { tp: 1, fp: 0, fn: 0 }]]));
  });
});

describe('metrics', () => {
  it('computes precision, recall and F2', () => {
    const m = metrics({ tp: 8, fp: 2, fn: 8 });
    expect(m.precision).toBeCloseTo(0.8);
    expect(m.recall).toBeCloseTo(0.5);
    // F2 = 5PR / (4P + R) = 5 * 0.4 / 3.7
    expect(m.f2).toBeCloseTo(2 / 3.7);
  });

  it('says n/a (null) rather than inventing a figure from nothing', () => {
    expect(metrics({ tp: 0, fp: 0, fn: 3 })).toMatchObject({ precision: null, recall: 0, f2: null });
    expect(metrics({ tp: 0, fp: 2, fn: 0 })).toMatchObject({ precision: 0, recall: null, f2: null });
    expect(metrics({ tp: 0, fp: 2, fn: 3 })).toMatchObject({ precision: 0, recall: 0, f2: 0 });
  });

  it('sums counts', () => {
    expect(
      sumCounts([
        { tp: 1, fp: 2, fn: 3 },
        { tp: 10, fp: 20, fn: 30 },
      ]),
    ).toEqual({ tp: 11, fp: 22, fn: 33 });
  });
});
