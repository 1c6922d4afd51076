import type { Detector, Span } from '../types.js';
import { NOT_NAMES } from './common-words.js';
import { AMBIGUOUS_NAMES, FIRST_NAMES } from './first-names.js';
import { isEverydayWord, isListedFirstName, isPlaceOrFirmWord, SURNAMES } from './lexicons.js';
import { TITLE_WORDS, triggerBefore, type Trigger } from './triggers.js';

/**
 * Names of people, from two kinds of evidence: a known first name (offline lists), and the
 * words that put a name where it is (greetings, introductions, titles, sign-offs, labels).
 * Either alone can be enough; together they are near certain. Capitalised words after a
 * first name are taken as its surname(s).
 */

// A word, with inner apostrophes and hyphens ("O'Brien", "Jean-Luc", "Müller-Lüdenscheidt").
const WORD = /[\p{L}\p{M}]+(?:['’\-][\p{L}\p{M}]+)*/gu;
const PARTICLE =
  "(?:[vV]an|[vV]on|[dD]er|[dD]en|[dD]e|[dD]el|[dD]ella|[dD]egli|[dD]i|[dD]a|[dD]o|[dD]os|[dD]as|[dD]u|[dD]es|[lL]e|[lL]a|ter|ten|zu|af|y|'t|[bB]in|[bB]en|[iI]bn|[aA]l|[eE]l|[aA]bu)";
// After a name: particles and a capitalised word ("van der Berg", "De Luca", "O'Sullivan", "F.").
const SURNAME_PART = new RegExp(
  `[ \\u00A0]+(?:${PARTICLE}[ \\u00A0]+)*(\\p{Lu}(?:[\\p{Ll}\\p{M}]+(?:['’\\-]\\p{Lu}?[\\p{Ll}\\p{M}]+)*|['’]\\p{Lu}[\\p{Ll}\\p{M}]+|\\p{Ll}*\\p{Lu}[\\p{Ll}\\p{M}]+|\\.))(?![\\p{L}\\p{N}@_]|\\.\\p{L}{2})`,
  'uy',
);
// Right before a name: a capitalised word that may be its first name ("Siobhan Kelly").
const WORD_BEFORE = /(?<![\p{L}\p{N}'’-])(\p{Lu}[\p{Ll}\p{M}]+(?:-\p{Lu}[\p{Ll}\p{M}]+)?)[ ]$/u;
// Before a word: a number, or a preposition of place.
const NUMBER_OR_PLACE_BEFORE = /(?:\d|(?<![\p{L}])(?:in|at|near|to|à|au|aux|en|nach|im|bei|zu|em|no|na|naar|te|op|uit|via|vers|hacia|desde|verso|per)) $/iu;
// The capitalised word right after another: "Tower" in "Opal Tower".
const PLACE_OR_FIRM_AFTER = /^[ ]+(\p{Lu}[\p{Ll}\p{M}]+)/u;
// Right before a name: one to three initials ("J. ", "A. K. ").
const INITIALS_BEFORE = /(?<![\p{L}\p{N}.])(?:\p{Lu}\.[ ]?){1,3}[ ]?$/u;
// "La Pierre de lave", "Santo Stefano", "der August": an article or a saint makes it a thing or a place.
const ARTICLE_BEFORE =
  /(?<![\p{L}\p{N}])(?:the|la|le|les|l'|der|die|das|dem|den|des|im|am|el|los|las|il|lo|gli|het|san|santo|santa|saint|sainte|st|sankt|são|sint)\.?[ ]$/iu;
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
    // "J. K. Svoboda": the full stop of an initial ends no sentence.
    if (char === '.' && i >= 1 && /\p{Lu}/u.test(text[i - 1]!) && (i === 1 || !/[\p{L}\p{N}]/u.test(text[i - 2]!))) return false;
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
    if (NOT_NAMES.has(word.toLowerCase()) || isPlaceOrFirmWord(word.toLowerCase())) break;
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
  /** Not in them, but a first name of the large lexicon or a frequent surname (lexicons.ts): weaker evidence. */
  listed: boolean;
  /** A frequent surname (lexicons.ts). */
  surname: boolean;
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
  if (e.listed) return listedScore(e);
  if (!e.capitalised) {
    // Lowercase chat ("hi jane", "my name is jane") counts after a trigger, for known names only.
    if (!e.known || e.ambiguous) return 0;
    switch (e.trigger) {
      case 'introduction':
      case 'title':
      case 'greeting':
      case 'sign-off':
      case 'relation':
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

/**
 * A name of the large lexicons only: with a trigger about as strong as a curated name (a little
 * less), with a surname after it likely (0.65; 0.45 at a sentence's start), alone nothing but
 * a frequent surname in the middle of a sentence (0.45, which redact takes and find does not).
 */
function listedScore(e: Evidence): number {
  if (!e.capitalised) {
    switch (e.trigger) {
      case 'introduction':
      case 'title':
      case 'greeting':
      case 'sign-off':
      case 'label':
      case 'relation':
        return 0.6;
      case 'weak-introduction':
        return 0.45;
      default:
        return 0;
    }
  }
  switch (e.trigger) {
    case 'introduction':
    case 'title':
    case 'relation':
      return 0.9;
    case 'greeting':
    case 'label':
      return 0.85;
    case 'sign-off':
      return e.signature || e.fullName ? 0.85 : 0.4;
    case 'weak-introduction':
      return e.fullName ? 0.8 : 0.55;
    case 'weak-relation':
      return e.fullName ? 0.7 : 0.35;
    default:
  }
  if (e.fullName) return e.sentenceStart ? 0.45 : 0.65;
  if (e.sentenceStart) return 0;
  return e.surname ? 0.45 : 0.35;
}

// After a name written in lower case: a word that may be its surname ("patricia desrosiers").
const LOWER_WORD_AFTER = /^[ ]([\p{Ll}\p{M}]{2,}(?:['’-][\p{Ll}\p{M}]+)*)/u;
const LOWER_PARTICLES = new Set([
  'van',
  'von',
  'de',
  'da',
  'do',
  'dos',
  'das',
  'del',
  'della',
  'di',
  'bin',
  'binti',
  'binte',
  'thi',
  'thị',
  'van',
  'văn',
  'al',
  'el',
  'ibn',
  'ben',
]);
/** Lower-case words that end a lower-case name rather than continue it. */
const NOT_LOWER_SURNAMES = new Set(
  `today tomorrow tonight yesterday now later soon again asap please pls thanks thank too also about regarding re ok okay yes
  no and or but to from with for on at in of by the a an is are was were be been will would should could can has have had
  did does do here there this that who which when if as so not just still already aujourd demain hier merci et ou avec pour
  sur dans heute morgen gestern bitte danke und oder mit für auf hoy mañana ayer gracias por para con oggi domani ieri grazie
  per vandaag morgen gisteren bedankt hoje amanhã ontem obrigado obrigada com`.split(/\s+/u),
);

/**
 * The end of the lower-case surname(s) after a lower-case name, or `end`: frequent surnames,
 * and the last word before the end of the phrase; after a label ("nome:") or at the end of a
 * message, any words that are not everyday ones, up to three.
 */
function lowerSurnameEnd(text: string, end: number, labelled: boolean): number {
  let last = end;
  for (let taken = 0; taken < (labelled ? 3 : 2); taken++) {
    const match = LOWER_WORD_AFTER.exec(text.slice(last, last + 40));
    if (!match) break;
    const word = match[1]!;
    if (NOT_NAMES.has(word) || NOT_LOWER_SURNAMES.has(word) || isEverydayWord(word)) break;
    const after = text.slice(last + match[0].length, last + match[0].length + 1);
    // "nguyen van an", "tran thi mai": a particle or middle name, then the name.
    if (LOWER_PARTICLES.has(word) && after === ' ') {
      const next = LOWER_WORD_AFTER.exec(text.slice(last + match[0].length, last + match[0].length + 40));
      if (next && !NOT_LOWER_SURNAMES.has(next[1]!) && !NOT_NAMES.has(next[1]!)) {
        last += match[0].length + next[0].length;
        continue;
      }
      break;
    }
    // A frequent surname, or the last word before the end of the phrase.
    if (!(labelled || SURNAMES.has(word) || after === '' || /[\n.,;:!?)|]/u.test(after))) break;
    last += match[0].length;
    if (after !== ' ') break;
  }
  return last;
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
    const surname = !known && word.length >= 2 && SURNAMES.has(lower);
    const listed = !known && word.length >= 3 && (surname || isListedFirstName(lower));
    if (!capitalised && !known && !listed) continue;
    if (capitalised && !known && NOT_NAMES.has(lower)) continue;
    // A lower-case word of the large lexicons is a name only right after a trigger, or as the
    // signature that ends a message ("... gracias. jordi puigventós").
    const lowerSignature = !capitalised && isLowerSignature(text, match.index);
    const lowerTrigger = !capitalised && !known && !lowerSignature ? triggerBefore(text, match.index) : undefined;
    if (!capitalised && !known && !lowerSignature && lowerTrigger === undefined) continue;
    // A single letter is an initial (taken with the name after it), not a name.
    if (word.length === 1) continue;
    // A title or a kinship word ("Dona", "Oma") stands before a name; it is not one.
    if (TITLE_WORDS.has(lower) && /^[ ]+\p{Lu}/u.test(text.slice(wordEnd, wordEnd + 3))) continue;
    // "I'm", "It's", "L'adresse": a contraction, not "O'Brien".
    if (CONTRACTION.test(word)) continue;
    const ambiguous = AMBIGUOUS_NAMES.has(lower);
    if (!capitalised && ambiguous) continue;
    if (isGluedToNonText(text, match.index, wordEnd)) continue;

    // "Opal Tower", "Tamar Analytics": a word of the large lexicons naming a building or a firm.
    const nextWord = capitalised ? PLACE_OR_FIRM_AFTER.exec(text.slice(wordEnd, wordEnd + 30)) : null;
    if (listed && nextWord && isPlaceOrFirmWord(nextWord[1]!.toLowerCase())) continue;
    const trigger = lowerTrigger ?? triggerBefore(text, match.index) ?? (lowerSignature ? 'sign-off' : undefined);
    const end = capitalised
      ? surnameEnd(text, wordEnd, trigger === 'title' ? 2 : 3)
      : trigger || lowerSignature
        ? lowerSurnameEnd(text, wordEnd, trigger === 'introduction' || trigger === 'label' || trigger === 'title' || lowerSignature)
        : wordEnd;
    let start = match.index;
    const sentenceStart = startsSentence(text, start);
    let value = scoreOf({
      trigger,
      known,
      listed,
      surname,
      ambiguous,
      capitalised,
      fullName: end > wordEnd,
      sentenceStart,
      signature: endsSignature(text, end),
    });
    const around = text.slice(Math.max(0, start - 12), start);
    // Capped under both thresholds: "the Hilton", "São Paulo".
    if (value > 0 && trigger !== 'introduction' && trigger !== 'title' && ARTICLE_BEFORE.test(around)) value = Math.min(value, 0.2);
    // "Santiago de Compostela": a place, as an everyday word with a particle is more likely to be.
    if (ambiguous && trigger === undefined && end > wordEnd && /^[ ]+\p{Ll}/u.test(text.slice(wordEnd, end))) value = Math.min(value, 0.25);
    // "May 6th", "August 2024": a month.
    if (ambiguous && /^ \d/u.test(text.slice(end, end + 2))) value = Math.min(value, 0.2);
    if (known && value < 0.85 && SELF_NAMED_AFTER.test(text.slice(end, end + 12))) value = 0.85;
    // A first name and a surname alone on their line: a signature ("Pilar Domínguez").
    if (known && end > wordEnd && value < 0.7 && isWholeLine(text, start, end)) value = 0.7;
    if (known && value < 0.85 && text.includes('@')) {
      localWords ??= emailLocalWords(text);
      if (localWords.has(lower)) value = 0.85;
    }
    // A word of the large lexicons alone: not after a number ("3 Tage") or a preposition of place ("in Milano").
    if (listed && !known && end === wordEnd && trigger === undefined && NUMBER_OR_PLACE_BEFORE.test(text.slice(Math.max(0, start - 8), start)))
      value = Math.min(value, 0.2);
    if (value <= 0) continue;
    // "Siobhan Kelly": a known name after an unknown capitalised word may be the surname.
    if (known && !ambiguous && value >= 0.5 && trigger === undefined && !sentenceStart) {
      const before = WORD_BEFORE.exec(text.slice(Math.max(0, start - 30), start));
      if (before && !NOT_NAMES.has(before[1]!.toLowerCase()) && !startsSentence(text, start - before[0].length)) {
        start -= before[0].length;
        value = Math.max(value, 0.8);
      }
    }
    // "Tigist Bekele", "Sanna Korhonen": a frequent surname after a capitalised word that is not a common one.
    if (surname && capitalised && trigger === undefined && start === match.index) {
      const before = WORD_BEFORE.exec(text.slice(Math.max(0, start - 30), start));
      const first = before?.[1]?.toLowerCase();
      const atStart = before !== null && startsSentence(text, start - before[0].length);
      if (
        before &&
        first !== undefined &&
        !NOT_NAMES.has(first) &&
        !isEverydayWord(first) &&
        (!atStart || !isEverydayWord(first)) &&
        !ARTICLE_BEFORE.test(text.slice(Math.max(0, start - before[0].length - 12), start - before[0].length))
      ) {
        start -= before[0].length;
        value = Math.max(value, atStart ? 0.55 : 0.7);
      }
    }
    // "P. Kowalczyk", "A. K. Raghavan": initials before a surname.
    if (capitalised && start === match.index && value >= 0.3) {
      const initials = INITIALS_BEFORE.exec(text.slice(Math.max(0, start - 12), start));
      if (initials) start -= initials[0].length;
    }
    // "Meron Girma's": the possessive is not part of the name.
    const possessive = /['’]s$/u.test(text.slice(start, end)) ? 2 : 0;
    spans.push({ type: 'PERSON', start, end: end - possessive, score: value });
    WORD.lastIndex = end;
  }
  return spans.length === 0 ? spans : withNamesAgain(text, spans);
}

// A capitalised word as a whole word (with inner apostrophes and hyphens).
const CAPITALISED_WORD = /(?<![\p{L}\p{N}@._-])\p{Lu}[\p{Ll}\p{M}]+(?:['’-]\p{Lu}?[\p{Ll}\p{M}]+)*(?![\p{L}\p{N}@_]|\.\p{L})/gu;
// A list of capitalised words: "Hollis, Adeyemi, Wójcik and Fairbairn", "Kónya, Becker e Vasquez".
const NAME_LIST = /\p{Lu}[\p{Ll}\p{M}'’-]+(?:(?:,[ ]+|[ ]+(?:and|und|et|y|e|en|i|og|och|ja|és|a|&)[ ]+)\p{Lu}[\p{Ll}\p{M}'’-]+){1,8}/gu;
const LIST_SEPARATOR = /,[ ]+|[ ]+(?:and|und|et|y|e|en|i|og|och|ja|és|a|&)[ ]+/u;

/**
 * Names the text has given already, found again: a surname of a full name standing alone
 * later ("Mehta ... Mehta said"), and the other members of a list one of whose members is a
 * name ("attendees Hollis, Adeyemi and Fairbairn").
 */
function withNamesAgain(text: string, spans: Span[]): Span[] {
  const sure = spans.filter((span) => span.score >= 0.5);
  if (sure.length === 0) return spans;
  const covered = (start: number, end: number): boolean => spans.some((span) => start < span.end && end > span.start);
  const added: Span[] = [];
  const parts = new Set<string>();
  for (const span of sure) {
    const words = text.slice(span.start, span.end).split(/[ \u00A0]+/u);
    if (words.length < 2) continue;
    for (const word of words) if (word.length >= 3 && /^\p{Lu}/u.test(word) && !NOT_NAMES.has(word.toLowerCase())) parts.add(word);
  }
  if (parts.size > 0) {
    for (const match of text.matchAll(CAPITALISED_WORD)) {
      const start = match.index;
      const end = start + match[0].length;
      if (!parts.has(match[0]) || covered(start, end)) continue;
      added.push({ type: 'PERSON', start, end, score: 0.8 });
    }
  }
  for (const list of text.matchAll(NAME_LIST)) {
    const members: { start: number; end: number; word: string }[] = [];
    let at = list.index;
    for (const word of list[0].split(LIST_SEPARATOR)) {
      const start = text.indexOf(word, at);
      members.push({ start, end: start + word.length, word });
      at = start + word.length;
    }
    // A list says "and": "Hollis, Adeyemi and Fairbairn" (a comma alone also separates "Lagos, Nigeria").
    if (!/[ ](?:and|und|et|y|e|en|i|og|och|ja|és|a|&)[ ]/u.test(list[0])) continue;
    if (members.some((m) => m.word.length < 3)) continue;
    if (!members.some((m) => sure.some((span) => m.start < span.end && m.end > span.start))) continue;
    for (const member of members) {
      const lower = member.word.toLowerCase();
      if (covered(member.start, member.end) || NOT_NAMES.has(lower) || isEverydayWord(lower)) continue;
      added.push({ type: 'PERSON', start: member.start, end: member.end, score: 0.55 });
    }
  }
  return added.length === 0 ? spans : [...spans, ...added];
}

export const personDetector: Detector = {
  type: 'PERSON',
  mayContain: () => true,
  find: (text) => findPersons(text),
};

/**
 * A lower-case name that signs a message: after the end of a sentence or a comma, one to three
 * words that are not everyday ones, then the end of the text (or of its line).
 */
function isLowerSignature(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 3), start);
  if (!/(?:[.!?,]|^)[ ]*$|\n[ ]*$/u.test(before) && start !== 0) return false;
  const rest = /^([\p{Ll}\p{M}'’-]+(?:[ ][\p{Ll}\p{M}'’-]+){1,2})[ .!]*(?:$|\n)/u.exec(text.slice(start, start + 60));
  if (!rest) return false;
  return rest[1]!.split(' ').every((w) => !NOT_NAMES.has(w) && !NOT_LOWER_SURNAMES.has(w) && !isEverydayWord(w));
}
