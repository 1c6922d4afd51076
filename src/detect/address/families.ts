/**
 * The street itself, found by what marks it: a street word ("Street", "rue", "calle", "-straße",
 * "utca", "-ro"), a post office box, a flat or plot written first ("Flat No. 3B", "Plot 1064"),
 * a military or rural route, a Japanese block number, or, for a street without a street word,
 * the postcode and town after it. Each family gives the street's bounds (the core); the
 * detector then reads the flat, postcode and town around it (chain.ts).
 */
import { B, CAP, COMPOUND_SUFFIXES, E, ENGLISH_TYPES, HOUSE_NUMBER, NOT_A_QUANTITY, PARTICLES, TYPE_AFTER, TYPE_FIRST, list, trie } from './lexicon.js';
import { BOX_NUMBER, PO_BOX_WORDS } from './chain.js';

/** What the chain after the core must hold for the family to count. */
export type Needs =
  /** Nothing: the street word is evidence enough. */
  | 'none'
  /** A flat, postcode or town after it, a flat before it, or an address word before it. */
  | 'support'
  /** A postcode (or state) after it, before anything but flats. */
  | 'postcodeFirst'
  /** A postcode (or state) anywhere after it. */
  | 'postcode'
  /** The wards and cities of East Asian addresses before it, written from the largest down ("Tokyo, Shibuya-ku, "). */
  | 'adminBefore';

export interface Family {
  name: string;
  /**
   * What the street is found by: a word of `words` (found by one scan for every family's words,
   * case-insensitively, at a word start) or one of the shared scans (SCANS): a lookbehind or the
   * `u` flag would make a scan slow, so what comes before is checked on a slice.
   */
  words?: readonly string[];
  scan?: 'english' | 'suffix' | 'korean' | 'japaneseBlock' | 'japaneseBlockAfter';
  /** The scan's hits this family takes ("Straße" for typeAfter, "straße" for compound). */
  takes?: ReadonlySet<string>;
  /** What must come before the anchor, matched against the text before it (ends with `$`). */
  before?: RegExp;
  /** What must follow the anchor, read stickily from its end. */
  after: RegExp;
  needs: Needs;
  /** The street starts with its house number ("Lot 12 Bruce Hwy" may put a flat word before it). */
  numberFirst?: boolean;
  /** Lowercase towns count (an address written in lowercase). */
  lower?: boolean;
  /** Which words of the core must be place names (not "Order", "Monday"): the group of `before` or `after` that holds them. */
  placeWords?: { in: 'before' | 'after'; group: number };
  /** Which words of the core must not be labels, months or weekdays (street names may be everyday words: "Market St"). */
  streetWords?: { in: 'before' | 'after'; group: number };

  /** Score without a postcode or town after it, and with one. */
  score: [number, number];
}

// Street words in capitals ("123 MAIN ST") and in lowercase ("12 mill lane"), those that are not everyday words.
const ENGLISH_UPPER = ENGLISH_TYPES.filter((word) => word.length > 1).map((word) => word.toUpperCase());
const ENGLISH_LOWER = list(`
  street, st, road, rd, avenue, ave, lane, ln, boulevard, blvd, crescent, terrace, highway, hwy, parkway, pkwy, drive
`);

const GERMAN_AM = list(`Am, An der, An den, Auf der, Auf dem, Im, In der, Zum, Zur, Unter den, Hinter der`);

// A capitalised name word ("Baker", "Saint-Antoine", "O'Connell"), an ordinal ("57th") or a regnal number ("Vittorio Emanuele II").
// Flat and floor words are not part of a street's name ("Impasse de Nesle Apt. 553").
const NOT_UNIT =
  '(?!(?:Apt|Apto|Apartment|Apartamento|Appartement|Appt|App|Suite|Ste|Unit|Flat|Bât|Bat|Piso|Planta|Zimmer|Etage|Étage|Floor|Fl|Room|Whg|Wohnung|Top|Stiege|Int|Interno|Scala|Sc|Esc|Bus|Bte|Box|Depto|Dpto|Sala|Loja|Andar|Piano|Appartamento|Edificio|Bloque|Bloco|Torre|Portal|Puerta|Kamer|Lot|Level|Office|Shop|Blk|Block)(?![\\p{L}]))';
const NAME = `(?:${NOT_UNIT}${CAP}\\.?|\\d{1,3}(?:st|nd|rd|th)|[IVX]{1,4}(?![\\p{L}]))`;
const STREET_NAME = `${NAME}(?:[ ]+(?:${PARTICLES}[ ]+)?${NAME}){0,3}`;
const DIRECTION = '(?:NW|NE|SW|SE|N|S|E|W|North|South|East|West|Upper|Lower|Extension|Ext[.])';
// House numbers after a street word may start with 0 in Chile ("Av. Alemania 0671") and carry a letter ("43E-31").
// and in Portugal carry the floor: "14-Cv", "6-4Esq.", "12-3º Dto".
const TF_HOUSE =
  '(?:[1-9]\\d{0,4}|0\\d{2,4})(?:[a-zA-Z](?![\\p{L}])|[ ][A-Z](?![\\p{L}\\p{N}]))?(?:[-/](?:\\d{1,4}[a-zA-Z]?|[A-Za-z])(?![\\p{L}])){0,3}' +
  '(?:-(?:\\d{1,2}[º°ª.]?[ ]?)?(?:Esq|Dto|Drt|Dt|Fte|Frt|Cv|Cave|Slt|Sub|Loja|RC|R/C|Ed|And|Gar|Escr|Ap)\\.?)?(?:[ ](?:bis|ter)(?![\\p{L}]))?';
const NUMBER_MARK = '(?:(?:[nN][º°o]|No|no|nr|Nr|núm|Núm|num|[kK]m)\\.?:?[ ]?|#[ ]?)';
const TF_NAME = `(?:\\d{1,2}[ ](?:de|di)[ ])?${NAME}(?:[ ]+(?:${PARTICLES}[ ]+)?${NAME}){0,4}`;
const LOWER_NAME = '(?:\\p{Ll}[\\p{Ll}\\p{M}]+[ ]){1,3}';

const LOCALITY_TYPES = list(`
  lieu-dit, hameau, località, loc., frazione, fraz., contrada, quartier, barrio, bairro, polígono industrial, polígono, urbanización, residencial,
  lugar, aldea, caserío, caserio, zona industrial, parque industrial, colonia, col., quinta, condomínio, condominio, loteamento, urbanização
`);

export const FAMILIES: readonly Family[] = [
  // 221B Baker Street; 350 West 57th Street; 7421 128 St; No. 7, Sec. 5, Xinyi Rd.; 2150 Lakeshore Rd W
  {
    name: 'english',
    scan: 'english',
    before: new RegExp(
      `${B}(?:No\\.?[ ]?)?${HOUSE_NUMBER}${NOT_A_QUANTITY},?[ ]+(?:(?:Sec|Ln|Aly|Lane|Alley)\\.?[ ]\\d{1,3},[ ]+){0,3}(?:${DIRECTION}\\.?[ ]+)?(${STREET_NAME})[ ]+$|${B}${HOUSE_NUMBER}[ ]+(\\d{1,3})[ ]+$`,
      'u',
    ),
    after: new RegExp(`\\.?(?:[ ]\\d{1,3}(?=,))?(?:[ ]+${DIRECTION}${E})?`, 'uy'),
    needs: 'none',
    numberFirst: true,
    streetWords: { in: 'before', group: 1 },
    takes: new Set([...ENGLISH_TYPES, ...ENGLISH_UPPER]),
    score: [0.7, 0.85],
  },
  // 12 mill lane, written in lowercase: only with a flat, a postcode or an address word around it
  {
    name: 'englishLower',
    scan: 'english',
    before: new RegExp(`${B}(?:no\\.?[ ]?)?${HOUSE_NUMBER}${NOT_A_QUANTITY},?[ ]+((?:\\p{Ll}[\\p{Ll}\\p{M}'’-]*[ ]+){1,3})$`, 'u'),
    after: /\.?/uy,
    needs: 'support',
    numberFirst: true,
    lower: true,
    streetWords: { in: 'before', group: 1 },
    takes: new Set(ENGLISH_LOWER),
    score: [0.5, 0.7],
  },
  // Rothschild Blvd 22, Tel Aviv-Yafo 6688218: English street words with the number after, only with a postcode
  {
    name: 'englishNumberAfter',
    scan: 'english',
    before: new RegExp(`${B}(${CAP}(?:[ ]${CAP}){0,2})[ ]$`, 'u'),
    after: new RegExp(`\\.?[ ]${HOUSE_NUMBER}${NOT_A_QUANTITY}${E}`, 'uy'),
    needs: 'postcodeFirst',
    placeWords: { in: 'before', group: 1 },
    takes: new Set(ENGLISH_TYPES),
    score: [0.75, 0.75],
  },
  // 12 rue de la Paix; 8 bis avenue Jean Jaurès; 1234, boul. René-Lévesque Ouest; 8 hent Kerlouan
  {
    name: 'french',
    words: list(`
      rue, avenue, av., bd, bd., boul., boulevard, bld, blvd, place, pl., allée, allee, chemin, ch., impasse, imp., quai, route, rte, cours, square,
      passage, voie, faubourg, fbg, sentier, ruelle, montée, côte, traverse, esplanade, parvis, rang, hent, rond-point, promenade, villa, cité
    `),
    before: new RegExp(`${B}${HOUSE_NUMBER}${NOT_A_QUANTITY},?[ ]+$`, 'u'),
    after: new RegExp(`[ ]+(?:${PARTICLES}[ ]*)?${STREET_NAME}`, 'uy'),
    needs: 'none',
    numberFirst: true,
    score: [0.7, 0.85],
  },
  // Hauptstraße 5; Keizersgracht 123; Witte de Withstraat 33b; Drottninggatan 71; Hämeenkatu 20 A 4
  {
    name: 'compound',
    scan: 'suffix',
    takes: new Set(COMPOUND_SUFFIXES),
    // The suffix ends a compound word ("Haupt|straße"); a name may come before it ("Landstraßer", "Witte de").
    before: new RegExp(
      `${B}(?:(${CAP})[ ](?:(?:de|van|der|den|het|ter|te|von|la|le)[ ])?)?\\p{Lu}[\\p{L}\\p{M}]*(?:-\\p{L}[\\p{L}\\p{M}]*)*[\\p{Ll}\\p{M}]$`,
      'u',
    ),
    after: new RegExp(`[ ]+(?:[Nn]r\\.?[ ]?)?${HOUSE_NUMBER}${NOT_A_QUANTITY}${E}`, 'uy'),
    needs: 'none',
    score: [0.7, 0.85],
  },
  // Berliner Straße 12a; Karl-Liebknecht-Straße 78; Grand-Rue 34; Király utca 38; Tartu mnt 84a-12; Atatürk Cad. No: 118
  {
    name: 'typeAfter',
    scan: 'suffix',
    takes: new Set([...TYPE_AFTER, 'Rue']),
    // One name word, or two ("Franz Schubert-Gasse"): the first is checked like the word before a compound.
    before: new RegExp(`${B}(?:(${CAP})[ ])?(${CAP})[ -]$`, 'u'),
    after: new RegExp(`[ ]+(?:(?:No|Nr|nr)[.:]?[ ]?)?${HOUSE_NUMBER}${NOT_A_QUANTITY}${E}`, 'uy'),
    needs: 'none',
    placeWords: { in: 'before', group: 2 },
    score: [0.7, 0.85],
  },
  // Am Markt 3, 04109 Leipzig; An der Alster 12 (could be a date: "Am Montag 3")
  {
    name: 'germanAm',
    scan: 'english',
    takes: new Set(GERMAN_AM),
    after: new RegExp(`[ ]+(${CAP}(?:[ ]+${CAP})?)[ ]+${HOUSE_NUMBER}${NOT_A_QUANTITY}${E}`, 'uy'),
    needs: 'support',
    placeWords: { in: 'after', group: 1 },
    score: [0.7, 0.85],
  },
  // calle Mayor 5; C/ de Alcalá, 23; via Roma, 15; Rua Augusta, 1508; Av. 24 de Julho, 2096; Cra. 7 # 71-21; Calle 23 No. 1158;
  // Avda. de la Constitución, s/n; ul. Floriańska 14/3; Rue Saint-Gilles 58; Laan van Meerdervoort 55A
  {
    name: 'typeFirst',
    words: TYPE_FIRST,
    after: new RegExp(
      `[ ]+(?:` +
        `(?:${PARTICLES}[ ]+)?${TF_NAME},?[ ]*${NUMBER_MARK}?(?!\\d{4,5}[ ]+\\p{Lu}\\p{Ll})${TF_HOUSE}${NOT_A_QUANTITY}${E}` +
        `|\\d{1,3}[A-Z]?(?:[ ](?:bis|Bis|Sur|Norte|Sul|Sud|Este|Oeste))?,?[ ]*${NUMBER_MARK}${TF_HOUSE}${E}` +
        `|(?:${PARTICLES}[ ]+)?${TF_NAME},?[ ]*(?:s/n|S/N|s/nº|sin número|sem número|snc|SNC)(?![\\p{L}\\p{N}])\\.?` +
        `)`,
      'uy',
    ),
    needs: 'none',
    score: [0.7, 0.85],
  },
  // calle san bernardo 45 bajo b 41003 sevilla: all lowercase, so only with a flat or postcode after it
  {
    name: 'typeFirstLower',
    words: TYPE_FIRST.filter((w) => w.length >= 3 && !w.includes('.')),
    after: new RegExp(`[ ]+(${LOWER_NAME})${TF_HOUSE}${NOT_A_QUANTITY}${E}`, 'uy'),
    needs: 'support',
    lower: true,
    score: [0.5, 0.75],
  },
  // Lieu-dit Les Bories, 46300 Gourdon; Polígono Industrial Itziar, Parcela 14, 20829 Deba: no number, so a postcode must follow
  {
    name: 'locality',
    words: LOCALITY_TYPES,
    after: new RegExp(
      `[ ]+(?:(?:de|di|du|des|del|da|do|dos|das|la|le|les|los|las)[ ])?(${CAP}(?:[ ](?:(?:de|di|du|des|del|da|do|dos|das|la|le|les|los|las)[ ])?${CAP}){0,3})`,
      'uy',
    ),
    needs: 'postcodeFirst',
    placeWords: { in: 'after', group: 1 },
    score: [0.75, 0.75],
  },
  // PO Box 1183; P.O. Box 47362-00100; Postfach 10 14 52; Postbus 1054; Case postale 2187; Apartado de Correos 45; 08 BP 1432
  {
    name: 'poBox',
    words: [...PO_BOX_WORDS, 'bp', 'b.p.'],
    // "08 BP 1432 Abidjan 08": a sector number before "BP", the town after a space.
    before: /(?:(?<![\p{L}\p{N}])\d{1,2} )?$/u,
    after: new RegExp(`${BOX_NUMBER}(?:[ ]${CAP}(?:[ ]\\d{1,2})?(?=[ \\t]*(?:$|[,.;\\r\\n])))?`, 'uy'),
    needs: 'none',
    score: [0.55, 0.85],
  },
  // 3-12-8 Shibuya, Shibuya-ku, Tokyo 150-0002 (checked for a ward, city or postcode after it)
  {
    name: 'japaneseBlock',
    scan: 'japaneseBlock',
    // Found among the number-then-name hits (where the name starts): the block number ends before it.
    before: /(?<![\p{L}\p{N}\-/.,])\d{1,2}-\d{1,2}(?:-\d{1,3}){1,2},?[ ]$/u,
    after: new RegExp(`${CAP}(?:[ ]${CAP})?`, 'uy'),
    needs: 'postcode',
    score: [0.85, 0.85],
  },
  // 45 Teheran-ro 52-gil; 123 Sejong-daero; 78 Centum jungang-ro
  {
    name: 'korean',
    scan: 'korean',
    before: new RegExp(`${B}${HOUSE_NUMBER},?[ ]+(?:[\\p{L}\\p{M}]+[ ]){0,2}[\\p{L}\\p{M}]+$`, 'u'),
    after: /(?:[ ]\d{1,3}(?:beon)?-gil)?(?![\p{L}\p{N}])/uy,
    needs: 'none',
    numberFirst: true,
    score: [0.7, 0.85],
  },
  // Written the Korean way round, from the city down: "Seoul, Gangnam-gu, Teheran-ro 152"
  {
    name: 'koreanNumberAfter',
    scan: 'korean',
    before: /(?<![\p{L}\p{N}-])[\p{L}\p{M}]+$/u,
    after: /(?:[ ]\d{1,3}(?:beon)?-gil)?[ ][1-9]\d{0,3}(?:-\d{1,4})?(?![\p{L}\p{N}])/uy,
    needs: 'adminBefore',
    score: [0.7, 0.7],
  },
  // ... and the Japanese way round: "Tokyo, Shibuya-ku, Shibuya 2-21-1", "〒150-0002 Tokyo, Shibuya-ku, Jingumae 1-2-3"
  {
    name: 'japaneseBlockAfter',
    scan: 'japaneseBlockAfter',
    before: /(?<![\p{L}\p{N}])\p{Lu}[\p{L}\p{M}]*(?:-\p{L}+)?[ ]$/u,
    after: /(?:)/uy,
    needs: 'adminBefore',
    score: [0.7, 0.7],
  },
];

export type StarterKind = 'unit' | 'code' | 'rural' | 'ship';

/** Flats, plots and houses written first, with the rest of the address after them ("Flat No. 3B, Sri Sai Residency, ..."). */
export const STARTER_WORDS = list(`
  flat, apt, apartment, unit, suite, shop, plot, lot, blk, block, villa, house, office, room, level, floor, stand, erf, door, h.no, h. no, d.no,
  d. no
`);
export const STARTER_ID = new RegExp(`\\.?[ ]?(?:(?:No|no|NO)\\.?[ ]?|[nN][º°][ ]?|#[ ]?)?(?:[A-Z0-9]*\\d[A-Z0-9]*(?:[-/][A-Z0-9]+)*|[A-Z]{1,2})${E}`, 'uy');
/** Rural routes ("RR 2"), ships ("USNS Comfort") and codes ("B-47", "TC 15/1204", "PSC 473"), each in its group. */
export const CODE_STARTER =
  /(?:\b((?:RR|R\.R\.|[Rr]ural [Rr]oute|HC) ?#?\d{1,3})\b|\b((?:USNS|USS|USCGC) [A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*)?)\b|(\b[A-Z]{1,3}-\d{1,4}[A-Z]?|\b[A-Z]{2,4} \d{1,4}(?:\/\d{1,5})?)(?![A-Za-z0-9]))/y;

/** The shared scans. */
export const SCANS = {
  // (the German "Am", "An der" ... are found by the same scan, being case-sensitive words too)
  english: new RegExp(`\\b${trie([...ENGLISH_TYPES, ...ENGLISH_UPPER, ...ENGLISH_LOWER, ...GERMAN_AM])}(?![A-Za-z0-9\\u00C0-\\u024F])`, 'g'),
  korean: /-(?:ro|gil|daero)(?![A-Za-z0-9\u00C0-\u024F])/g,
  japaneseBlockAfter: /(?<![-\d./])\b\d{1,2}-\d{1,2}(?:-\d{1,3}){0,2}\b(?![-\/.]\d)/g,
};

/** The street word that ends the text before a house number ("Hauptstraße| 5", "Berliner Straße| 12a", "Király utca| 38"): checked at each space before a number, as a scan of its own would be slow. */
export const SUFFIX_AT_END = new RegExp(`(?<=(${trie([...new Set([...COMPOUND_SUFFIXES, ...TYPE_AFTER, 'Rue'])])}))`, 'y');
export const NUMBER_LABEL_AT_END = /(?<=[ ]+(?:No|Nr|nr)[.:]?)/y;

/** Wards, districts, cities and prefectures of Japan and Korea, and Japanese postcodes, written before the street. */
export const EAST_ASIAN_ADMIN =
  /(?:^|[\s:;(])((?:〒?[ ]?\d{3}-\d{4}[ ,]*)?(?:\p{Lu}[\p{L}\p{M}]*(?:-(?:gu|si|do|dong|ku|shi|ken|to|fu|gun|cho|machi|eup|myeon))?[ ]?)+)(?:,[ ]*|[ ])$/u;

/**
 * A fast scan for any of `words` (case-insensitive) at a word start: a regex without the `u` flag
 * runs many times faster; the letter before a word that starts with a non-ASCII letter is
 * checked by the caller.
 */
export function wordsAnchor(words: readonly string[]): RegExp {
  const unique = [...new Set(words.map((w) => w.toLowerCase()))];
  const ascii = unique.filter((w) => /^[a-z0-9]/i.test(w));
  const other = unique.filter((w) => !/^[a-z0-9]/i.test(w));
  const parts = [`\\b${trie(ascii)}`];
  if (other.length) parts.push(trie(other));
  // Not the start of a longer word ("available", "boxes").
  return new RegExp(`(?:${parts.join('|')})(?![a-zA-Z0-9\\u00C0-\\u024F])`, 'gi');
}

// A street without a street word, told by the postcode and town after it: "Heuvel 21, 5611 AB Eindhoven", "Meir 48 bus 3, 2000 Antwerpen".
export const NAME_THEN_NUMBER = new RegExp(`${B}(${CAP}(?:[ ](?:(?:de|di|van|der|den|het|la|le|del|da|do|dos|das|von|am|an|y)[ ])?${CAP}){0,2})$`, 'u');
export const NUMBER_AFTER_NAME = new RegExp(`[ ]${HOUSE_NUMBER}${NOT_A_QUANTITY}${E}`, 'uy');
/** The spaces before a number or a capital: where a name meets its house number ("Heuvel| 21", "221| Baker"). */
export const SPACE_BEFORE_NUMBER_OR_NAME = / (?=[1-9A-Z\u00C0-\u00DE\u0100-\u024F])/g;
// ... or a house number before it: "42 Peckham Rye, London SE15 4JR", "25 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội 100000".
const SIMPLE_HOUSE_NUMBER = '[1-9]\\d{0,4}[a-zA-Z]?(?:[-/]\\d{1,4}[a-zA-Z]?){0,3}';
/** The house number that ends at a NUMBER_THEN_NAME_ANCHOR, matched against the text up to the anchor's end. */
export const NUMBER_THEN_NAME = new RegExp(`(?<![\\p{L}\\p{N}#$€£:/.,-])(?:No\\.?[ ]?)?${SIMPLE_HOUSE_NUMBER}${NOT_A_QUANTITY},?[ ]$`, 'u');

// Companies and services that follow "via" far more often than a street name does.
export const NOT_A_STREET_NAME =
  /^(?:via|per|con)\s+(?:Amazon|Email|E-mail|Mail|Post|Poste|Paypal|PayPal|WhatsApp|Telegram|Facebook|Google|Apple|Stripe|Chat|Ticket|Twitter|Instagram|Skype|Zoom|Teams|Slack|Bank|Express|Standard|Priority|DHL|UPS|FedEx|GLS|DPD|SDA|BRT|Bartolini)\b/iu;
