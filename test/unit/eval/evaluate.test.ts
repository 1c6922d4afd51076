import { describe, expect, it } from 'vitest';
import { parseCorpusFile, type CorpusLine } from '../../../eval/corpus.js';
import { evaluate, type Detector } from '../../../eval/evaluate.js';
import { formatJson, formatText } from '../../../eval/report.js';

const corpus: CorpusLine[] = [
  ...parseCorpusFile(
    'en.txt',
    'en',
    ['Hi, I’m [[PERSON:Jane Doe]], mail [[EMAIL:jane@example.org]]', 'Order [[!ORDER:40321877]] shipped', 'call [[PHONE:020 7946 0958]]'].join('\n'),
  ).lines,
  ...parseCorpusFile('fr.txt', 'fr', 'Je suis [[PERSON:Camille]], IBAN [[IBAN:FR76 3000 4008 2300 0123 4567 819]]').lines,
];

/** Finds what a regex finds, as one type. */
const finds =
  (type: string, pattern: RegExp): Detector =>
  (text) =>
    [...text.matchAll(new RegExp(pattern, 'g'))].map((m) => ({ type, start: m.index, end: m.index + m[0].length, score: 1 }));
const both =
  (...detectors: Detector[]): Detector =>
  (text) =>
    detectors.flatMap((d) => d(text));

describe('evaluate', () => {
  const detector = both(finds('EMAIL', /\S+@\S+/), finds('PHONE', /\b0\d{2} \d{4} \d{4}\b|\b\d{8}\b/), finds('PERSON', /Jane Doe/));
  const evaluation = evaluate(corpus, detector);

  it('counts per type, per language and overall', () => {
    const byType = Object.fromEntries(evaluation.byType.map((t) => [t.type, [t.tp, t.fp, t.fn]]));
    expect(byType).toEqual({ EMAIL: [1, 0, 0], PHONE: [1, 1, 0], IBAN: [0, 0, 1], PERSON: [1, 0, 1] });
    expect(evaluation.overall).toMatchObject({ lines: 4, gold: 5, decoys: 1, tp: 3, fp: 1, fn: 2 });
    expect(evaluation.byLanguage.map((g) => [g.name, g.tp, g.fp, g.fn])).toEqual([
      ['en', 3, 1, 0],
      ['fr', 0, 0, 2],
    ]);
  });

  it('counts the hard negatives hit', () => {
    expect(evaluation.decoys).toEqual([{ kind: 'ORDER', count: 1, hit: 1 }]);
  });

  it('gives a verdict on each target', () => {
    const verdicts = Object.fromEntries(evaluation.targets.map((t) => [t.type, t.pass]));
    expect(verdicts).toEqual({ EMAIL: true, IBAN: false, CREDIT_CARD: false, IP_ADDRESS: false, PHONE: false, PERSON: false, STREET_ADDRESS: false });
    // PERSON: P = 1, R = 0.5, F2 = 5 * 0.5 / 4.5
    expect(evaluation.targets.find((t) => t.type === 'PERSON')!.metrics.f2).toBeCloseTo(2.5 / 4.5);
  });

  it('can look at some types only', () => {
    const emailOnly = evaluate(corpus, detector, { types: ['EMAIL'] });
    expect(emailOnly.byType.map((t) => t.type)).toEqual(['EMAIL']);
    expect(emailOnly.targets.map((t) => t.type)).toEqual(['EMAIL']);
    expect(emailOnly.overall).toMatchObject({ tp: 1, fp: 0, fn: 0 });
  });

  it('takes NATIONAL_ID for every national identifier type, whichever side names it', () => {
    const ids = parseCorpusFile('nl.txt', 'nl', 'BSN [[NL_BSN:111222333]], tel [[PHONE:06 12345678]]').lines;
    const specific = evaluate(ids, finds('NL_BSN', /\d{9}/), { types: ['NATIONAL_ID'] });
    expect(specific.byType.map((t) => [t.type, t.tp, t.fp, t.fn])).toEqual([['NL_BSN', 1, 0, 0]]);
    expect(specific.nationalIds).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    const generic = evaluate(ids, finds('NATIONAL_ID', /\d{9}/), { types: ['NL_BSN'] });
    expect(generic.byType.map((t) => [t.type, t.tp, t.fp, t.fn])).toEqual([['NL_BSN', 1, 0, 0]]);
  });

  it('prints tables, targets and, when verbose, every mistake with its line', () => {
    const text = formatText(evaluation, corpus, { corpusDir: 'corpus', verbose: true });
    expect(text).toContain('PHONE               1   1   1   0      0.500   1.000  0.833');
    expect(text).toContain('PASS  EMAIL');
    expect(text).toContain('FAIL  IBAN');
    expect(text).toContain('  en.txt:2  PHONE "40321877" on hard negative ORDER\n      Order 40321877 shipped');
    expect(text).toContain('  fr.txt:1  PERSON "Camille"\n      Je suis Camille, IBAN');
    const quiet = formatText(evaluation, corpus, { corpusDir: 'corpus', verbose: false });
    expect(quiet).not.toContain('False positives');
  });

  it('prints one JSON document', () => {
    const document = JSON.parse(formatJson(evaluation, corpus, { corpusDir: 'corpus', verbose: true }));
    expect(document.overall).toMatchObject({ tp: 3, fp: 1, fn: 2 });
    expect(document.allTargetsMet).toBe(false);
    expect(document.corpus.gold.PERSON).toEqual({ en: 1, fr: 1 });
    expect(document.falsePositives).toEqual([expect.objectContaining({ source: 'en.txt', line: 2, type: 'PHONE', text: '40321877', decoy: 'ORDER' })]);
    expect(document.falseNegatives).toHaveLength(2);
  });
});
