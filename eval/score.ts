/**
 * Scoring detector output against the gold spans of the corpus.
 *
 * Matching rule ("boundary" mode, the default). A predicted span matches a gold span when
 *  - their types are compatible: equal, or the prediction is the generic NATIONAL_ID and the
 *    gold is one of the national identifier types, or ES_NIE against ES_DNI (the corpus
 *    labels Spanish DNI and NIE numbers both as ES_DNI); and
 *  - their core bounds are equal, where a span's core is what remains after trimming
 *    whitespace and punctuation from both ends (Unicode P: . , ; ! ? ' " ( ) [ ] - / and
 *    the like, but not the colon, which an IPv6 address can end with, nor symbols such as
 *    + or €), and for PERSON also a leading title (Mr, Mme, Herr, Sra., Dhr. ...).
 *    So "(020) 7946 0958" matches "020) 7946 0958", "jane@x.org." matches "jane@x.org" and
 *    "Mrs Jane Doe" matches "Jane Doe", but "Jane" does not match "Jane Doe", nor
 *    "+33 6 12 34 56 78" match "6 12 34 56 78".
 * Each gold span matches at most one prediction and each prediction at most one gold span.
 * "overlap" mode (--overlap) relaxes the second condition to any overlap: a lenient figure
 * that shows how much of the loss is boundaries rather than misses.
 *
 * Counting: a match is a true positive of the gold span's type; an unmatched prediction is a
 * false positive of its own type (a PHONE predicted on a gold NL_BSN is a PHONE false
 * positive and an NL_BSN false negative); an unmatched gold span is a false negative of its
 * type. Overall figures are micro-averaged: the sums of the counts of every type.
 */
import type { CorpusLine, DecoySpan, GoldSpan } from './corpus.js';
import { NATIONAL_ID_TYPES } from './labels.js';

export interface PredictedSpan {
  type: string;
  start: number;
  end: number;
  score?: number;
}

export type MatchMode = 'boundary' | 'overlap';

export interface FalsePositive {
  span: PredictedSpan;
  /** The hard negative it fell on, if any. */
  decoy?: DecoySpan;
  /** A gold span of another type (or with other bounds) it overlaps, if any. */
  gold?: GoldSpan;
}

export interface FalseNegative {
  gold: GoldSpan;
  /** A prediction overlapping it that did not match (wrong type or bounds), if any. */
  overlapping?: PredictedSpan;
}

export interface LineResult {
  line: CorpusLine;
  matches: Array<{ gold: GoldSpan; predicted: PredictedSpan }>;
  falsePositives: FalsePositive[];
  falseNegatives: FalseNegative[];
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Metrics extends Counts {
  /** tp / (tp + fp); null when nothing was predicted. */
  precision: number | null;
  /** tp / (tp + fn); null when there was nothing to find. */
  recall: number | null;
  /** 5PR / (4P + R), recall weighted twice as much as precision; null when P or R is. */
  f2: number | null;
}

const ALIASES: Readonly<Record<string, readonly string[]>> = {
  NATIONAL_ID: NATIONAL_ID_TYPES,
  ES_NIE: ['ES_DNI'],
};

export function typesCompatible(predicted: string, gold: string): boolean {
  return predicted === gold || (ALIASES[predicted]?.includes(gold) ?? false);
}

// Colons stay: IPv6 addresses can end with them ("2001:db8::").
const isEdge = (char: string): boolean => char !== ':' && /[\s\p{P}]/u.test(char);
const TITLE =
  /^(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Sir|Madam|M|Mme|Mlle|Monsieur|Madame|Herr|Frau|Hr|Fr|Sr|Sra|Srta|Señor|Señora|Don|Doña|Dña|Sig|Sig\.ra|Signor|Signora|Dott|Dott\.ssa|Dhr|Mevr|Mw)\.?\s+(?=\p{L})/u;

/** `span`'s bounds in `text` without surrounding punctuation and whitespace (nor, for PERSON, a title). */
export function coreBounds(text: string, span: { start: number; end: number }, type: string): { start: number; end: number } {
  let { start, end } = span;
  while (start < end && isEdge(text[start]!)) start++;
  while (end > start && isEdge(text[end - 1]!)) end--;
  if (type === 'PERSON') {
    const title = TITLE.exec(text.slice(start, end));
    if (title) start += title[0].length;
  }
  return { start, end };
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean => a.start < b.end && b.start < a.end;

/** Matches the predictions for one line against its gold spans. */
export function scoreLine(line: CorpusLine, predicted: readonly PredictedSpan[], mode: MatchMode = 'boundary'): LineResult {
  const same = (gold: GoldSpan, prediction: PredictedSpan): boolean => {
    if (!typesCompatible(prediction.type, gold.type)) return false;
    if (mode === 'overlap') return overlaps(gold, prediction);
    const g = coreBounds(line.text, gold, gold.type);
    const p = coreBounds(line.text, prediction, gold.type);
    return g.start === p.start && g.end === p.end;
  };
  const unmatched = new Set(predicted);
  const matches: LineResult['matches'] = [];
  const missed: GoldSpan[] = [];
  for (const gold of line.gold) {
    const prediction = [...unmatched].find((candidate) => same(gold, candidate));
    if (prediction) {
      unmatched.delete(prediction);
      matches.push({ gold, predicted: prediction });
    } else missed.push(gold);
  }
  const falsePositives = [...unmatched].map((span): FalsePositive => {
    const decoy = line.decoys.find((d) => overlaps(d, span));
    const gold = line.gold.find((g) => overlaps(g, span));
    return { span, ...(decoy && { decoy }), ...(gold && { gold }) };
  });
  const falseNegatives = missed.map((gold): FalseNegative => {
    const overlapping = predicted.find((p) => overlaps(p, gold));
    return { gold, ...(overlapping && { overlapping }) };
  });
  return { line, matches, falsePositives, falseNegatives };
}

export function metrics(counts: Counts): Metrics {
  const { tp, fp, fn } = counts;
  const precision = tp + fp === 0 ? null : tp / (tp + fp);
  const recall = tp + fn === 0 ? null : tp / (tp + fn);
  const f2 = precision === null || recall === null ? null : precision + recall === 0 ? 0 : (5 * precision * recall) / (4 * precision + recall);
  return { ...counts, precision, recall, f2 };
}

const add = (into: Map<string, Counts>, key: string, field: keyof Counts): void => {
  const counts = into.get(key) ?? { tp: 0, fp: 0, fn: 0 };
  counts[field]++;
  into.set(key, counts);
};

/** Counts per type (tp under the gold type, fp under the predicted type) for some line results. */
export function countByType(results: readonly LineResult[]): Map<string, Counts> {
  const byType = new Map<string, Counts>();
  for (const result of results) {
    for (const { gold } of result.matches) add(byType, gold.type, 'tp');
    for (const { span } of result.falsePositives) add(byType, span.type, 'fp');
    for (const { gold } of result.falseNegatives) add(byType, gold.type, 'fn');
  }
  return byType;
}

export function sumCounts(counts: Iterable<Counts>): Counts {
  const total = { tp: 0, fp: 0, fn: 0 };
  for (const c of counts) {
    total.tp += c.tp;
    total.fp += c.fp;
    total.fn += c.fn;
  }
  return total;
}
