/**
 * `npm run eval:detect`: how accurate lethe's detectors are on the labelled corpus in
 * fixtures/detect-corpus (see eval/corpus.ts for its markup and eval/score.ts for the
 * matching rule).
 *
 *   npm run eval:detect -- [--json] [--verbose] [--overlap] [--types EMAIL,PHONE] [--corpus DIR]
 *
 * Prints precision, recall and F2 per type, per language and overall (micro-averaged), how
 * many hard negatives of each kind were hit, and PASS or FAIL for each target of issue 6.
 * Exits 0 whatever the figures (they are a measurement, not a gate); 2 when the corpus is
 * malformed (a label failing its checksum, unknown markup: every problem is listed) or an
 * option is wrong.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { detect } from '../src/detect/index.js';
import { CorpusError, loadCorpus } from './corpus.js';
import { evaluate } from './evaluate.js';
import { formatJson, formatText } from './report.js';

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
  --corpus DIR    read the corpus from DIR (default fixtures/detect-corpus)
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

  const corpusDir = values.corpus ? path.resolve(values.corpus) : defaultCorpusDir();
  let lines;
  try {
    lines = await loadCorpus(corpusDir);
  } catch (error) {
    if (!(error instanceof CorpusError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }

  const types = values.types?.split(',').map((t) => t.trim().toUpperCase()).filter(Boolean);
  const evaluation = evaluate(lines, (text) => detect(text), { mode: values.overlap ? 'overlap' : 'boundary', ...(types && { types }) });
  const shown = path.relative(process.cwd(), corpusDir) || '.';
  const options = { corpusDir: shown, verbose: values.verbose };
  process.stdout.write(values.json ? formatJson(evaluation, lines, options) : formatText(evaluation, lines, options));
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
