/**
 * The labelled corpus: one .txt file per language (fixtures/detect-corpus/<lang>.txt), one
 * chat line per text line, with the personal data marked inline:
 *
 *   Hi, I'm [[PERSON:Jane Doe]], mail me at [[EMAIL:jane@example.org]]
 *   Order [[!ORDER:40321877]] was [[!PRICE:€49.99]]
 *
 * `[[TYPE:text]]` is a gold span of one of GOLD_TYPES; `[[!KIND:text]]` is a hard negative
 * (one of DECOY_KINDS): text that must not be detected, marked so that a false positive on
 * it can be named. Lines starting with `#` and blank lines are skipped. The loader turns
 * each line into its plain text and the spans' offsets in UTF-16 code units (JavaScript
 * string indices), checks every label (checksums, libphonenumber, shapes) and reports every
 * problem of every file at once.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ibanProblem, luhnValid, cardIssuer } from './checksums.js';
import { decoyProblem, goldProblem, isDecoyKind, isGoldType, type DecoyKind, type GoldType } from './labels.js';

export interface GoldSpan {
  type: GoldType;
  start: number;
  end: number;
  text: string;
}

export interface DecoySpan {
  kind: DecoyKind;
  start: number;
  end: number;
  text: string;
}

/** The development part (detectors are tuned on it) or the sealed test part (written before a change, scored at its end). */
export type CorpusPart = 'dev' | 'sealed';

export interface CorpusLine {
  /** The file's path under the corpus, e.g. "dev/fr.txt". */
  source: string;
  part: CorpusPart;
  lang: string;
  /** 1-based line number in the file. */
  lineNumber: number;
  text: string;
  gold: GoldSpan[];
  decoys: DecoySpan[];
}

export interface CorpusProblem {
  source: string;
  lineNumber: number;
  message: string;
}

export class CorpusError extends Error {
  constructor(readonly problems: CorpusProblem[]) {
    super(
      `The detection corpus has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  ${p.source}:${p.lineNumber}: ${p.message}`).join('\n'),
    );
    this.name = 'CorpusError';
  }
}

const MARK = /\[\[(!?)([A-Za-z_]+):([^[\]]*)\]\]/g;

export interface ParsedFile {
  lines: CorpusLine[];
  problems: CorpusProblem[];
}

/**
 * Parses one corpus file; `lang` is the language of its text. A `\\n` in a line stands for a
 * line break of the text (a multi-line address, a form), inside a span or outside.
 */
export function parseCorpusFile(source: string, lang: string, content: string, part: CorpusPart = 'dev'): ParsedFile {
  const lines: CorpusLine[] = [];
  const problems: CorpusProblem[] = [];
  content.split(/\r?\n/).forEach((raw, index) => {
    const lineNumber = index + 1;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const report = (message: string): void => void problems.push({ source, lineNumber, message });
    const line = parseLine(raw.replaceAll('\\n', '\n'), report);
    if (!line) return;
    lines.push({ source, part, lang, lineNumber, ...line });
    for (const span of line.gold) {
      const problem = goldProblem(span.type, span.text);
      if (problem) report(`gold ${span.type} "${span.text}": ${problem}`);
    }
    for (const span of line.decoys) {
      const problem = decoyProblem(span.kind, span.text);
      if (problem) report(`decoy ${span.kind} "${span.text}" ${problem}`);
    }
    for (const message of unlabelledData(line.text, [...line.gold, ...line.decoys])) report(message);
  });
  return { lines, problems };
}

function parseLine(raw: string, report: (message: string) => void): Pick<CorpusLine, 'text' | 'gold' | 'decoys'> | undefined {
  let text = '';
  let consumed = 0;
  const gold: GoldSpan[] = [];
  const decoys: DecoySpan[] = [];
  let ok = true;
  for (const match of raw.matchAll(MARK)) {
    const [whole, negated, label, content] = match as unknown as [string, string, string, string];
    text += raw.slice(consumed, match.index);
    consumed = match.index + whole.length;
    const start = text.length;
    text += content;
    const span = { start, end: text.length, text: content };
    if (content === '' || content.trim() !== content) {
      report(`"${whole}": a marked span is not empty and has no surrounding spaces`);
      ok = false;
    } else if (negated) {
      if (isDecoyKind(label)) decoys.push({ kind: label, ...span });
      else {
        report(`"${whole}": unknown hard-negative kind ${label}`);
        ok = false;
      }
    } else if (isGoldType(label)) gold.push({ type: label, ...span });
    else {
      report(`"${whole}": unknown type ${label}`);
      ok = false;
    }
  }
  text += raw.slice(consumed);
  if (text.includes('[[') || text.includes(']]')) {
    report('unbalanced or malformed [[...]] markup');
    ok = false;
  }
  return ok ? { text, gold, decoys } : undefined;
}

/**
 * Personal data left in a line's unmarked text, which would turn a detector's correct find
 * into a false positive: anything with an "@", a valid IBAN, a card number passing Luhn.
 * Only the checks that a human writing the corpus could get wrong silently.
 */
function unlabelledData(text: string, marked: ReadonlyArray<{ start: number; end: number }>): string[] {
  let unmarked = '';
  let at = 0;
  for (const span of [...marked].sort((a, b) => a.start - b.start)) {
    unmarked += text.slice(at, span.start) + ' | ';
    at = span.end;
  }
  unmarked += text.slice(at);
  const messages: string[] = [];
  if (unmarked.includes('@')) messages.push('an "@" outside any marked span: label the address or mark it as a HANDLE');
  for (const [candidate] of unmarked.matchAll(/\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g)) {
    if (ibanProblem(candidate) === undefined) messages.push(`unlabelled valid IBAN "${candidate}"`);
  }
  for (const [candidate] of unmarked.matchAll(/\b\d(?:[ -]?\d){12,18}\b/g)) {
    if (luhnValid(candidate) && cardIssuer(candidate)) messages.push(`unlabelled card number "${candidate}"`);
  }
  return messages;
}

/**
 * The corpus in `dir`: its `dev/` and `sealed/` parts when it has them, or else the .txt files
 * in `dir` itself (one part, dev). A file's language is its name up to the first "-" or "."
 * ("en.txt", "en-us-forms.txt"). Throws CorpusError listing every problem of every file.
 */
export async function loadCorpus(dir: string): Promise<CorpusLine[]> {
  const parts = (['dev', 'sealed'] as const).filter((part) => existsSync(path.join(dir, part)));
  const sources =
    parts.length > 0 ? parts.map((part) => ({ part, dir: path.join(dir, part), prefix: `${part}/` })) : [{ part: 'dev' as const, dir, prefix: '' }];
  const lines: CorpusLine[] = [];
  const problems: CorpusProblem[] = [];
  for (const source of sources) {
    const files = (await readdir(source.dir)).filter((name) => name.endsWith('.txt')).sort();
    for (const file of files) {
      const lang = file.replace(/[-.].*$/, '');
      const parsed = parseCorpusFile(source.prefix + file, lang, await readFile(path.join(source.dir, file), 'utf8'), source.part);
      lines.push(...parsed.lines);
      problems.push(...parsed.problems);
    }
  }
  if (lines.length === 0 && problems.length === 0) problems.push({ source: dir, lineNumber: 0, message: 'no corpus lines (.txt files)' });
  if (problems.length > 0) throw new CorpusError(problems);
  return lines;
}
