/**
 * Runs a detector over the corpus and gathers the figures: per type, per language, overall,
 * per kind of hard negative, and the verdict on each accuracy target (issue 17).
 */
import type { CorpusLine, DecoySpan, GoldSpan } from './corpus.js';
import { DECOY_KINDS, GOLD_TYPES, NATIONAL_ID_TYPES } from './labels.js';
import { countByType, metrics, scoreLine, sumCounts, typesCompatible, type LineResult, type MatchMode, type Metrics, type PredictedSpan } from './score.js';

export type Detector = (text: string) => readonly PredictedSpan[];

export interface Target {
  type: string;
  /** Both precision and recall at least `min`, recall alone, or F2 at least `min`. */
  measure: 'precision and recall' | 'recall' | 'F2';
  min: number;
}

/** The accuracy targets (issue 17); the sealed test part is the one they are judged on. */
export const TARGETS: readonly Target[] = [
  { type: 'EMAIL', measure: 'precision and recall', min: 0.99 },
  { type: 'IBAN', measure: 'precision and recall', min: 0.99 },
  { type: 'IP_ADDRESS', measure: 'precision and recall', min: 0.99 },
  { type: 'CREDIT_CARD', measure: 'recall', min: 0.99 },
  { type: 'PHONE', measure: 'precision and recall', min: 0.9 },
  { type: 'PERSON', measure: 'F2', min: 0.8 },
  { type: 'STREET_ADDRESS', measure: 'F2', min: 0.6 },
];

export interface TargetVerdict extends Target {
  pass: boolean;
  metrics: Metrics;
}

export interface TypeFigures extends Metrics {
  type: string;
}

export interface GroupFigures extends Metrics {
  name: string;
  lines: number;
  gold: number;
  decoys: number;
}

export interface DecoyFigures {
  kind: string;
  count: number;
  /** Hard negatives of this kind on which the detector reported something. */
  hit: number;
}

export interface Evaluation {
  mode: MatchMode;
  results: LineResult[];
  /** Gold types first (in GOLD_TYPES order), then any other type the detector predicted. */
  byType: TypeFigures[];
  /** Every national identifier type and a generic NATIONAL_ID, summed. */
  nationalIds: Metrics;
  byLanguage: GroupFigures[];
  overall: GroupFigures;
  decoys: DecoyFigures[];
  targets: TargetVerdict[];
}

export interface EvaluateOptions {
  mode?: MatchMode;
  /** Only these types count (gold and predicted; aliases such as NATIONAL_ID follow their gold types). */
  types?: readonly string[];
}

export function evaluate(lines: readonly CorpusLine[], detector: Detector, options: EvaluateOptions = {}): Evaluation {
  const mode = options.mode ?? 'boundary';
  const wanted = options.types;
  // NATIONAL_ID asks for every national identifier, and UK_NINO for a generic NATIONAL_ID too.
  const related = (a: string, b: string): boolean => typesCompatible(a, b) || typesCompatible(b, a);
  const keepGold = (gold: GoldSpan): boolean => !wanted || wanted.some((type) => related(type, gold.type));
  const keepPredicted = (span: PredictedSpan): boolean => !wanted || wanted.some((type) => related(type, span.type));

  const results = lines.map((line) => {
    const scoped = { ...line, gold: line.gold.filter(keepGold) };
    return scoreLine(scoped, detector(line.text).filter(keepPredicted), mode);
  });

  const counts = countByType(results);
  const otherTypes = [...counts.keys()].filter((type) => !(GOLD_TYPES as readonly string[]).includes(type)).sort();
  const typeOrder = [...GOLD_TYPES.filter((type) => counts.has(type)), ...otherTypes];
  const byType = typeOrder.map((type) => ({ type, ...metrics(counts.get(type)!) }));
  const nationalIds = metrics(sumCounts([...counts].filter(([type]) => type === 'NATIONAL_ID' || NATIONAL_ID_TYPES.includes(type as never)).map(([, c]) => c)));

  const group = (name: string, members: readonly LineResult[]): GroupFigures => ({
    name,
    lines: members.length,
    gold: members.reduce((n, r) => n + r.line.gold.length, 0),
    decoys: members.reduce((n, r) => n + r.line.decoys.length, 0),
    ...metrics(sumCounts(countByType(members).values())),
  });
  const languages = [...new Set(results.map((r) => r.line.lang))];
  const byLanguage = languages.map((lang) =>
    group(
      lang,
      results.filter((r) => r.line.lang === lang),
    ),
  );

  const allDecoys = results.flatMap((r) => r.line.decoys.map((decoy) => ({ decoy, result: r })));
  const isHit = (decoy: DecoySpan, result: LineResult): boolean => result.falsePositives.some((fp) => fp.decoy === decoy);
  const decoys = DECOY_KINDS.map((kind) => {
    const ofKind = allDecoys.filter(({ decoy }) => decoy.kind === kind);
    return { kind, count: ofKind.length, hit: ofKind.filter(({ decoy, result }) => isHit(decoy, result)).length };
  }).filter((d) => d.count > 0);

  const targets = TARGETS.filter((target) => !wanted || wanted.includes(target.type)).map((target) => {
    const figures = metrics(counts.get(target.type) ?? { tp: 0, fp: 0, fn: 0 });
    return { ...target, metrics: figures, pass: meets(target, figures) };
  });

  return { mode, results, byType, nationalIds, byLanguage, overall: group('overall', results), decoys, targets };
}

function meets(target: Target, figures: Metrics): boolean {
  if (target.measure === 'F2') return (figures.f2 ?? 0) >= target.min;
  if (target.measure === 'recall') return (figures.recall ?? 0) >= target.min;
  return (figures.precision ?? 0) >= target.min && (figures.recall ?? 0) >= target.min;
}
