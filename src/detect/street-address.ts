import { hasContext, isLabelledAsReference, isLetterOrDigit, raise, wordAlternatives } from './context.js';

import { extendBackward, extendForward, hasPostcodeKind, matchName, type Chain } from './address/chain.js';
import {
  EAST_ASIAN_ADMIN,
  FAMILIES,
  NAME_THEN_NUMBER,
  NOT_A_STREET_NAME,
  NUMBER_LABEL_AT_END,
  SUFFIX_AT_END,
  NUMBER_AFTER_NAME,
  NUMBER_THEN_NAME,
  SCANS,
  SPACE_BEFORE_NUMBER_OR_NAME,
  CODE_STARTER,
  STARTER_ID,
  STARTER_WORDS,
  wordsAnchor,
  type StarterKind,
  type Family,
} from './address/families.js';
import {
  ANY_STOP,
  CAP,
  EIRCODE,
  ENGLISH_TYPES,
  FIRST_STOP,
  PERIOD_WORDS,
  TIME_WORDS,
  UK_POSTCODE,
  alternation,
  isStreetName,
  list,
} from './address/lexicon.js';

import { NOT_NAMES } from './person/common-words.js';
import type { Detector, Span } from './types.js';

/**
 * Street addresses as written in one run: the street with its house number ("221B Baker
 * Street", "12 rue de la Paix", "Hauptstraße 5", "calle Mayor 5", "Rua Augusta, 120",
 * "Király utca 38", "45 Teheran-ro"), or a post office box, a military or rural route, a plot
 * or flat written first; the flat, floor and building written before it ("Flat 2,", "Level 9,
 * Tower B,"); and the flat, district, town, state, postcode and country after it, across line
 * breaks ("221 Baker Street\nLondon NW1 6XE"). A person's name before it is not part of it; a
 * postcode or town alone is not an address.
 *
 * The street is found first, by cheap scans for what marks it (address/families.ts); what is
 * around it is read from there (address/chain.ts).
 */

const CONTEXT = fastWordsPattern(
  list(`
  address, addr, live at, lives at, living at, ship to, deliver to, delivery address, billing address, moved to, mailing address, postal address,
  shipping address, send to, forwarding address, pickup at, pick-up, collect from, located at, resides at, residing at, home address,
  registered address, billing, delivery, postal, adresse, j'habite, habite, livrer, livrez, livraison, domicile, domicilié, coordonnées, anschrift,
  wohne, wohnhaft, lieferadresse, rechnungsadresse, postanschrift, zustellung, lieferung an, dirección, direccion, domicilio, vivo en, envío a,
  enviar a, entregar en, recoger en, indirizzo, abito in, abito a, residente, spedire a, consegna a, recapito, sede, adres, woon, woonadres,
  bezorgadres, postadres, factuuradres, woonachtig, afleveradres, morada, moro na, moro em, enviem para, endereço, endereco, residente na,
  residente em, entregar na, entrega é na
`),
);
const LOOK_BACK = 80;

/** Like wordsPattern, without the `u` flag and the lookbehind, which make it slow on every candidate. */
function fastWordsPattern(words: readonly string[]): RegExp {
  const letter = 'A-Za-z0-9\\u00C0-\\u024F';
  return new RegExp(`(?:^|[^${letter}])(?:${wordAlternatives(words)})(?![${letter}])`, 'i');
}

// Everyday words that begin place names ("New York", "San Francisco", "Den Haag").
const PLACE_PREFIXES = new Set(
  list(`
  new, san, santa, santo, saint, sainte, st, los, las, la, le, les, den, bad, sankt, são, el, il, the, great, north, south, east, west, old
`),
);

/** Capitalised words that are not everyday words, labels, months or weekdays: a town, a street name. */
function isPlaceName(written: string): boolean {
  const words = written.split(/[ -]+/u).filter(Boolean);
  return words.every((word, i) => {
    const lower = word.toLowerCase().replace(/\.$/u, '');
    if (TIME_WORDS.has(lower) || PERIOD_WORDS.has(lower) || ANY_STOP.has(lower)) return false;
    return !/^\p{Lu}/u.test(word) || !NOT_NAMES.has(lower) || (i === 0 && words.length > 1 && PLACE_PREFIXES.has(lower));
  });
}

// Nouns that stand before a street name without being part of it ("Rechnungsadresse Schillerstraße 9", "Wohnung Neustädter Weg 4").
const NOT_PART_OF_STREET =
  /(?:adresse|adres|address|anschrift|wohnung|woning|lieferung|rechnung|ung|heit|keit|schaft|ion|tät|nummer|praxis|büro|filiale|sitz|firma|kantoor|winkel)$/iu;

interface Candidate {
  start: number;
  end: number;
  score: number;
}

/** The first part after the flats is a postcode ("Heuvel 21, 5611 AB Eindhoven", "Meir 48 bus 3, 2000 Antwerpen"). */
function postcodeComesFirst(chain: Chain, kinds?: ReadonlySet<string>): boolean {
  for (const part of chain.parts) {
    if (part.kind === 'unit') continue;
    return kinds ? kinds.has(part.kind) : hasPostcodeKind(part.kind);
  }
  return false;
}
const POSTCODE_THEN_TOWN: ReadonlySet<string> = new Set(['postcodeCity']);

function score(base: number, context: boolean): number {
  return context ? raise(base, 0.1) : base;
}

/** The street of `family` at the hit [index, end) of its scan, as a candidate with what is around it; the core's end, or -1. */
function tryFamily(text: string, family: Family, index: number, end: number, out: Candidate[]): number {
  const previous = text[index - 1];
  if (!family.before && isLetterOrDigit(previous)) return -1;
  const hit = family.name === 'poBox' ? text.slice(index, end) : '';
  if (family.name === 'poBox') {
    if (isLetterOrDigit(previous)) return -1;
    // "BP" and "B.P." only in capitals ("bp" is a blood pressure, a company).
    if (/^b\.?p/iu.test(hit) && !/^B\.?P/u.test(hit)) return -1;
  }
  let start = index;
  let words = '';
  let streetWords = '';
  if (family.before) {
    const from = Math.max(0, index - LOOK_BACK);
    const head = family.before.exec(text.slice(from, index));
    if (!head) return -1;
    start = from + head.index;
    if (family.name === 'poBox' && !/^B\.?P/u.test(hit)) start = index;
    if (family.placeWords?.in === 'before') words = head[family.placeWords.group] ?? '';
    if (family.streetWords?.in === 'before') streetWords = head[family.streetWords.group] ?? '';
    if ((family.name === 'compound' || family.name === 'typeAfter') && head[1] !== undefined && !acceptsWordBefore(head[1])) {
      start += head[0].indexOf(head[1]) + head[1].length;
      start = text.slice(start).search(/\p{Lu}/u) + start;
    }
  }
  family.after.lastIndex = end;
  const street = family.after.exec(text);
  if (!street) return -1;
  if (family.placeWords?.in === 'after') words = street[family.placeWords.group] ?? '';
  if (words && !isPlaceName(words)) return -1;
  if (streetWords && !isStreetName(streetWords)) return -1;
  const coreEnd = family.after.lastIndex;
  if (NOT_A_STREET_NAME.test(text.slice(start, coreEnd))) return -1;
  const candidate = assemble(text, start, coreEnd, family);
  if (!candidate) return -1;
  out.push(candidate);
  return coreEnd;
}

// One scan for the words of every family that is found by a word ("rue", "calle", "PO Box", "Flat"), case-insensitively.
const FAMILIES_BY_WORD = new Map<string, (Family | 'starter' | 'ship')[]>();
for (const family of FAMILIES) for (const word of family.words ?? []) addWord(word.toLowerCase(), family);
for (const word of STARTER_WORDS) addWord(word, 'starter');
for (const word of ['usns', 'uss', 'uscgc']) addWord(word, 'ship');
function addWord(word: string, handler: Family | 'starter' | 'ship'): void {
  const handlers = FAMILIES_BY_WORD.get(word) ?? [];
  if (!handlers.includes(handler)) handlers.push(handler);
  FAMILIES_BY_WORD.set(word, handlers);
}
const WORDS = wordsAnchor([...FAMILIES_BY_WORD.keys()]);
const BY_SCAN = new Map<string, Family[]>();
for (const family of FAMILIES) if (family.scan) BY_SCAN.set(family.scan, [...(BY_SCAN.get(family.scan) ?? []), family]);
const JAPANESE_BLOCK = BY_SCAN.get('japaneseBlock')![0]!;

function fromWords(text: string, out: Candidate[]): void {
  WORDS.lastIndex = 0;
  for (let hit = WORDS.exec(text); hit !== null; hit = WORDS.exec(text)) {
    const end = hit.index + hit[0].length;
    let furthest = -1;
    for (const handler of FAMILIES_BY_WORD.get(hit[0].toLowerCase()) ?? []) {
      if (handler === 'ship') {
        // "USNS Comfort, FPO AA 34055": a ship's name in capitals.
        if (/^US/u.test(hit[0]) && !isLetterOrDigit(text[hit.index - 1])) codeAt(text, end, out);
        continue;
      }
      if (handler === 'starter') {
        if (isLetterOrDigit(text[hit.index - 1])) continue;
        STARTER_ID.lastIndex = end;
        if (STARTER_ID.test(text)) fromStarter(text, 'unit', hit.index, STARTER_ID.lastIndex, out);
        continue;
      }
      furthest = Math.max(furthest, tryFamily(text, handler, hit.index, end, out));
    }
    if (furthest > WORDS.lastIndex) WORDS.lastIndex = furthest;
  }
}

// The scans, each with the families it finds and a character the text must hold for it to run ("45 Teheran-ro", "3-12-8").
const SCAN_LIST: readonly [RegExp, readonly Family[], string][] = Object.entries(SCANS).map(([name, scan]) => [
  scan,
  BY_SCAN.get(name) ?? [],
  name === 'english' ? '' : '-',
]);

function fromScans(text: string, out: Candidate[]): void {
  for (const [scan, families, needed] of SCAN_LIST) {
    if (needed && !text.includes(needed)) continue;
    scan.lastIndex = 0;
    for (let hit = scan.exec(text); hit !== null; hit = scan.exec(text)) {
      let furthest = -1;
      for (const family of families) {
        if (family.takes && !family.takes.has(hit[0])) continue;
        furthest = Math.max(furthest, tryFamily(text, family, hit.index, hit.index + hit[0].length, out));
      }
      if (furthest > scan.lastIndex) scan.lastIndex = furthest;
    }
  }
}

const EAST_ASIAN_SUFFIX = /-(?:gu|si|do|dong|ku|shi|ken|to|fu|gun|cho|machi|eup|myeon)(?![\p{L}])/u;

/** Where the wards and cities written before an East Asian street begin ("Tokyo, Shibuya-ku, Shibuya 2-21-1"), or `start` without them. */
function adminBefore(text: string, start: number): number {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let from = start;
  // "Tokyo, Shibuya-ku, ": every comma-separated part before the street, back to the first.
  for (let i = 0; i < 5; i++) {
    const head = EAST_ASIAN_ADMIN.exec(text.slice(Math.max(lineStart, from - 60), from));
    if (!head || (from !== start && !/,[ ]*$/u.test(head[0]))) break;
    from = from - head[0].length + head[0].indexOf(head[1]!);
  }
  const admin = text.slice(from, start);
  return from < start && (EAST_ASIAN_SUFFIX.test(admin) || /\d{3}-\d{4}/u.test(admin)) ? from : start;
}

function acceptsWordBefore(word: string): boolean {
  return !FIRST_STOP.has(word.toLowerCase()) && !NOT_PART_OF_STREET.test(word);
}

function assemble(text: string, start: number, coreEnd: number, family: Family): Candidate | null {
  const chain = extendForward(text, coreEnd, { lower: family.lower ?? false });
  const back = extendBackward(text, start, family.numberFirst ?? false);
  const context = hasContext(text, back.start, chain.end, CONTEXT, 40);
  const townAfter = chain.parts.some((part) => part.kind !== 'unit');
  switch (family.needs) {
    case 'support':
      if (!chain.parts.length && !back.units && !context) return null;
      break;
    case 'postcode':
      if (!chain.postcode) return null;
      break;
    case 'postcodeFirst':
      if (!postcodeComesFirst(chain)) return null;
      break;
    case 'adminBefore': {
      const admin = adminBefore(text, start);
      // Without wards before it, the street counts with a ward or postcode after it; a Japanese block number needs a ward or a Japanese postcode.
      const after = text.slice(coreEnd, chain.end);
      if (admin === start && !EAST_ASIAN_SUFFIX.test(after) && !(family.name === 'koreanNumberAfter' ? chain.postcode : /\d{3}-\d{4}/u.test(after)))
        return null;
      return { start: admin, end: chain.end, score: score(family.score[chain.postcode ? 1 : 0], context) };
    }
    default:
  }
  if (family.name === 'japaneseBlock' && !/-(?:ku|shi|cho|chō|machi|gun|ken)(?![\p{L}])|\d{3}-\d{4}/u.test(text.slice(start, chain.end))) return null;
  const base = townAfter || chain.postcode ? family.score[1] : family.score[0];
  return { start: back.start, end: chain.end, score: score(base, context) };
}

const LETTER = /[\p{L}\p{M}'’]/u;
const UPPER = /\p{Lu}/u;

/** A word starting with a capital ends at `at` ("Heuvel| 21"): checked char by char, as most spaces before a number follow none. */
function capitalisedWordEndsAt(text: string, at: number): boolean {
  let i = at - 1;
  for (; i >= 0; i--) {
    const code = text.charCodeAt(i);
    const isLetter = (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code > 127 && LETTER.test(text[i]!)) || code === 39;
    if (!isLetter) break;
  }
  if (i === at - 1) return false;
  const first = text.charCodeAt(i + 1);
  if (!((first >= 65 && first <= 90) || (first > 127 && UPPER.test(text[i + 1]!)))) return false;
  // "Version 2", "Monday 3": a label, month or weekday is not the end of a street's name.
  const word = text.slice(i + 1, at).toLowerCase();
  return !ANY_STOP.has(word) && !TIME_WORDS.has(word) && !PERIOD_WORDS.has(word);
}

const SUFFIX_FAMILIES = BY_SCAN.get('suffix') ?? [];

/** "Hauptstraße 5", "Berliner Straße 12a", "Király utca 38": the street word before the number at `space`. */
function fromSuffix(text: string, space: number, out: Candidate[]): void {
  // A street word ends with a letter, or with the dot or colon of "Str.", "Nr.", "No:".
  const before = text.charCodeAt(space - 1);
  if (before < 65 && before !== 46 && before !== 58) return;
  let end = space;
  NUMBER_LABEL_AT_END.lastIndex = end;
  if (NUMBER_LABEL_AT_END.test(text)) end -= /[ ]+(?:No|Nr|nr)[.:]?$/u.exec(text.slice(Math.max(0, end - 8), end))![0].length;
  SUFFIX_AT_END.lastIndex = end;
  const suffix = SUFFIX_AT_END.exec(text);
  if (!suffix) return;
  const word = suffix[1]!;
  for (const family of SUFFIX_FAMILIES) if (family.takes?.has(word)) tryFamily(text, family, end - word.length, end, out);
}

/**
 * Every space before a number or a capital: a street word, a code or a name before a number
 * ("Hauptstraße 5", "PSC 473", "Heuvel 21"), a number before a name ("42 Peckham Rye").
 */
function atSpaces(text: string, out: Candidate[]): void {
  SPACE_BEFORE_NUMBER_OR_NAME.lastIndex = 0;
  for (let space = SPACE_BEFORE_NUMBER_OR_NAME.exec(text); space !== null; space = SPACE_BEFORE_NUMBER_OR_NAME.exec(text)) {
    const next = text.charCodeAt(space.index + 1);
    if (next >= 49 && next <= 57) nameThenNumber(text, space, out);
    else {
      // "221| Baker", "45,| Jalan": a number (with a letter or a comma) before the space.
      const previous = text.charCodeAt(space.index - 1);
      const digitBefore = (code: number): boolean => code >= 48 && code <= 57;
      if (digitBefore(previous) || digitBefore(text.charCodeAt(space.index - 2))) numberThenName(text, space.index + 1, out);
    }
  }
}

/** "Heuvel 21, 5611 AB Eindhoven": a name and a number, then a postcode before the town. */
function nameThenNumber(text: string, space: { index: number }, out: Candidate[]): void {
  fromSuffix(text, space.index, out);
  codeBefore(text, space.index, out);
  if (!capitalisedWordEndsAt(text, space.index) || covered(out, space.index)) return;
  const from = Math.max(0, space.index - 60);
  const head = NAME_THEN_NUMBER.exec(text.slice(from, space.index));
  if (!head) return;
  NUMBER_AFTER_NAME.lastIndex = space.index;
  if (!NUMBER_AFTER_NAME.exec(text)) return;
  const coreEnd = NUMBER_AFTER_NAME.lastIndex;
  // House numbers of streets without a street word have four digits at most; more is a reference ("Bestelling 12345, ...").
  if (/^[ ]\d{5}/u.test(text.slice(space.index, space.index + 6))) return;
  // "Adresse Wiesenweg 2", "Wohnung Neustädter Weg 4": the words that announce the street are not part of it.
  let start = from + head.index;
  let name = head[1]!;
  while (name.includes(' ') && !acceptsWordBefore(name.slice(0, name.indexOf(' ')))) {
    start += name.indexOf(' ') + 1;
    name = name.slice(name.indexOf(' ') + 1);
  }
  if (!isPlaceName(name) || FIRST_STOP.has(name.split(' ')[0]!.toLowerCase())) return;
  const chain = extendForward(text, coreEnd);
  // A postcode before the town: "Dublin 6, D06 F2K9" is a town and its postcode, not a street.
  if (!postcodeComesFirst(chain, POSTCODE_THEN_TOWN)) return;
  const back = extendBackward(text, start, false);
  const context = hasContext(text, back.start, chain.end, CONTEXT, 40);
  out.push({ start: back.start, end: chain.end, score: score(0.75, context) });
}

/** "42 Peckham Rye, London SE15 4JR": a number and a name, then a postcode (or a flat written before it). */
function numberThenName(text: string, nameStart: number, out: Candidate[]): void {
  if (/\d-\d{1,3},?[ ]$/u.test(text.slice(Math.max(0, nameStart - 7), nameStart))) tryFamily(text, JAPANESE_BLOCK, nameStart, nameStart, out);
  // A street word found it already ("221 Baker Street").
  if (covered(out, nameStart - 2)) return;
  const from = Math.max(0, nameStart - 30);
  const head = NUMBER_THEN_NAME.exec(text.slice(from, nameStart));
  if (!head) return;
  const number = { index: from + head.index };
  if (isLabelledAsReference(text, number.index) || NUMBER_LABEL.test(text.slice(Math.max(0, number.index - 12), number.index))) return;
  const name = matchName(text, nameStart);
  if (!name || name.words.length > 6 || !/\p{Ll}/u.test(text.slice(nameStart, name.end))) return;

  if (!isPlaceName(text.slice(nameStart, name.end))) return;
  const chain = extendForward(text, name.end);
  const back = extendBackward(text, number.index, true);
  const context = hasContext(text, back.start, chain.end, CONTEXT, 40);
  let base: number;
  // A single word after a number is rarely a street without a street word ("Buy 2 Get 1 Free, London SE1 9SG").
  if (name.words.length < 2 && back.units === 0) return;
  if (chain.postcode) base = 0.75;
  else if (back.units > 0 && chain.parts.length > 0) base = 0.5;
  else if (hasDistrictAndTown(text, chain)) base = 0.45;
  else return;
  out.push({ start: back.start, end: chain.end, score: score(base, context) });
}

// Words that name a district, ward or county ("45 Nguyen Trai, Ward 2, District 5, Ho Chi Minh City").
const DISTRICT =
  /(?:^|[ ])(?:District|Dist\.|Ward|Sector|Zone|Phase|Barangay|Brgy\.|Subdivision|Subd\.|Village|Estate|Colony|Nagar|Layout|Township|Quarter|Quận|Phường|Kecamatan|Kelurahan|Distrito|Colonia|Col\.|Bairro|Barrio|Comuna|Quartier|Arrondissement|Municipality|Province|Prefecture|Region|County|Co\.)(?:[ ]|$)/u;

/** Two or more districts and towns after the street, one of them named as a district, the last a town. */
function hasDistrictAndTown(text: string, chain: Chain): boolean {
  if (chain.parts.length < 2 || chain.parts.some((part) => part.kind !== 'name')) return false;
  const last = chain.parts[chain.parts.length - 1]!;
  return !/\d/u.test(text.slice(last.start, last.end)) && chain.parts.some((part) => DISTRICT.test(text.slice(part.start, part.end)));
}

/** "PSC 473, Box 2081, FPO AP 96349", "RR 2 Box 47B, Wapello, IA 52653", "B-47, Second Floor, Lajpat Nagar II, New Delhi 110024". */
function codeStarters(text: string, out: Candidate[]): void {
  // "B-47", "D-12": the codes with a dash (those with a space are found at the spaces before numbers, codeBefore).
  DASH_BEFORE_NUMBER.lastIndex = 0;
  for (let dash = DASH_BEFORE_NUMBER.exec(text); dash !== null; dash = DASH_BEFORE_NUMBER.exec(text)) {
    const code = text.charCodeAt(dash.index - 1);
    if (code >= 65 && code <= 90) codeAt(text, dash.index, out);
  }
}

/** "PSC 473", "TC 15/1204", "RR 2", "R.R. 3", "Rural Route 4": a code or route that ends at the space before a number. */
function codeBefore(text: string, space: number, out: Candidate[]): void {
  const code = text.charCodeAt(space - 1);
  if ((code >= 65 && code <= 90) || code === 46 || (code === 101 && /[Rr]oute$/u.test(text.slice(space - 5, space)))) codeAt(text, space, out);
}

/** The code starter whose letters end at `at`, if any. */
function codeAt(text: string, at: number, out: Candidate[]): void {
  let start = at;
  for (; start > 0 && start > at - 11; start--) {
    const code = text.charCodeAt(start - 1);
    if (!((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 46 || code === 32)) break;
  }
  // The start of the code: the first letter after a non-letter, tried from the longest ("Rural Route") to the shortest.
  for (let from = start; from < at; from++) {
    if (from > 0 && isLetterOrDigit(text[from - 1])) continue;
    CODE_STARTER.lastIndex = from;
    const hit = CODE_STARTER.exec(text);
    if (!hit || CODE_STARTER.lastIndex <= at) continue;
    const kind: StarterKind = hit[1] !== undefined ? 'rural' : hit[2] !== undefined ? 'ship' : 'code';
    fromStarter(text, kind, from, CODE_STARTER.lastIndex, out);
    return;
  }
}

function fromStarter(text: string, kind: StarterKind, start: number, starterEnd: number, out: Candidate[]): void {
  const chain = extendForward(text, starterEnd);
  if (chain.parts.length === 0) return;
  // "Order ORD-2024, ...": a code introduced as a reference is one.
  if (kind === 'code' && isLabelledAsReference(text, start)) return;
  const context = hasContext(text, start, chain.end, CONTEXT, 40);
  const military = chain.parts.some((part) => part.kind === 'military');
  const names = chain.parts.filter((part) => part.kind === 'name' || part.kind === 'cityPostcode' || part.kind === 'postcodeCity').length;
  let base: number;
  if (military) base = 0.85;
  else if (kind === 'rural') {
    // Rural route: a box, a town or a postcode after it.
    if (!chain.postcode && !chain.parts.some((part) => part.kind === 'box')) return;
    base = chain.postcode ? 0.85 : 0.6;
  } else if (kind === 'ship') return;
  else if (kind === 'code') {
    // A code ("B-47", "TC 15/1204"): only with a town and a postcode after it.
    if (!chain.postcode || names < 2) return;
    base = 0.55;
  } else if (chain.postcode) base = 0.65;
  else if (names >= 2 && !/\d/u.test(text.slice(chain.parts[chain.parts.length - 1]!.start, chain.end))) base = 0.45;
  else return;

  out.push({ start, end: chain.end, score: score(base, context) });
}

// Words that number something else than a house ("Chapter 3, Section 2, ...").
const NUMBER_LABEL =
  /(?:^|[^\p{L}])(?:chapter|chap|section|page|pages|part|step|volume|vol|issue|edition|episode|season|figure|fig|table|item|line|row|column|question|task|lesson|grade|class|size|round|stage|week|day|kapitel|seite|abschnitt|teil|chapitre|partie|capítulo|página|parte|capitolo|pagina|hoofdstuk|deel|stap|schritt|étape|paso|passo)\.?[ ]$/iu;

const DASH_BEFORE_NUMBER = /-(?=\d)/g;

function covered(candidates: readonly Candidate[], at: number): boolean {
  return candidates.some((candidate) => candidate.start <= at && at < candidate.end);
}

/** Of overlapping candidates, the longest (then the highest scoring) is kept. */
function withoutOverlaps(candidates: Candidate[]): Candidate[] {
  const sorted = [...candidates].sort((a, b) => b.end - b.start - (a.end - a.start) || b.score - a.score || a.start - b.start);
  const kept: Candidate[] = [];
  for (const candidate of sorted) {
    if (kept.every((other) => candidate.end <= other.start || candidate.start >= other.end)) kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}

// British and Irish houses often have a name instead of a number: "Rose Cottage, Church Lane, Little Snoring, Norfolk NR21 0AA".
const HOUSE_POSTCODE = new RegExp(`\\b(?:${UK_POSTCODE}|${EIRCODE})\\b`, 'g');
const STREET_WORD = new RegExp(`(?:^|[ ])(?:${alternation(ENGLISH_TYPES.filter((w) => w.length > 3))})$|^(?:Heol|Ffordd|Stryd|Lôn|Bóthar|Sráid)[ ]`, 'u');
const HOUSE_NAME =
  /^(?:(?:Tŷ|Ty|Plas|Bwthyn|Teach)[ ]\p{Lu}|.*[ ](?:Cottage|Cottages|House|Farm|Farmhouse|Barn|Barns|Lodge|Manor|Hall|Mill|Grange|Rectory|Vicarage|Villa|Bungalow|Croft|Steading|Stables|Orchard|Nook|Court|Mews|Chambers)$)/u;
const NAME_SEGMENT = new RegExp(`^${CAP}\\.?(?:[ ](?:(?:y|de|the|of|on|upon|le|la|na|an)[ ])?${CAP}\\.?){0,4}$`, 'u');

function streetless(text: string, out: Candidate[]): void {
  HOUSE_POSTCODE.lastIndex = 0;
  for (let hit = HOUSE_POSTCODE.exec(text); hit !== null; hit = HOUSE_POSTCODE.exec(text)) {
    if (covered(out, hit.index)) continue;
    const lineStart = text.lastIndexOf('\n', hit.index - 1) + 1;
    const from = Math.max(lineStart, hit.index - 200);
    const segments = text.slice(from, hit.index).split(',');
    // The town is written before the postcode, after a comma or a space.
    let last = segments.length - 1;
    if (segments[last]!.trim() === '') last--;
    if (last < 1 || !NAME_SEGMENT.test(segments[last]!.trim())) continue;
    let street = -1;
    for (let i = last - 1; i >= 0 && i >= last - 4; i--) {
      const segment = segments[i]!.trim();
      if (!NAME_SEGMENT.test(segment) || !isStreetName(segment) || FIRST_STOP.has(segment.split(' ')[0]!.toLowerCase())) break;
      if (STREET_WORD.test(segment)) street = i;
    }
    if (street < 0) continue;
    const first = street > 0 && HOUSE_NAME.test(segments[street - 1]!.trim()) && NAME_SEGMENT.test(segments[street - 1]!.trim()) ? street - 1 : street;
    let start = from + segments.slice(0, first).reduce((length, segment) => length + segment.length + 1, 0);
    while (/\s/u.test(text[start]!)) start++;
    const chain = extendForward(text, hit.index);
    const end = hit.index + hit[0].length;
    const context = hasContext(text, start, end, CONTEXT, 40);
    out.push({ start, end: Math.max(end, chain.end), score: score(0.6, context) });
  }
}

export function findStreetAddresses(text: string): Span[] {
  const candidates: Candidate[] = [];
  fromWords(text, candidates);
  fromScans(text, candidates);
  atSpaces(text, candidates);
  if (text.includes('-')) codeStarters(text, candidates);
  if (text.includes(',')) streetless(text, candidates);
  return withoutOverlaps(candidates)
    .map((candidate) => trimmed(text, candidate))
    .filter((candidate) => candidate.end > candidate.start)
    .map((candidate) => ({ type: 'STREET_ADDRESS' as const, start: candidate.start, end: candidate.end, score: candidate.score }));
}

function trimmed(text: string, candidate: Candidate): Candidate {
  let { start, end } = candidate;
  while (end > start && /[\s,;:]/u.test(text[end - 1]!)) end--;
  while (start < end && /\s/u.test(text[start]!)) start++;
  return { ...candidate, start, end };
}

export const streetAddressDetector: Detector = {
  type: 'STREET_ADDRESS',
  mayContain: (text) => /[1-9]/.test(text),
  find: (text) => findStreetAddresses(text),
};
