/**
 * `npm run eval:detect`: how accurate lethe's detectors are on the labelled corpus in
 * fixtures/detect-corpus (see eval/corpus.ts for its markup and eval/score.ts for the
 * matching rule).
 *
 *   npm run eval:detect -- [--json] [--verbose] [--overlap] [--types EMAIL,PHONE] [--part dev|sealed] [--check] [--corpus DIR]
 *
 * For each part of the corpus (dev/, on which the detectors are tuned, and sealed/, written
 * before a change and scored at its end), prints precision, recall and F2 per type, per
 * language and overall (micro-averaged), how many hard negatives of each kind were hit, and
 * PASS or FAIL for each target of issue 17; the sealed part's verdict is the one that counts.
 * Exits 0 whatever the figures (they are a measurement, not a gate); 2 when the corpus is
 * malformed (a label failing its checksum, unknown markup: every problem is listed) or an
 * option is wrong.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { detect } from '../src/detect/index.js';
import { CorpusError, loadCorpus, type CorpusLine } from './corpus.js';
import { evaluate } from './evaluate.js';
import { formatText, jsonReport } from './report.js';

const HELP = `Usage: npm run eval:detect -- [options]

Scores lethe's PII detectors against the labelled corpus.

Example:
  npm run eval:detect
  npm run eval:detect -- --verbose --types IBAN,PHONE
  npm run -s eval:detect -- --json > eval.json     (-s: without npm's own banner)

Options:
  --json          one JSON document on stdout
  --verbose       also list every false positive and false negative with its line, and the
                  corpus's gold span counts per type and language
  --overlap       count any overlap of the same type as a match (lenient); the default needs
                  the bounds to agree up to surrounding punctuation and whitespace
  --types LIST    only these types, e.g. EMAIL,PHONE
  --part PART     only this part: dev (the detectors are tuned on it) or sealed (the test
                  part: score it at the end of a change, not during it)
  --purpose P     what the detectors are scored for: redact (the default: what a sweep
                  anonymizes, recall first) or find (what is surely personal data)
  --check         only check the corpus's markup and labels, and count its spans
  --corpus DIR    read the corpus from DIR (default fixtures/detect-corpus; a DIR with dev/
                  and sealed/ has two parts, any other DIR's .txt files are one dev part)
`;

/** fixtures/detect-corpus of the checkout this file is in, whether run from eval/ or dist/eval/. */
function defaultCorpusDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'fixtures', 'detect-corpus');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('fixtures/detect-corpus not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        overlap: { type: 'boolean', default: false },
        types: { type: 'string' },
        part: { type: 'string' },
        purpose: { type: 'string', default: 'redact' },
        check: { type: 'boolean', default: false },
        corpus: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const purpose = values.purpose;
  if (purpose !== 'find' && purpose !== 'redact') {
    process.stderr.write(`--purpose: find or redact (not "${purpose}")\n\n${HELP}`);
    return 2;
  }
  const part = values.part;
  if (part !== undefined && part !== 'dev' && part !== 'sealed') {
    process.stderr.write(`--part: dev or sealed (not "${part}")\n\n${HELP}`);
    return 2;
  }

  const corpusDir = values.corpus ? path.resolve(values.corpus) : defaultCorpusDir();
  let lines;
  try {
    lines = await loadCorpus(corpusDir);
  } catch (error) {
    if (!(error instanceof CorpusError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }

  const shown = path.relative(process.cwd(), corpusDir) || '.';
  if (values.check) {
    process.stdout.write(describeCorpus(lines, shown));
    return 0;
  }
  const types = values.types
    ?.split(',')
    .map((t) => t.trim().toUpperCase())
    .filter(Boolean);
  const parts = PARTS.filter((p) => (part === undefined || p.part === part) && lines.some((line) => line.part === p.part));
  const reports = parts.map((p) => {
    const ofPart = lines.filter((line) => line.part === p.part);
    const evaluation = evaluate(ofPart, (text) => detect(text, { purpose }), { mode: values.overlap ? 'overlap' : 'boundary', ...(types && { types }) });
    const options = { corpusDir: `${shown}${parts.length > 1 || ofPart.length < lines.length ? ` (${p.part})` : ''}`, verbose: values.verbose };
    return { part: p, evaluation, ofPart, options };
  });
  if (values.json) {
    const document = Object.fromEntries(reports.map((r) => [r.part.part, jsonReport(r.evaluation, r.ofPart, r.options)]));
    process.stdout.write(JSON.stringify({ parts: document }, null, 2) + '\n');
  } else {
    process.stdout.write(reports.map((r) => `== ${r.part.title} ==\n\n${formatText(r.evaluation, r.ofPart, r.options)}`).join('\n'));
  }
  return 0;
}

const PARTS = [
  { part: 'dev', title: 'Development part (dev/): the detectors are tuned on it' },
  { part: 'sealed', title: 'Sealed test part (sealed/): written before a change, scored at its end; the targets are judged here' },
] as const;

/** Lines and gold spans per part, file and type: what `--check` prints once the corpus is sound. */
function describeCorpus(lines: readonly CorpusLine[], shown: string): string {
  const out = [`Corpus ${shown}: sound (every label passes its checks)`];
  for (const part of ['dev', 'sealed'] as const) {
    const ofPart = lines.filter((line) => line.part === part);
    if (ofPart.length === 0) continue;
    const spans = ofPart.flatMap((line) => line.gold);
    out.push(`${part}: ${ofPart.length} lines, ${spans.length} gold spans, ${ofPart.reduce((n, l) => n + l.decoys.length, 0)} hard negatives`);
    for (const source of [...new Set(ofPart.map((line) => line.source))]) {
      const ofSource = ofPart.filter((line) => line.source === source);
      const counts = new Map<string, number>();
      for (const gold of ofSource.flatMap((line) => line.gold)) counts.set(gold.type, (counts.get(gold.type) ?? 0) + 1);
      out.push(`  ${source}: ${ofSource.length} lines; ${[...counts].map(([type, n]) => `${type} ${n}`).join(', ')}`);
    }
  }
  return out.join('\n') + '\n';
}

process.exitCode = await main(process.argv.slice(2));
