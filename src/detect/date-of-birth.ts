import { wordsPattern } from './context.js';
import type { Detector, Span } from './types.js';

// Month names and their usual abbreviations in English, French, German, Spanish, Italian, Dutch and Portuguese.
const MONTHS: readonly (readonly string[])[] = [
  ['january', 'jan', 'janvier', 'janv', 'januar', 'jänner', 'enero', 'ene', 'gennaio', 'gen', 'januari', 'janeiro'],
  ['february', 'feb', 'février', 'févr', 'fevrier', 'februar', 'febrero', 'febbraio', 'februari', 'fevereiro', 'fev'],
  ['march', 'mar', 'mars', 'märz', 'maerz', 'marzo', 'maart', 'mrt', 'março', 'marco'],
  ['april', 'apr', 'avril', 'avr', 'abril', 'abr', 'aprile'],
  ['may', 'mai', 'mayo', 'maggio', 'mag', 'mei', 'maio'],
  ['june', 'jun', 'juin', 'juni', 'junio', 'giugno', 'giu', 'junho'],
  ['july', 'jul', 'juillet', 'juil', 'juli', 'julio', 'luglio', 'lug', 'julho'],
  ['august', 'aug', 'août', 'aout', 'agosto', 'ago', 'augustus'],
  ['september', 'sep', 'sept', 'septembre', 'septiembre', 'setiembre', 'settembre', 'set', 'setembro'],
  ['october', 'oct', 'octobre', 'oktober', 'okt', 'octubre', 'ottobre', 'ott', 'outubro', 'out'],
  ['november', 'nov', 'novembre', 'noviembre'],
  ['december', 'dec', 'décembre', 'decembre', 'dezember', 'dez', 'diciembre', 'dic', 'dicembre', 'dezembro'],
];
const MONTH_OF: ReadonlyMap<string, number> = new Map(MONTHS.flatMap((names, index) => names.map((name) => [name, index + 1] as const)));
const MONTH = `(${[...MONTH_OF.keys()].sort((a, b) => b.length - a.length).join('|')})\\.?`;
const ORDINAL = '(?:st|nd|rd|th|er|re|º|°|\\.)?';

type YearMonthDay = [year: number | undefined, month: number, day: number];

const SHAPES: readonly { pattern: RegExp; read(groups: RegExpMatchArray): YearMonthDay }[] = [
  // 1985-03-12
  { pattern: /(?<![\d.\/-])((?:19|20)\d\d)([-/.])(\d{1,2})\2(\d{1,2})(?![\d]|[-/.]\d)/gu, read: (g) => [Number(g[1]), Number(g[3]), Number(g[4])] },
  // 12/03/1985, 12.03.85, 03-12-1985 (day first unless only month first makes sense)
  { pattern: /(?<![\d.\/-])(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?![\d]|[-/.]\d)/gu, read: (g) => dayFirst(Number(g[1]), Number(g[3]), Number(g[4])) },
  // 12 March 1985, 12. März 1985, 12 de marzo de 1985, 1er avril 1990, 12 March
  {
    pattern: new RegExp(
      `(?<![\\p{L}\\p{N}])(\\d{1,2})${ORDINAL}\\s+(?:de\\s+|of\\s+)?${MONTH}(?:,?\\s+(?:de\\s+|del\\s+)?((?:19|20)\\d\\d))?(?![\\p{L}\\p{N}])`,
      'giu',
    ),
    read: (g) => [g[3] ? Number(g[3]) : undefined, MONTH_OF.get(g[2]!.toLowerCase()) ?? 0, Number(g[1])],
  },
  // March 12, 1985; March 12th 1985
  {
    pattern: new RegExp(`(?<![\\p{L}\\p{N}])${MONTH}\\s+(\\d{1,2})${ORDINAL}(?:,?\\s+((?:19|20)\\d\\d))?(?![\\p{L}\\p{N}])`, 'giu'),
    read: (g) => [g[3] ? Number(g[3]) : undefined, MONTH_OF.get(g[1]!.toLowerCase()) ?? 0, Number(g[2])],
  },
];

// Words that say a date is someone's birth, within the same sentence.
const BIRTH_WORDS = wordsPattern([
  'born',
  'birth',
  'birthdate',
  'date of birth',
  'dob',
  'd.o.b',
  'd.o.b.',
  'né',
  'née',
  'né(e)',
  'naissance',
  'date de naissance',
  'naît',
  'naquit',
  'geboren',
  'geb.',
  'geburtsdatum',
  'geburt',
  'jahrgang',
  'nacido',
  'nacida',
  'nací',
  'nació',
  'nacimiento',
  'fecha de nacimiento',
  'f. nac.',
  'f. nac',
  'fecha nac.',
  'nac.',
  'nato',
  'nata',
  'nascita',
  'data di nascita',
  'nasce',
  'nacque',
  'geboortedatum',
  'geboorte',
  'nasci',
  'nasceu',
  'nascido',
  'nascida',
  'nascimento',
  'data de nascimento',
]);
// A birthday can be a shop's or a party's: with these, a date of this decade is an event.
const BIRTHDAY_WORDS = wordsPattern(['birthday', 'anniversaire', 'geburtstag', 'cumpleaños', 'compleanno', 'verjaardag', 'jarig', 'aniversário']);
const EVENT_YEARS = 10;
// A sentence ends at "!", "?", a line break, or a full stop after a word (not "geb.", "D.O.B.").
const SENTENCE_END = /[!?\n]|\p{Ll}{4,}\.\s/gu;

const CURRENT_YEAR = new Date().getFullYear();

/** [year, month, day] with day-first read, unless the day-first read is impossible. */
function dayFirst(a: number, b: number, year: number): [number, number, number] {
  const fullYear = year < 100 ? (year > CURRENT_YEAR % 100 ? 1900 + year : 2000 + year) : year;
  return b > 12 && a <= 12 ? [fullYear, a, b] : [fullYear, b, a];
}

function isRealDate(year: number | undefined, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  if (year !== undefined && (year < 1900 || year > CURRENT_YEAR)) return false;
  const daysInMonth = new Date(Date.UTC(year ?? 2000, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** Birth words before the date in the same sentence, or right after it ("12/03/85 (DOB)"). */
function birthWordsAround(text: string, start: number, end: number): 'birth' | 'birthday' | undefined {
  const before = text.slice(Math.max(0, start - 50), start);
  let sentenceStart = 0;
  for (const sentenceEnd of before.matchAll(SENTENCE_END)) sentenceStart = sentenceEnd.index + sentenceEnd[0].length;
  const after = text.slice(end, end + 25);
  SENTENCE_END.lastIndex = 0;
  const sentence = `${before.slice(sentenceStart)} ${after.slice(0, SENTENCE_END.exec(after)?.index ?? after.length)}`;
  return BIRTH_WORDS.test(sentence) ? 'birth' : BIRTHDAY_WORDS.test(sentence) ? 'birthday' : undefined;
}

export function findDatesOfBirth(text: string): Span[] {
  const spans: Span[] = [];
  for (const shape of SHAPES) {
    for (const match of text.matchAll(shape.pattern)) {
      const [year, month, day] = shape.read(match);
      if (!isRealDate(year, month, day)) continue;
      const start = match.index;
      const end = start + match[0].length;
      const words = birthWordsAround(text, start, end);
      if (words === undefined || (words === 'birthday' && year !== undefined && year > CURRENT_YEAR - EVENT_YEARS)) continue;
      spans.push({ type: 'DATE_OF_BIRTH', start, end, score: year === undefined ? 0.6 : 0.9 });
    }
  }
  return spans;
}

const BIRTH_HINT =
  /born|birth|dob|d\.o\.b|née?(?![a-z])|naissance|anniversaire|naquit|naît|geb|jahrgang|nac[ií.]|cumplea|\bnat[oa]\b|nasc|complean|jarig|verjaardag|aniversário/i;

export const dateOfBirthDetector: Detector = {
  type: 'DATE_OF_BIRTH',
  mayContain: (text) => BIRTH_HINT.test(text) && /\d/.test(text),
  find: (text) => findDatesOfBirth(text),
};
