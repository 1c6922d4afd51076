/**
 * The evaluation as text tables for a person, or as one JSON document for a machine.
 */
import type { CorpusLine } from './corpus.js';
import type { Evaluation, TargetVerdict } from './evaluate.js';
import { GOLD_TYPES } from './labels.js';
import type { Metrics } from './score.js';

export interface ReportOptions {
  /** Where the corpus was read from, as shown to the reader. */
  corpusDir: string;
  /** List every false positive and false negative, and the corpus's gold counts per language. */
  verbose: boolean;
}

const ratio = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(3));

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const render = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [render(head), ...rows.map(render)].join('\n');
}

const metricCells = (m: Metrics): string[] => [m.tp, m.fp, m.fn].map(String).concat([m.precision, m.recall, m.f2].map(ratio));

/** Gold span counts per type (rows) and language (columns). */
export function goldCounts(lines: readonly CorpusLine[]): { languages: string[]; byType: Record<string, Record<string, number>> } {
  const languages = [...new Set(lines.map((l) => l.lang))];
  const byType: Record<string, Record<string, number>> = {};
  for (const line of lines) {
    for (const gold of line.gold) {
      const row = (byType[gold.type] ??= {});
      row[line.lang] = (row[line.lang] ?? 0) + 1;
    }
  }
  return { languages, byType };
}

function describeTarget(target: TargetVerdict): string {
  const m = target.metrics;
  const figures =
    target.measure === 'F2'
      ? `F2 ${ratio(m.f2)} (needs ${target.min})`
      : target.measure === 'recall'
        ? `recall ${ratio(m.recall)} (needs ${target.min}; precision ${ratio(m.precision)})`
        : `precision ${ratio(m.precision)}, recall ${ratio(m.recall)} (needs ${target.min} both)`;
  return `${target.pass ? 'PASS' : 'FAIL'}  ${target.type.padEnd(12)} ${figures}`;
}

export function formatText(evaluation: Evaluation, lines: readonly CorpusLine[], options: ReportOptions): string {
  const { overall } = evaluation;
  const out: string[] = [];
  const perLanguage = evaluation.byLanguage.map((g) => `${g.name} ${g.lines}`).join(', ');
  out.push(
    `Corpus ${options.corpusDir}: ${overall.lines} lines (${perLanguage}), ${overall.gold} gold spans, ${overall.decoys} hard negatives`,
    evaluation.mode === 'boundary'
      ? 'Matching: same type, bounds equal up to surrounding punctuation and whitespace (see eval/score.ts)'
      : 'Matching: same type, any overlap (--overlap; lenient)',
    '',
  );

  const typeRows = evaluation.byType.map((t) => [t.type, String(t.tp + t.fn), ...metricCells(t)]);
  const ids = evaluation.nationalIds;
  if (ids.tp + ids.fp + ids.fn > 0) typeRows.push(['national IDs, all', String(ids.tp + ids.fn), ...metricCells(ids)]);
  typeRows.push(['overall (micro)', String(overall.tp + overall.fn), ...metricCells(overall)]);
  out.push(table(['type', 'gold', 'tp', 'fp', 'fn', 'precision', 'recall', 'F2'], typeRows), '');

  out.push(
    table(
      ['language', 'lines', 'gold', 'negatives', 'tp', 'fp', 'fn', 'precision', 'recall', 'F2'],
      evaluation.byLanguage.map((g) => [g.name, String(g.lines), String(g.gold), String(g.decoys), ...metricCells(g)]),
    ),
    '',
  );

  out.push(
    table(
      ['hard negative', 'count', 'hit'],
      evaluation.decoys.map((d) => [d.kind, String(d.count), String(d.hit)]),
    ),
    '',
  );

  if (options.verbose) {
    const counts = goldCounts(lines);
    const types = GOLD_TYPES.filter((type) => counts.byType[type]);
    out.push(
      'Gold spans per type and language:',
      table(
        ['type', ...counts.languages, 'all'],
        types.map((type) => {
          const row = counts.byType[type]!;
          const cells = counts.languages.map((lang) => String(row[lang] ?? 0));
          return [type, ...cells, String(Object.values(row).reduce((a, b) => a + b, 0))];
        }),
      ),
      '',
    );
    out.push(...formatMistakes(evaluation), '');
  }

  out.push('Targets (issue 17):', ...evaluation.targets.map(describeTarget));
  return out.join('\n') + '\n';
}

function formatMistakes(evaluation: Evaluation): string[] {
  const out: string[] = [];
  const where = (line: CorpusLine): string => `${line.source}:${line.lineNumber}`;
  const quote = (text: string, span: { start: number; end: number }): string => JSON.stringify(text.slice(span.start, span.end));
  const falsePositives = evaluation.results.flatMap((r) => r.falsePositives.map((fp) => ({ line: r.line, fp })));
  const falseNegatives = evaluation.results.flatMap((r) => r.falseNegatives.map((fn) => ({ line: r.line, fn })));

  out.push(`False positives (${falsePositives.length}):`);
  for (const { line, fp } of falsePositives) {
    const on = fp.decoy ? ` on hard negative ${fp.decoy.kind}` : fp.gold ? ` on gold ${fp.gold.type} ${JSON.stringify(fp.gold.text)}` : '';
    out.push(`  ${where(line)}  ${fp.span.type} ${quote(line.text, fp.span)}${on}`, `      ${line.text}`);
  }
  out.push('', `False negatives (${falseNegatives.length}):`);
  for (const { line, fn } of falseNegatives) {
    const near = fn.overlapping ? ` (predicted ${fn.overlapping.type} ${quote(line.text, fn.overlapping)})` : '';
    out.push(`  ${where(line)}  ${fn.gold.type} ${JSON.stringify(fn.gold.text)}${near}`, `      ${line.text}`);
  }
  return out;
}

export function formatJson(evaluation: Evaluation, lines: readonly CorpusLine[], options: ReportOptions): string {
  return JSON.stringify(jsonReport(evaluation, lines, options), null, 2) + '\n';
}

/** The evaluation of one part of the corpus as a JSON-ready object. */
export function jsonReport(evaluation: Evaluation, lines: readonly CorpusLine[], options: ReportOptions): Record<string, unknown> {
  const mistakes = options.verbose
    ? {
        falsePositives: evaluation.results.flatMap((r) =>
          r.falsePositives.map((fp) => ({
            source: r.line.source,
            line: r.line.lineNumber,
            type: fp.span.type,
            start: fp.span.start,
            end: fp.span.end,
            text: r.line.text.slice(fp.span.start, fp.span.end),
            decoy: fp.decoy?.kind ?? null,
            gold: fp.gold ? { type: fp.gold.type, text: fp.gold.text } : null,
            lineText: r.line.text,
          })),
        ),
        falseNegatives: evaluation.results.flatMap((r) =>
          r.falseNegatives.map((fn) => ({
            source: r.line.source,
            line: r.line.lineNumber,
            type: fn.gold.type,
            start: fn.gold.start,
            end: fn.gold.end,
            text: fn.gold.text,
            predicted: fn.overlapping ? { type: fn.overlapping.type, text: r.line.text.slice(fn.overlapping.start, fn.overlapping.end) } : null,
            lineText: r.line.text,
          })),
        ),
      }
    : {};
  const document = {
    corpus: { dir: options.corpusDir, lines: lines.length, gold: goldCounts(lines).byType },
    matching: evaluation.mode,
    types: evaluation.byType,
    nationalIds: evaluation.nationalIds,
    overall: evaluation.overall,
    languages: evaluation.byLanguage,
    hardNegatives: evaluation.decoys,
    targets: evaluation.targets.map((t) => ({
      type: t.type,
      measure: t.measure,
      min: t.min,
      pass: t.pass,
      precision: t.metrics.precision,
      recall: t.metrics.recall,
      f2: t.metrics.f2,
    })),
    allTargetsMet: evaluation.targets.every((t) => t.pass),
    ...mistakes,
  };
  return document;
}
