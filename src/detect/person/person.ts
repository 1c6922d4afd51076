import type { Detector, Span } from '../types.js';
import { NOT_NAMES } from './common-words.js';
import { AMBIGUOUS_NAMES, FIRST_NAMES } from './first-names.js';
import { triggerBefore, type Trigger } from './triggers.js';

/**
 * Names of people, from two kinds of evidence: a known first name (offline lists), and the
 * words that put a name where it is (greetings, introductions, titles, sign-offs, labels).
 * Either alone can be enough; together they are near certain. Capitalised words after a
 * first name are taken as its surname(s).
 */

// A word, with inner apostrophes and hyphens ("O'Brien", "Jean-Luc", "Müller-Lüdenscheidt").
const WORD = /[\p{L}\p{M}]+(?:['’\-][\p{L}\p{M}]+)*/gu;
const PARTICLE = "(?:[vV]an|[vV]on|[dD]er|[dD]en|[dD]e|[dD]el|[dD]ella|[dD]egli|[dD]i|[dD]a|[dD]o|[dD]os|[dD]as|[dD]u|[dD]es|[lL]e|[lL]a|ter|ten|zu|af|y|e|'t|[bB]in|[bB]en|[iI]bn|[aA]l|[eE]l|[aA]bu)";
// After a name: particles and a capitalised word ("van der Berg", "De Luca", "O'Sullivan", "F.").
const SURNAME_PART = new RegExp(
  `[ \\u00A0]+(?:${PARTICLE}[ \\u00A0]+)*(\\p{Lu}(?:[\\p{Ll}\\p{M}]+(?:['’\\-]\\p{Lu}?[\\p{Ll}\\p{M}]+)*|['’]\\p{Lu}[\\p{Ll}\\p{M}]+|\\p{Ll}*\\p{Lu}[\\p{Ll}\\p{M}]+|\\.))(?![\\p{L}\\p{N}@_]|\\.\\p{L}{2})`,
  'uy',
);
// Right before a name: a capitalised word that may be its first name ("Siobhan Kelly").
const WORD_BEFORE = /(?<![\p{L}\p{N}'’-])(\p{Lu}[\p{Ll}\p{M}]+(?:-\p{Lu}[\p{Ll}\p{M}]+)?)[ ]$/u;
// "La Pierre de lave", "Santo Stefano", "der August": an article or a saint makes it a thing or a place.
const ARTICLE_BEFORE = /(?<![\p{L}\p{N}])(?:the|la|le|les|l'|der|die|das|dem|den|des|im|am|el|los|las|il|lo|gli|het|san|santo|santa|saint|sainte|st|sankt|são|sint)\.?[ ]$/iu;
// "amelia here", "Tiago speaking", "Jan hier".
const SELF_NAMED_AFTER = /^[ ,]+(?:here|speaking|ici|hier|aquí|aqui|qui)(?![\p{L}])/iu;
const EMAIL_LOCAL_PART = /([\p{L}\p{N}._%+'-]+)@/gu;
const CONTRACTION = /['’](?!\p{Lu})/u;
const LETTER = /\p{L}/u;
const REST_OF_LINE_EMPTY = /^[\s.,!]*$/u;

function isFirstName(lower: string): boolean {
  if (FIRST_NAMES.has(lower) || AMBIGUOUS_NAMES.has(lower)) return true;
  const hyphen = lower.indexOf('-');
  return hyphen > 0 && FIRST_NAMES.has(lower.slice(0, hyphen));
}

function isCapitalised(word: string): boolean {
  const first = word[0]!;
  if (first === first.toLowerCase()) return false;
  // "JANE" in capitals is as likely an acronym or shouting as a name.
  return word.length === 1 || word.slice(1) !== word.slice(1).toUpperCase();
}

/** Inside an e-mail address, a URL, a handle or a file name: "jane.doe@", "@jane", "jane_doe". */
function isGluedToNonText(text: string, start: number, end: number): boolean {
  const before = text[start - 1];
  const after = text[end];
  if (before === '@' || before === '_' || before === '/' || before === '#' || before === '.' || isDigit(before)) return true;
  if (after === '@' || after === '_' || isDigit(after)) return true;
  return after === '.' && LETTER.test(text[end + 1] ?? '');
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

/** Whether the word starts a sentence, where capitals say nothing about names. */
function startsSentence(text: string, start: number): boolean {
  for (let i = start - 1; i >= 0; i--) {
    const char = text[i]!;
    if (char === ' ' || char === '\t' || char === '"' || char === '“' || char === '«' || char === '(' || char === '¿' || char === '¡') continue;
    return char === '.' || char === '!' || char === '?' || char === '\n' || char === '\r' || char === ':';
  }
  return true;
}

/** The end of the surname(s) following a first name, or `end` when none follows. */
function surnameEnd(text: string, end: number, limit: number): number {
  let last = end;
  for (let taken = 0; taken < limit; taken++) {
    SURNAME_PART.lastIndex = last;
    const match = SURNAME_PART.exec(text);
    if (!match) break;
    const word = match[1]!;
    if (NOT_NAMES.has(word.toLowerCase())) break;
    last = SURNAME_PART.lastIndex;
  }
  return last;
}

/** Nothing but punctuation follows on the line, or a comma or dash (a signature: "Katrin Vogel, Kundenservice"). */
function endsSignature(text: string, end: number): boolean {
  for (let i = end; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\n' || char === '\r' || char === ',' || char === '–' || char === '—' || char === '<' || char === '(') return true;
    if (char !== ' ' && char !== '\t' && char !== '.' && char !== '!') return false;
  }
  return true;
}

/** Alone on its line, give or take spaces and a full stop (looking no further than a line's worth). */
function isWholeLine(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 80), start);
  const newline = before.lastIndexOf('\n');
  if (newline === -1 ? start > 80 || before.trim() !== '' : before.slice(newline + 1).trim() !== '') return false;
  const after = text.slice(end, end + 80);
  const lineEnd = after.indexOf('\n');
  return REST_OF_LINE_EMPTY.test(lineEnd === -1 ? (end + 80 >= text.length ? after : 'x') : after.slice(0, lineEnd));
}

/** Words of the local parts of the e-mail addresses in the text: "Fleur – fleur.v@example.org". */
function emailLocalWords(text: string): ReadonlySet<string> {
  const words = new Set<string>();
  for (const match of text.matchAll(EMAIL_LOCAL_PART)) {
    for (const word of match[1]!.toLowerCase().split(/[._%+'\d-]+/u)) if (word.length >= 3) words.add(word);
  }
  return words;
}

interface Evidence {
  trigger: Trigger | undefined;
  /** In the first-name lists. */
  known: boolean;
  /** A first name that is also an everyday word ("Will", "Rose", "Mercedes"). */
  ambiguous: boolean;
  capitalised: boolean;
  /** A surname follows. */
  fullName: boolean;
  sentenceStart: boolean;
  /** Followed by end of line, a comma or a dash, as a signature is. */
  signature: boolean;
}

/**
 * About 0.95 with a trigger and a known name, 0.75 to 0.9 with one strong piece of evidence,
 * 0.55 to 0.65 with weak evidence alone, under 0.5 (dropped by default) for a name that is
 * also an everyday word and nothing else.
 */
function scoreOf(e: Evidence): number {
  if (!e.capitalised) {
    // Lowercase chat ("hi jane", "my name is jane") counts after a trigger, for known names only.
    if (!e.known || e.ambiguous) return 0;
    switch (e.trigger) {
      case 'introduction':
      case 'title':
      case 'greeting':
      case 'sign-off':
        return 0.8;
      case 'weak-introduction':
      case 'label':
        return 0.7;
      default:
        return 0;
    }
  }
  switch (e.trigger) {
    case 'introduction':
    case 'title':
      return e.known ? 0.97 : 0.9;
    case 'sign-off':
      return e.known ? 0.95 : e.signature ? 0.8 : 0;
    case 'greeting':
      return e.known ? 0.95 : 0.75;
    case 'label':
      return e.known ? 0.95 : e.fullName ? 0.8 : 0.45;
    case 'relation':
      return e.known ? 0.95 : 0.75;
    case 'weak-introduction':
      return e.known ? 0.95 : 0.55;
    case 'weak-relation':
      if (e.known) return e.ambiguous && !e.fullName ? 0.45 : 0.9;
      break;
    default:
  }
  if (!e.known) return 0;
  if (e.ambiguous) return e.fullName ? (e.sentenceStart ? 0.45 : 0.6) : 0.25;
  if (e.fullName) return 0.88;
  return e.sentenceStart ? 0.62 : 0.75;
}

export function findPersons(text: string): Span[] {
  const spans: Span[] = [];
  let localWords: ReadonlySet<string> | undefined;
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match !== null; match = WORD.exec(text)) {
    const word = match[0];
    const wordEnd = match.index + word.length;
    const capitalised = isCapitalised(word);
    // Most words are lowercase and not names: one set lookup and on.
    const lower = capitalised ? word.toLowerCase() : word;
    const known = isFirstName(lower);
    if (!capitalised && !known) continue;
    if (capitalised && !known && NOT_NAMES.has(lower)) continue;
    // "I'm", "It's", "L'adresse": a contraction, not "O'Brien".
    if (CONTRACTION.test(word)) continue;
    const ambiguous = AMBIGUOUS_NAMES.has(lower);
    if (!capitalised && ambiguous) continue;
    if (isGluedToNonText(text, match.index, wordEnd)) continue;

    const trigger = triggerBefore(text, match.index);
    const end = capitalised ? surnameEnd(text, wordEnd, trigger === 'title' ? 2 : 3) : wordEnd;
    let start = match.index;
    const sentenceStart = startsSentence(text, start);
    let value = scoreOf({
      trigger,
      known,
      ambiguous,
      capitalised,
      fullName: end > wordEnd,
      sentenceStart,
      signature: endsSignature(text, end),
    });
    const around = text.slice(Math.max(0, start - 12), start);
    if (value > 0 && trigger !== 'introduction' && trigger !== 'title' && ARTICLE_BEFORE.test(around)) value = Math.min(value, 0.3);
    // "Santiago de Compostela": a place, as an everyday word with a particle is more likely to be.
    if (ambiguous && trigger === undefined && end > wordEnd && /^[ ]+\p{Ll}/u.test(text.slice(wordEnd, end))) value = Math.min(value, 0.4);
    // "May 6th", "August 2024": a month.
    if (ambiguous && /^ \d/u.test(text.slice(end, end + 2))) value = Math.min(value, 0.2);
    if (known && value < 0.85 && SELF_NAMED_AFTER.test(text.slice(end, end + 12))) value = 0.85;
    // A first name and a surname alone on their line: a signature ("Pilar Domínguez").
    if (known && end > wordEnd && value < 0.7 && isWholeLine(text, start, end)) value = 0.7;
    if (known && value < 0.85 && text.includes('@')) {
      localWords ??= emailLocalWords(text);
      if (localWords.has(lower)) value = 0.85;
    }
    if (value <= 0) continue;
    // "Siobhan Kelly": a known name after an unknown capitalised word may be the surname.
    if (known && !ambiguous && value >= 0.5 && trigger === undefined && !sentenceStart) {
      const before = WORD_BEFORE.exec(text.slice(Math.max(0, start - 30), start));
      if (before && !NOT_NAMES.has(before[1]!.toLowerCase()) && !startsSentence(text, start - before[0].length)) {
        start -= before[0].length;
        value = Math.max(value, 0.8);
      }
    }
    spans.push({ type: 'PERSON', start, end, score: value });
    WORD.lastIndex = end;
  }
  return spans;
}

export const personDetector: Detector = {
  type: 'PERSON',
  mayContain: () => true,
  find: (text) => findPersons(text),
};
