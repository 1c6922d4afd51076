import { detect, type DetectOptions, type PiiType } from '../detect/index.js';

/** What stands in the context for a searched word (and for personal data it is part of). */
export const MATCH_MASK = '•••';

/** Characters of context shown on either side of the first match. */
export const CONTEXT_RADIUS = 30;

/**
 * The detectors read this much more text on either side of the context than is shown, so that
 * an e-mail or an IBAN cut by the context's edge is still recognised (and masked) whole.
 */
const DETECTION_MARGIN = 200;

/** A context's edge moves to a word boundary when one is this close, rather than cut a word. */
const SNAP = 12;

/** A span of the original text (UTF-16 offsets). */
interface Region {
  start: number;
  end: number;
  /** The text shown instead: MATCH_MASK for a searched word, `[EMAIL]`... for detected data. */
  mask: string;
  match: boolean;
}

/**
 * `text` lower-cased as JavaScript (and lethe's SQLite `lowerCase`) folds it, with, for every
 * unit of the folded text, the original range it came from: `İ` folds to two units, so
 * offsets found in the folded text cannot be used on the original as they are.
 */
export function foldCase(text: string): { folded: string; start: number[]; end: number[] } {
  let byCodePoint = '';
  const start: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < text.length; ) {
    const codePoint = text.codePointAt(i)!;
    const width = codePoint > 0xffff ? 2 : 1;
    const lower = String.fromCodePoint(codePoint).toLowerCase();
    byCodePoint += lower;
    for (let unit = 0; unit < lower.length; unit++) {
      start.push(i);
      end.push(i + width);
    }
    i += width;
  }
  // Folding the whole text differs only where the context matters (a final Σ becomes ς, not
  // σ), as the words and the database's column were folded; it keeps every length.
  const whole = text.toLowerCase();
  return { folded: whole.length === byCodePoint.length ? whole : byCodePoint, start, end };
}

/** The words, folded, that `text` holds (case-insensitively, anywhere, as LIKE '%word%' does). */
export function wordsIn(text: string, words: readonly string[]): Set<string> {
  const folded = text.toLowerCase();
  return new Set(words.filter((word) => folded.includes(word)));
}

/** Every occurrence of each (folded) word in `text`, as ranges of the original text. */
function occurrences(text: string, words: readonly string[]): Region[] {
  const { folded, start, end } = foldCase(text);
  const found: Region[] = [];
  for (const word of words) {
    if (word === '') continue;
    for (let at = folded.indexOf(word); at !== -1; at = folded.indexOf(word, at + word.length)) {
      found.push({ start: start[at]!, end: end[at + word.length - 1]!, mask: MATCH_MASK, match: true });
    }
  }
  return found;
}

export interface ContextOptions {
  /** Show the text as it is: no mask on the match, no detectors. */
  showValues?: boolean;
  /** The map's detection settings (allow and deny lists, threshold, phone regions). */
  detection?: DetectOptions;
  radius?: number;
}

/**
 * A short, one-line excerpt of `text` around the first occurrence of any of `words` (folded
 * to lower case), about `radius` characters either side. Unless `showValues`, every
 * occurrence of a word in it becomes `•••` and whatever the detectors find there becomes its
 * placeholder (`[EMAIL]`, `[PHONE]`, `[NAME]`...); a piece of personal data that holds the
 * match or crosses the excerpt's edge is masked whole, never cut. Undefined when no word occurs.
 */
export function matchContext(text: string, words: readonly string[], options: ContextOptions = {}): string | undefined {
  const matches = occurrences(text, words).sort((a, b) => a.start - b.start || b.end - a.end);
  const first = matches[0];
  if (!first) return undefined;
  const radius = options.radius ?? CONTEXT_RADIUS;
  let from = snapStart(text, Math.max(0, first.start - radius), first.start);
  let to = snapEnd(text, Math.min(text.length, first.end + radius), first.end);
  let regions: Region[] = [];
  if (!options.showValues) {
    const readFrom = Math.max(0, from - DETECTION_MARGIN);
    const readTo = Math.min(text.length, to + DETECTION_MARGIN);
    // Masking what an excerpt shows favours recall, as redact does.
    const detected = detect(text.slice(readFrom, readTo), { ...options.detection, purpose: 'redact' }).map(
      (span): Region => ({ start: span.start + readFrom, end: span.end + readFrom, mask: placeholderOf(span.type), match: false }),
    );
    regions = merged([...matches, ...detected].filter((r) => r.end > from && r.start < to));
    // A region that crosses an edge is shown whole, as its mask: nothing of it leaks half-cut.
    for (const region of regions) {
      from = Math.min(from, region.start);
      to = Math.max(to, region.end);
    }
  }
  let shown = '';
  let at = from;
  for (const region of regions) {
    shown += text.slice(at, region.start) + region.mask;
    at = region.end;
  }
  shown += text.slice(at, to);
  return `${from > 0 ? '…' : ''}${shown.replace(/\s+/g, ' ')}${to < text.length ? '…' : ''}`;
}

/** Overlapping regions become one; it is the match's mask when it holds a match. */
function merged(regions: Region[]): Region[] {
  const sorted = [...regions].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Region[] = [];
  for (const region of sorted) {
    const last = out[out.length - 1];
    if (last && region.start < last.end) {
      last.end = Math.max(last.end, region.end);
      if (region.match && !last.match) Object.assign(last, { mask: MATCH_MASK, match: true });
    } else {
      out.push({ ...region });
    }
  }
  return out;
}

/** `[EMAIL]`, `[PHONE]`...; a person's name is `[NAME]`, as redact writes them. */
function placeholderOf(type: PiiType): string {
  return type === 'PERSON' ? '[NAME]' : type === 'DENY' ? '[REDACTED]' : `[${type}]`;
}

/** Moves a cut forward to the start of the next word when one is near, never past the match. */
function snapStart(text: string, from: number, limit: number): number {
  if (from === 0 || /\s/.test(text[from - 1]!)) return from;
  for (let i = from; i < Math.min(limit, from + SNAP); i++) if (/\s/.test(text[i]!)) return i + 1;
  return isLowSurrogate(text, from) ? from + 1 : from;
}

/** Moves a cut back to the end of the previous word when one is near, never before the match. */
function snapEnd(text: string, to: number, limit: number): number {
  if (to === text.length || /\s/.test(text[to]!)) return to;
  for (let i = to - 1; i >= Math.max(limit, to - SNAP); i--) if (/\s/.test(text[i]!)) return i;
  return isLowSurrogate(text, to) ? to + 1 : to;
}

function isLowSurrogate(text: string, index: number): boolean {
  const unit = text.charCodeAt(index);
  return unit >= 0xdc00 && unit <= 0xdfff;
}
