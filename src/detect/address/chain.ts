/**
 * What is written around a street: read forwards, the flat, floor, box, district, town,
 * state, postcode and country that follow it, one comma (or dash, or line break) at a time;
 * read backwards, the flat, floor and building written before it ("Flat 3, 27 Albion Road",
 * "Level 9, Tower B, Kalyani Vista, 41 Outer Ring Road").
 */
import { FIRST_NAMES } from '../person/first-names.js';
import {
  ABBREVIATIONS,
  ANY_STOP,
  B,
  CAP,
  CA_POSTCODE,
  EIRCODE,
  FIRST_STOP,
  NAME_PARTICLES,
  NOT_A_QUANTITY,
  TIME_WORDS,
  POSTCODE_AFTER,
  POSTCODE_AFTER_TOWN,
  POSTCODE_BEFORE,
  SIDES,
  STATES,
  UK_POSTCODE,
  UNIT_WORDS,
  UNIT_WORDS_WITH_DOT,
  alternation,
  ci,
  isCountry,
  list,
} from './lexicon.js';

export type PartKind = 'unit' | 'box' | 'military' | 'postcodeCity' | 'cityPostcode' | 'postcode' | 'name' | 'country';

export interface Part {
  kind: PartKind;
  start: number;
  end: number;
}

export interface Chain {
  /** Where the address ends: the end of its last part, or where the chain started. */
  end: number;
  parts: Part[];
  /** A postcode (or a state, or an APO/FPO line) is among the parts kept. */
  postcode: boolean;
}

const POSTCODE_KINDS: ReadonlySet<PartKind> = new Set(['postcodeCity', 'cityPostcode', 'postcode', 'military']);
export const hasPostcodeKind = (kind: PartKind): boolean => POSTCODE_KINDS.has(kind);

// What may follow a town or district that ends the address: punctuation, a line break, the end,
// a dash, or a lowercase word ("..., Bogotá. Contacto", "..., Temuco y el técnico"); not a
// capitalised word or a number, which would mean the name goes on into something else.
const HARD_END = /[ \t]*(?:$|[,.;:!?)\]|\r\n]|[-–—]|\p{Ll}|\()/uy;

function endsHard(text: string, at: number): boolean {
  HARD_END.lastIndex = at;
  return HARD_END.test(text);
}

const NUMBER_END = '(?![\\p{L}\\p{N}]|[-./]\\d|[ ]\\d)';
const STATE_SET: ReadonlySet<string> = new Set(STATES);
const ROMANCE_OF: ReadonlySet<string> = new Set(['de', 'di', 'do', 'da', 'del', 'du', 'des', 'dos', 'das']);
const UNIT_WORD_SET: ReadonlySet<string> = new Set(
  list(`
  apt, apartment, suite, ste, unit, flat, room, floor, fl, level, office, bldg, building, apto, depto, piso, whg, top, stiege, bus, bte, app, appt,
  int, scala, box, lot, shop, blk, block, zimmer, piano
`),
);

// ---------------------------------------------------------------------------------------------
// Names of districts, towns and states ("Stoke Newington", "Col. Roma Norte", "Cercado de Lima",
// "HSR Layout Sector 2", "Dublin 4", "2nd Cross", "F-7/2", "Konak/İzmir"), read word by word.

const CAP_WORD = new RegExp(`${CAP}(?:/${CAP})?(?![\\p{N}])`, 'uy');
const LOWER_WORD = /\p{Ll}[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*(?![\p{N}])/uy;
const ORDINAL = /\d{1,3}(?:st|nd|rd|th|e|er|ème)(?![\p{L}\p{N}])/uy;
const SMALL_NUMBER = new RegExp(`\\d{1,2}[A-Z]?${NUMBER_END}`, 'uy');
const CODE = /[A-Z]{1,3}-?\d{1,3}(?:\/\d{1,3})?(?![\p{L}\p{N}])/uy;
const PARTICLE_AHEAD = /[ ](?=\p{Lu}|\d|(?:la|las|los|le|les|l'|del|der|den|de)[ ]\p{Lu})/uy;
// A postcode after the town ends the town's name ("London N16 9PS", "Galway H91 R6C4").
const STRONG_POSTCODE = new RegExp(`(?:${UK_POSTCODE}|${CA_POSTCODE}|${EIRCODE})(?![\\p{L}\\p{N}])`, 'uy');
const LOCALITY_PREFIXES = list(`
  loc., località, fraz., frazione, comuna de, comuna, col., colonia, barrio, bairro, quartier, secteur, zona, urb., bo., brgy., barangay, lieu-dit,
  municipio de, partido de, distrito de, provincia de, región de, estado de, región, provincia, província, district, distrito, canton, kanton,
  bezirk, gemeente, comune di, município de, alcaldía, delegación, parroquia, vereda, corregimiento, cantón
`);
const LOCALITY_PREFIX = new RegExp(`(?:${alternation(LOCALITY_PREFIXES, true)})[ ]+(?=[\\p{L}\\d])`, 'uy');
const LOCALITY_FIRST = firstWords(LOCALITY_PREFIXES);

/** The lowercase first words of `phrases`, without a dot ("comuna de" → "comuna", "loc." → "loc"): a cheap test before a long alternation. */
function firstWords(phrases: readonly string[]): ReadonlySet<string> {
  return new Set(phrases.map((phrase) => phrase.toLowerCase().split(/[ .:/#-]/u)[0]!));
}

const WORD_AT = /[\p{L}\p{M}]+/uy;
/** The lowercase letters at `at` ("" before a digit or punctuation). */
function wordAt(text: string, at: number): string {
  WORD_AT.lastIndex = at;
  const match = WORD_AT.exec(text);
  return match ? match[0].toLowerCase() : '';
}

function sticky(pattern: RegExp, text: string, at: number): number {
  pattern.lastIndex = at;
  return pattern.test(text) ? pattern.lastIndex : -1;
}

interface NameMatch {
  end: number;
  /** The words read, lowercase. */
  words: string[];
}

/**
 * A district, town or state name at `at`, or null. `lower`: lowercase words count as name
 * words (an address written all in lowercase). The name ends before a word that cannot be in
 * one ("Thanks", "Tel"); a number ends it too ("Dublin 4", "Sector 2").
 */
export function matchName(text: string, at: number, lower = false): NameMatch | null {
  let p = at;
  const words: string[] = [];
  let end = -1;
  let named = false;
  const prefixEnd = LOCALITY_FIRST.has(wordAt(text, p)) ? sticky(LOCALITY_PREFIX, text, p) : -1;
  if (prefixEnd > 0) {
    words.push(text.slice(p, prefixEnd).trim().toLowerCase());
    p = prefixEnd;
    named = true;
  }
  for (let i = 0; i < 8; i++) {
    let wordEnd = sticky(ORDINAL, text, p);
    let isNumber = false;
    if (wordEnd < 0 && /^[A-Z]{1,3}-?\d/u.test(text.slice(p, p + 5))) {
      if (words.length > 0 && sticky(STRONG_POSTCODE, text, p) > 0) break;
      wordEnd = sticky(CODE, text, p);
    }
    if (wordEnd > 0) named = true;
    else {
      wordEnd = sticky(CAP_WORD, text, p);
      if (wordEnd > 0) {
        const word = text.slice(p, wordEnd).toLowerCase();
        // A flat written after the street without a comma is not part of its name ("Tasha Fall Suite 252").
        if (words.length > 0 && UNIT_WORD_SET.has(word) && /^\.?[ ]?#?\d/u.test(text.slice(wordEnd, wordEnd + 4))) break;
        // A state code before its ZIP or postcode ends the town ("Phoenix AZ 85016", "Toronto ON M5J 2T6").
        if (words.length > 0 && STATE_SET.has(text.slice(p, wordEnd)) && /^[ ]+(?:\d|[A-Z]\d[A-Z])/u.test(text.slice(wordEnd, wordEnd + 5))) break;
        const exception = (word === 'the' && /^[ ]\p{Lu}/u.test(text.slice(wordEnd, wordEnd + 2))) || /^tel[ ]aviv/iu.test(text.slice(p, p + 8));
        if (words.length === 0 && FIRST_STOP.has(word) && !exception) return null;
        // A month ends the town ("Budapest in May"), unless a particle joins it ("Rio de Janeiro", "Plaza de Mayo").
        if ((ANY_STOP.has(word) || (TIME_WORDS.has(word) && !ROMANCE_OF.has(words[words.length - 1] ?? ''))) && !exception) break;
        named = true;
      }
    }
    if (wordEnd < 0) {
      const lowerEnd = sticky(LOWER_WORD, text, p);
      if (lowerEnd > 0) {
        const word = text.slice(p, lowerEnd).toLowerCase();
        if (words.length > 0 && NAME_PARTICLES.has(word) && sticky(PARTICLE_AHEAD, text, lowerEnd) > 0) {
          words.push(word);
          p = lowerEnd + 1;
          continue;
        }
        if (lower && !ANY_STOP.has(word) && (words.length > 0 || !FIRST_STOP.has(word))) {
          wordEnd = lowerEnd;
          named = true;
        }
      }
    }
    if (wordEnd < 0 && words.length > 0) {
      wordEnd = sticky(SMALL_NUMBER, text, p);
      isNumber = wordEnd > 0;
    }
    if (wordEnd < 0) break;
    const word = text.slice(p, wordEnd).toLowerCase();
    words.push(word);
    p = wordEnd;
    if (text[p] === '.' && ABBREVIATIONS.has(word)) p++;
    end = p;
    if (isNumber) break;
    if (text[p] === ' ' && /[\p{L}\p{N}]/u.test(text[p + 1] ?? '')) p++;
    else break;
  }
  if (!named || end < 0) return null;
  // A lone letter or two ("C", "Ms") is not a place.
  if (end - at < 3) return null;
  return { end, words };
}

// ---------------------------------------------------------------------------------------------
// The parts of a chain.

const UNIT_WORD_PATTERN = [...UNIT_WORDS]
  .sort((a, b) => b.length - a.length)
  .map((w) => (UNIT_WORDS_WITH_DOT.has(w) ? `${ci(w)}\\.` : `${ci(w)}\\.?`))
  .join('|');
const UNIT_ID = '(?:\\d{1,5}[A-Za-z]?(?:[-/]\\d{1,4}[A-Za-z]?)*|[A-Z]{1,2}\\d{0,3}(?:-\\d{1,3})?|[IVX]{1,4})';
export const UNIT = `(?:${UNIT_WORD_PATTERN})[ ]?(?::[ ]?)?(?:(?:${ci('n')}[º°oO]|${ci('no')}|${ci('nr')})\\.?[ ]?|#[ ]?)?${UNIT_ID}(?:[ ]${SIDES}\\.?)?`;
const FLOOR_WORDS = `(?:${ci('andar')}|${ci('piso')}|${ci('planta')}|${SIDES}|[A-Za-z](?![\\p{L}])|\\d{1,2}[ºª°]?)`;
export const FLOOR =
  '(?:' +
  [
    `\\d{1,2}\\.?[ ]?[º°ª]\\.?(?:[ ]?${FLOOR_WORDS}\\.?){0,2}`,
    `\\d{1,2}(?:e|er|ère|ème|eme|re|o|a|de|ste)?[ ](?:${ci('étage')}|${ci('etage')}|${ci('piso')}|${ci('planta')}|${ci('andar')}|${ci('verdieping')}|${ci('hoog')})(?:[ ](?:achter|voor))?`,
    `(?:\\d{1,2}(?:st|nd|rd|th)|${alternation(['ground', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'top', 'upper', 'lower', 'basement'], true)})[ ](?:${ci('floor')}|${ci('fl')}\\.?)`,
    `\\d{1,2}(?:\\.[ ]?|[ ])(?:OG|Obergeschoss|Stock|Etage|EG|UG|DG|Et\\.?|em\\.?|emelet|krs|kerros|sal|tv\\.?|th\\.?|mf\\.?)(?:[ ](?:links|rechts|mitte|li\\.?|re\\.?|\\d{1,3}(?![\\p{L}\\p{N}])))?`,
    'st\\.[ ]?(?:th|tv|mf)\\.?',
    '\\d{1,3}/F|[GLBU]/F|\\d{1,3}F',
    '#\\d{1,3}-\\d{1,4}',
    '#[ ]?\\d{1,5}[A-Z]?',
    '[kK][mM]\\.?[ ]?\\d{1,4}(?:[.,]\\d{1,3})?',
    'r/c|r/ch|R/C|s/n|S/N|s/nº|bajo(?:[ ][a-zA-Z](?![\\p{L}]))?|bajos|entlo\\.?|entresuelo|ático|atico|principal|pral\\.?|rez-de-chaussée|RDC',
    '\\d{1,2}(?:r|n|t|er|rt|º)[ ]\\d{1,2}(?:a|ª)',
    'e/[ ]?\\d{1,3}[ ]y[ ]\\d{1,3}',
    '[IVX]{1,4}/\\d{1,3}',
    // Dutch floors after the number: "452 III", "12 hs"
    '(?:II|III|IV|hs|huis|hoog|boven|beneden|bg|bis|ter)(?=[ \\t]*(?:$|[,.;\\r\\n]))',
  ].join('|') +
  ')';
const UNIT_PART = new RegExp(`(?:${UNIT}|${FLOOR})(?![\\p{L}\\p{N}])\\.?`, 'uy');

export const PO_BOX_WORDS = list(`
  p.o. box, p. o. box, p.o.box, po box, p o box, pob, p.o.b., post office box, gpo box, locked bag, private bag, pmb, postfach, postbus, posbus,
  postboks, postbox, boîte postale, boite postale, case postale, casella postale, apartado de correos, apartado, apdo., caixa postal, cx. postal,
  postilokero, skrytka pocztowa
`);
export const BOX_NUMBER = '[ ]?(?:(?:n[º°o]|no)\\.?[ ]?|#[ ]?)?\\d{1,6}(?:[ -]\\d{2,6}){0,2}[A-Z]?(?![\\p{L}\\p{N}])';
const BOX_PART = new RegExp(
  `(?:(?:${alternation(PO_BOX_WORDS, true)}|${ci('box')}|${ci('site')}|${ci('comp')}|RR|R\\.R\\.|RD|CS|TSA|BP|B\\.P\\.)${BOX_NUMBER}|CP[ ]\\d{1,4}(?![\\p{L}\\p{N}])|(?:Stn|Station|Succ\\.?|Succursale)[ ]${CAP})`,
  'uy',
);
const BOX_FIRST = firstWords([
  ...PO_BOX_WORDS,
  'box',
  'site',
  'comp',
  'rr',
  'r.r.',
  'rd',
  'cs',
  'tsa',
  'bp',
  'b.p.',
  'stn',
  'station',
  'succ',
  'succursale',
  'cp',
]);
const UNIT_FIRST = firstWords([
  ...UNIT_WORDS,
  'andar',
  'piso',
  'planta',
  'ground',
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'top',
  'upper',
  'lower',
  'basement',
  'st',
  'km',
  'r/c',
  's/n',
  'e/',
  'bajo',
  'bajos',
  'entlo',
  'entresuelo',
  'ático',
  'atico',
  'principal',
  'pral',
  'rez-de-chaussée',
  'rdc',
  'g',
  'l',
  'b',
  'u',
  'i',
  'ii',
  'iii',
  'iv',
  'v',
  'vi',
  'vii',
  'viii',
  'ix',
  'x',
  'xi',
  'xii',
  'hs',
  'huis',
  'hoog',
  'boven',
  'beneden',
  'bg',
  'bis',
  'ter',
  'n',
]);
const MILITARY_PART = /(?:APO|FPO|DPO)[ ](?:AA|AE|AP)[ ]\d{5}(?:-\d{4})?(?![\p{L}\p{N}])/uy;
const POSTCODE_CITY = new RegExp(`(?:${POSTCODE_BEFORE})[ ]+(?=[\\p{L}])`, 'uy');
// After a town: "(MI)", "(Québec) H2J 2L1", " BO", " V", " CEDEX", " - SP".
const PROVINCE = new RegExp(
  `(?:[ ]?\\((?:[A-Z]{2,3}|${CAP}(?:[ -](?:(?:du|de|des|la|le|of)[ -])?${CAP}){0,3})\\)(?:[ ]?${CA_POSTCODE})?|[ ]CEDEX(?:[ ]\\d{1,2})?|[ ][-–][ ][A-Z]{2}(?![\\p{L}\\p{N}])|[ ][A-ZÆØÅ]{1,2}(?=[ \\t]*(?:$|[,.;)\\r\\n])))`,
  'uy',
);
// After a town: ", IL 60623-2914", " NT 0851", ", ON M5J 0C3", ", NY", " N16 9PS", " 101241", " 150-0002", ", LV-1010".
const STATE_OR_POSTCODE = new RegExp(
  `(?:,?[ ](?:${STATES.join('|')}|D\\.C\\.)(?![\\p{L}\\p{N}])(?:,?[ ]+${POSTCODE_AFTER}${NUMBER_END}${NOT_A_QUANTITY})?|[ ]?\\((?:[A-Z]{2,3}|${CAP}(?:[ -]${CAP})?)\\)(?:[ ]?${CA_POSTCODE})?|[ ][-–][ ][A-Z]{2}(?![\\p{L}\\p{N}])|,?[ ]${POSTCODE_AFTER_TOWN}${NUMBER_END}${NOT_A_QUANTITY})(?![ ]+\\p{Lu})`,
  'uy',
);
const STRONG_TOWN_TAIL = new RegExp(
  `(?:,?[ ](?:${STATES.join('|')})[ ]+(?:\\d{5}(?:-\\d{4})?|${CA_POSTCODE}|\\d{4})|[ ]${UK_POSTCODE}|[ ]${CA_POSTCODE}|[ ]${EIRCODE})${NUMBER_END}`,
  'uy',
);
const POSTCODE_ALONE = new RegExp(
  `(?:(?:C\\.P\\.|CP|CEP|PIN|Pin|PIN[ ]?[Cc]ode|Pincode|ZIP|Zip|PLZ|CAP|Postcode|Postal[ ]code|Código[ ]postal|Code[ ]postal)[:.]?[ ]?(?:[-–][ ]?)?)?` +
    `(?:${UK_POSTCODE}|${CA_POSTCODE}|${EIRCODE}|\\d{5}-\\d{4}|\\d{5}-\\d{3}|\\d{4}-\\d{3}|\\d{3}-\\d{4}|[A-Z]{2}-\\d{4,5}|\\d{4,6})${NUMBER_END}` +
    `(?=[ \\t]*(?:$|[,.;:!?)\\]|\\r\\n]|[-–—]|\\p{Ll}))`,
  'uy',
);
const LOWER_TOWN = /\p{Ll}[\p{Ll}\p{M}'’-]+(?:[ ]\p{Ll}[\p{Ll}\p{M}'’-]+)?(?=[ \t]*(?:$|[.,;!?)\r\n]))/uy;
const CAPITALS = /[A-Z](?:[A-Z]+|(?:\.[A-Z])+\.?)(?:[ ][A-Z]{2,})*(?![\p{L}\p{N}])/uy;

export type Separator = 'comma' | 'dash' | 'newline' | 'space' | 'none';
const SEPARATORS: readonly [Separator, RegExp][] = [
  ['comma', /[ ]*,[ ]*/y],
  ['dash', /[ ]+[-–—/][ ]+/y],
  ['newline', /[ \t]*\r?\n[ \t]*/y],
  ['space', /(?:\.[ ](?=[IVX]{1,4}\/\d))|[ ](?=\S)/y],
];

function separatorAt(text: string, at: number): { kind: Separator; next: number } | null {
  for (const [kind, pattern] of SEPARATORS) {
    const next = sticky(pattern, text, at);
    if (next > 0) return { kind, next };
  }
  return null;
}

function partAt(text: string, at: number, separator: Separator, lower: boolean): Part | null {
  const found = (kind: PartKind, end: number): Part => ({ kind, start: at, end });
  // The long alternations run only where their first word stands.
  const word = wordAt(text, at);
  const code = text.charCodeAt(at);
  const digit = code >= 48 && code <= 57;
  let end = word.length === 3 && word.endsWith('po') ? sticky(MILITARY_PART, text, at) : -1;
  if (end > 0) return found('military', end);
  if (separator === 'dash') {
    const postcodeCity = matchPostcodeCity(text, at, lower);
    if (postcodeCity > 0) return found('postcodeCity', postcodeCity);
    end = sticky(POSTCODE_ALONE, text, at);
    if (end > 0) return found('postcode', end);
  }
  end = BOX_FIRST.has(word) ? sticky(BOX_PART, text, at) : -1;
  if (end > 0) return found('box', end);
  end = digit || code === 35 || UNIT_FIRST.has(word) ? sticky(UNIT_PART, text, at) : -1;
  if (end > 0 && (separator !== 'newline' || endsLine(text, end))) return found('unit', end);
  const postcodeCity = matchPostcodeCity(text, at, lower);
  if (postcodeCity > 0) return found('postcodeCity', postcodeCity);
  if (separator === 'space') {
    // "2401 E Camelback Rd Ste 200 Phoenix AZ 85016": a town written without commas, with its state and ZIP or its postcode.
    const town = matchName(text, at);
    if (!town) return null;
    end = sticky(STRONG_TOWN_TAIL, text, town.end);
    return end > 0 ? found('cityPostcode', end) : null;
  }
  end = sticky(POSTCODE_ALONE, text, at);
  if (end > 0 && separator !== 'newline') return found('postcode', end);
  // The country on the envelope's last line, in capitals ("ESTONIA", "UAE").
  end = sticky(CAPITALS, text, at);
  if (end > 0 && isCountry(text.slice(at, end))) return found('country', end);
  const name = matchName(text, at);
  if (!name) {
    // An address written in lowercase ends with its town in lowercase too ("12 mill lane, leeds").
    end = lower && separator === 'comma' ? sticky(LOWER_TOWN, text, at) : -1;
    if (end < 0) return null;
    const first = wordAt(text, at);
    return FIRST_STOP.has(first) || ANY_STOP.has(first) || TIME_WORDS.has(first) ? null : found('name', end);
  }

  end = sticky(STATE_OR_POSTCODE, text, name.end);
  if (end > 0) return found('cityPostcode', end);
  if (separator === 'newline' || (separator === 'dash' && !endsHard(text, name.end))) return null;

  // A country in ordinary case is not written as part of the address ("..., Wanica, Suriname").
  if (isCountry(text.slice(at, name.end))) return null;
  return found('name', name.end);
}

function endsLine(text: string, at: number): boolean {
  return /^[ \t]*(?:$|\r?\n|,)/u.test(text.slice(at, at + 3));
}

function matchPostcodeCity(text: string, at: number, lower: boolean): number {
  const codeEnd = sticky(POSTCODE_CITY, text, at);
  if (codeEnd < 0) return -1;
  const city = matchName(text, codeEnd, lower);
  if (!city) return -1;
  const province = sticky(PROVINCE, text, city.end);
  // "(España)" after the town is the country, which is not written as part of the address.
  if (province > 0 && isCountry(text.slice(city.end, province).replace(/[()\s]/gu, ''))) return city.end;
  return province > 0 ? province : city.end;
}

export interface ForwardOptions {
  /** An address written in lowercase: lowercase towns count. */
  lower?: boolean;
}

/** The flat, floor, box, district, town, state, postcode and country written after `from`. */
export function extendForward(text: string, from: number, options: ForwardOptions = {}): Chain {
  const parts: Part[] = [];
  let best = from;
  let at = from;
  let postcode = false;
  let namesAfterPostcode = 0;
  let kept = 0;
  // A district after a dash counts only when a postcode follows ("Avenida Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200").
  let dashedName = false;
  for (let i = 0; i < 12; i++) {
    const separator = separatorAt(text, at);
    if (!separator) break;
    const part = partAt(text, separator.next, separator.kind, options.lower ?? false);
    if (!part) break;
    parts.push(part);
    at = part.end;
    if (separator.kind === 'dash' && part.kind === 'name') dashedName = true;
    if (dashedName && !hasPostcodeKind(part.kind)) continue;
    dashedName = false;
    if (part.kind === 'name') {
      if (postcode && ++namesAfterPostcode > 1) break;
      // After the postcode, a district or state ends at punctuation: "..., 16111 Bab Ezzouar, Alger," but not "..., 10110, Line or call".
      if (!endsHard(text, at) || (postcode && !/^[ \t]*(?:$|[,.;:!?)\]|\r\n])/u.test(text.slice(at, at + 3)))) continue;
    }

    best = at;
    kept = parts.length;
    if (hasPostcodeKind(part.kind)) postcode = true;
    if (part.kind === 'country') break;
  }
  // A first name after the town is a person more often than a place ("..., Springfield, Jane Doe").
  const last = parts[kept - 1];
  if (last?.kind === 'name' && kept > 0 && looksLikePerson(text.slice(last.start, last.end))) {
    kept--;
    best = kept > 0 ? parts[kept - 1]!.end : from;
  }
  return { end: best, parts: parts.slice(0, kept), postcode };
}

// First names that are towns as well.
const TOWN_NAMES = new Set(
  list(`
  victoria, florence, sydney, adelaide, austin, charlotte, regina, alexandria, lincoln, santiago, valencia, jackson, marion, augusta, orlando,
  chester, milton, georgetown, madison, jordan, paris, lourdes, salvador, natal, vitória, vitoria, belém, belem, bogotá, lima, rosario, mercedes,
  dolores, concepción, concepcion, maria, santa, san, st, saint
`),
);

function looksLikePerson(written: string): boolean {
  const words = written.split(/\s+/u);
  if (words.length > 2) return false;
  const first = words[0]!.toLowerCase();
  return FIRST_NAMES.has(first) && !TOWN_NAMES.has(first);
}

// ---------------------------------------------------------------------------------------------
// Before the street.

// "Lot 12 Bruce Hwy", "Unit 4/19 Moreland Rd", "Blk 415 Tampines Street", "No. 88 Zhongshan Road".
const DIRECT_UNIT = new RegExp(
  `${B}(?:${alternation(['lot', 'unit', 'blk', 'block', 'bloco', 'shop', 'stand', 'erf', 'plot', 'house', 'villa', 'apt', 'flat', 'suite', 'office', 'room', 'h.no.', 'h. no.', 'door no.'], true)}|No\\.|Nr\\.|H\\.No)[ ]?$`,
  'u',
);
const BUILDING_WORD_FIRST = alternation(
  list(`
  Résidence, Residence, Residencia, Residencial, Edificio, Edif., Ed., Condominio, Cond., Polígono Industrial, Polígono, Urbanización, Urb.,
  Conjunto, Lotissement, Cité, Immeuble, Imm., Maison, Palazzo, Torre, Tower, Centro Comercial, Shopping, Parque, Quinta, Vila, Villa,
  Zona Industrial, Parc, Domaine, Hameau, Mas, Wohnanlage, Haus
`),
);
const BUILDING_WORD_LAST = alternation(
  list(`
  Tower, Towers, Heights, Residency, Residences, Mansion, Mansions, Court, House, Building, Bldg., Bldg, Plaza, Centre, Center, Complex, Apartments,
  Estate, Industrial Estate, Business Park, Chambers, Lodge, Hall, Arcade, Mall, Enclave, Gardens, Villas, Apartamentos, Residencial, Corporate Park,
  Tech Park, Hof, Haus
`),
);
const NAME_WORDS = `${CAP}(?:[ ](?:(?:de|di|du|des|del|da|do|la|le|of|the|at|van|der|den)[ ])?${CAP}){0,3}`;
const BUILDING = `(?:${BUILDING_WORD_FIRST})[ ]${NAME_WORDS}(?:[ ]\\d{1,4}[A-Z]?)?|${NAME_WORDS}[ ](?:${BUILDING_WORD_LAST})(?:[ ]\\d{1,4}[A-Z]?)?|${NAME_WORDS}[ ][1-9]\\d{1,3}`;
const PREFIX_SEGMENT = new RegExp(`(?:^|(?<=[\\s:;(]))(?:(${UNIT}|${FLOOR}|\\d/\\d|\\d{1,3}F)|(${BUILDING})|(${NAME_WORDS}))\\.?$`, 'u');

/**
 * Where the address starts when flats, floors or buildings are written before the street at
 * `start`: the start of the earliest of them, or `start`. `atNumber`: the street starts with its
 * house number ("Lot 12 Bruce Hwy").
 */
export function extendBackward(text: string, start: number, atNumber: boolean): { start: number; units: number } {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let s = start;
  let units = 0;
  if (atNumber) {
    const direct = DIRECT_UNIT.exec(text.slice(Math.max(lineStart, s - 12), s));
    if (direct) {
      s -= direct[0].length;
      units++;
    }
  }
  let confirmed = s;
  let cursor = s;
  for (let i = 0; i < 6; i++) {
    const head = text.slice(Math.max(lineStart, cursor - 80), cursor);
    const comma = /,[ ]*$/u.exec(head);
    if (!comma) break;
    const before = head.slice(0, comma.index);
    const segment = PREFIX_SEGMENT.exec(before);
    if (!segment) break;
    const segmentStart = cursor - comma[0].length - segment[0].length;
    // A number-and-name segment is a building only when a flat or floor comes before it ("Maison Kamo 305,").
    if (segment[1] !== undefined || segment[2] !== undefined) {
      if (segment[2] !== undefined && /^\p{Lu}/u.test(segment[2]) && FIRST_STOP.has(segment[2].split(/[ .]/u)[0]!.toLowerCase())) break;
      confirmed = segmentStart;
      units++;
    } else if (FIRST_STOP.has(segment[3]!.split(/[ .]/u)[0]!.toLowerCase())) break;
    cursor = segmentStart;
  }
  return { start: confirmed, units };
}
