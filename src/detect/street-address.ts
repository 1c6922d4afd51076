import { hasContext, isLetterOrDigit, raise, wordsPattern } from './context.js';
import { NOT_NAMES } from './person/common-words.js';
import type { Detector, Span } from './types.js';

/**
 * Street addresses: a house number and a street name around a street word ("221B Baker
 * Street", "12 rue de la Paix", "Hauptstraße 5", "calle Mayor 5", "via Roma 12",
 * "Keizersgracht 123", "Rua Augusta 120"), with the flat or floor written with it ("Flat 2,",
 * ", 3º B", " bus 4") and the postcode and town after it. The street word is found first (a
 * cheap scan); the rest is read backwards and forwards from it.
 */

// A capitalised name word ("Baker", "Saint-Antoine", "O'Connell"), an ordinal ("57th") or a
// regnal number ("Vittorio Emanuele II").
const NAME = "(?:\\p{Lu}[\\p{Ll}\\p{M}]+(?:['’\\-]\\p{L}[\\p{Ll}\\p{M}]*)*\\.?|\\d{1,3}(?:st|nd|rd|th)|[IVX]{1,4}(?![\\p{L}]))";
// House numbers never start with 0; "12a", "27/B", "263-1", "88/12", "3 bis".
const HOUSE_NUMBER = '[1-9]\\d{0,4}(?:[ ]?[a-zA-Z](?![\\p{L}]))?(?:[-/](?:\\d{1,4}[a-zA-Z]?|[A-Za-z])(?![\\p{L}]))?(?:[ ](?:bis|ter)(?![\\p{L}]))?';
// A number of days, items or euros is not a house number.
const NOT_A_QUANTITY =
  '(?![ ]?(?:%|€|\\$|£|eur|euros?|usd|gbp|kg|g|km|m|cm|mm|min|mins|minutes?|h|hours?|days?|weeks?|months?|years?|items?|pcs|pieces?|x|' +
  'jours?|heures?|semaines?|mois|ans|tage|tagen|stunden|wochen|monate|jahre|stück|días|horas|semanas|meses|años|giorni|ore|settimane|mesi|anni|pezzi|' +
  'dagen|uur|weken|maanden|jaar|stuks|dias|horas)(?![\\p{L}]))';
const PARTICLES = "(?:de|du|des|de la|de l'|de l’|d'|d’|la|le|les|l'|l’|del|de los|de las|dei|degli|delle|della|dello|di|da|do|dos|das|van|von|der|den|am|an|im|zum|zur|of|the)";
const STREET_NAME = `${NAME}(?:[ ]+(?:${PARTICLES}[ ]+)?${NAME}){0,3}`;
const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';

const CITY_PATTERN = `${NAME}(?:[ -](?:(?:de|del|di|am|an der|sur|en|la|le)[ -])?${NAME}){0,2}`;

interface Family {
  /** The street word, found by a cheap scan (a lookbehind would make it slow: word starts are checked in code). */
  anchor: RegExp;
  /** What must come before the street word, matched against the text before it. */
  before?: RegExp;
  /** What must follow the street word, read stickily from its end. */
  after: RegExp;
  /** Only with a postcode, a town or an address word around it ("Am Markt 3" could be a date). */
  needsSupport?: boolean;
  /** Where the street name is, which must not be an everyday word ("Order 21, 75011 Paris", "Am Montag 3"). */
  checkNames?: 'before' | 'after';
}

const alternatives = (list: readonly string[]): string => list.map((w) => w.replace(/[./]/g, (c) => `\\${c}`)).join('|');
const TYPE_FIRST = [
  // Spanish and Catalan
  'calle', 'c/', 'avenida', 'avda.', 'avda', 'plaza', 'pza.', 'paseo', 'pº', 'camino', 'carretera', 'ctra.', 'ronda', 'travesía',
  'glorieta', 'rambla', 'passeig', 'carrer', 'avinguda', 'plaça',
  // Italian
  'via', 'viale', 'piazza', 'p.zza', 'corso', 'largo', 'vicolo', 'strada', 'piazzale', 'lungomare', 'lungotevere', 'contrada', 'borgo',
  // Portuguese
  'rua', 'praça', 'travessa', 'estrada', 'alameda', 'calçada', 'beco',
  // Dutch ("Laan van Meerdervoort 55")
  'laan',
];

const FAMILIES: readonly Family[] = [
  // 221B Baker Street; 350 West 57th Street
  {
    anchor: new RegExp(
      `(?:${alternatives([
        'Street', 'St', 'Road', 'Rd', 'Avenue', 'Ave', 'Lane', 'Ln', 'Drive', 'Dr', 'Boulevard', 'Blvd', 'Way', 'Court', 'Ct', 'Place', 'Pl',
        'Square', 'Sq', 'Terrace', 'Close', 'Crescent', 'Gardens', 'Grove', 'Row', 'Parkway', 'Pkwy', 'Highway', 'Hwy', 'Mews', 'View',
        'Quay', 'Parade', 'Wharf', 'Rise', 'Walk', 'Hill', 'Green', 'Park', 'Gate', 'Heights', 'Vale', 'Yard', 'Circle', 'Plaza', 'Alley',
        'Approach', 'Broadway', 'Embankment', 'Esplanade', 'Promenade', 'Causeway', 'Croft', 'Meadow', 'Meadows', 'Fields',
      ])})${E}`,
      'gu',
    ),
    before: new RegExp(`${B}${HOUSE_NUMBER}${NOT_A_QUANTITY},?[ ]+${STREET_NAME}[ ]+$`, 'u'),
    after: new RegExp(`\\.?(?:[ ]+(?:NW|NE|SW|SE|N|S|E|W)${E})?`, 'uy'),
  },
  // 12 rue de la Paix; 8 bis avenue Jean Jaurès
  {
    anchor: new RegExp(`(?:${alternatives(['rue', 'avenue', 'av.', 'bd', 'boulevard', 'bld', 'place', 'allée', 'allee', 'chemin', 'impasse', 'quai', 'route', 'cours', 'square', 'passage', 'voie', 'faubourg', 'rte'])})(?=[ ])`, 'giu'),
    before: new RegExp(`${B}${HOUSE_NUMBER}${NOT_A_QUANTITY},?[ ]+$`, 'u'),
    after: new RegExp(`[ ]+(?:${PARTICLES}[ ]*)?${STREET_NAME}`, 'uy'),
  },
  // Hauptstraße 5; Keizersgracht 123; Lindenallee 27
  {
    anchor: new RegExp(
      '(?:straße|strasse|str\\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee|steig|pfad|markt|graben|' +
        'straat|laan|plein|gracht|kade|singel|dijk|steeg|dreef|pad|hof|plantsoen)(?=[ ]+[1-9])',
      'gu',
    ),
    // The suffix ends a compound word: "Haupt|straße", "Keizers|gracht".
    before: new RegExp(`${B}(?:${NAME}[ -])?\\p{Lu}[\\p{Ll}\\p{M}]*\\p{Ll}$`, 'u'),
    after: new RegExp(`[ ]+${HOUSE_NUMBER}${NOT_A_QUANTITY}${E}`, 'uy'),
  },
  // Berliner Straße 12a; Mariahilfer Straße 88/12; Berliner Str. 12a
  {
    anchor: /(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Ring|Damm|Ufer|Chaussee|Markt)(?=[ ]+[1-9])/gu,
    before: new RegExp(`${B}${NAME}[ ]$`, 'u'),
    after: new RegExp(`[ ]+${HOUSE_NUMBER}${NOT_A_QUANTITY}${E}`, 'uy'),
  },
  // Am Markt 3, 04109 Leipzig; An der Alster 12
  {
    anchor: /(?:Am|An der|An den|Auf der|Auf dem|Im|In der|Zum|Zur|Unter den|Hinter der)(?=[ ]\p{Lu})/gu,
    after: new RegExp(`[ ]+${NAME}(?:[ ]+${NAME})?[ ]+${HOUSE_NUMBER}${NOT_A_QUANTITY}${E}`, 'uy'),
    needsSupport: true,
    checkNames: 'after',
  },
  // A street without a street word, told by the postcode and town after it: "Heuvel 21, 5611 AB Eindhoven".
  {
    anchor: /(?:\d{4}[ ]?[A-Z]{2}|\d{5}|\d{4}-\d{3})(?=[ ]+\p{Lu})/gu,
    before: new RegExp(`${B}${NAME}(?:[ ]+${NAME})?[ ]+${HOUSE_NUMBER},?[ ]+$`, 'u'),
    after: new RegExp(`[ ]+${CITY_PATTERN}${E}`, 'uy'),
    checkNames: 'before',
  },
  // calle Mayor 5; C/ de Alcalá, 23; via Roma 12; Rua Augusta 120; Laan van Meerdervoort 55A
  {
    anchor: new RegExp(`(?:${alternatives(TYPE_FIRST)})(?=[ ])`, 'giu'),
    after: new RegExp(`[ ]+(?:${PARTICLES}[ ]+)?${STREET_NAME},?[ ]*(?:n[º°o.][ ]?)?${HOUSE_NUMBER}${NOT_A_QUANTITY}${E}`, 'uy'),
  },
];

// "Flat 2, 14 Mill Lane", "Apt 5B, 350 West 57th Street", "Bât. C, 27 allée des Tilleuls".
const UNIT_BEFORE = /(?<![\p{L}\p{N}])(?:flat|apt\.?|apartment|unit|suite|bât\.?|bâtiment|appt\.?|appartement|escalier|wohnung|whg\.?)[ ]?[A-Za-z0-9]{1,4},?[ ]+$/iu;
// ", Suite 210", ", 3º B", ", 2º izda.", ", int. 4", " bus 4", ", 3. OG", ", 4t 1a", ", 2.º Esq.".
const UNIT_AFTER = new RegExp(
  ',?[ ]+(?:' +
    '(?:suite|ste\\.?|apt\\.?|unit|flat|floor|fl\\.|int\\.?|interno|scala|sc\\.|bus|bte|boîte|app\\.?|appt\\.?|piso|planta|esc\\.?|puerta|pta\\.?|stock|étage|andar)[ ]?[A-Za-z0-9]{1,5}\\.?' +
    '|\\d{1,2}\\.?[º°ª](?:[ ]?(?:[A-Za-z]|izda|izq|dcha|der|esq|dto|dt|drt|frente)\\.?)?' +
    '|\\d{1,2}\\.[ ]?(?:OG|Stock|Etage|EG)' +
    '|\\d{1,2}[a-z][ ]\\d[a-z]' +
    `)${E}\\.?`,
  'iuy',
);
// "75011 Paris", "10115 Berlin", "1012 AB Amsterdam", "1100-053 Lisboa", and after a town
// "London NW1 6XE", "Springfield, IL 62704", "New York, NY".
const UK_POSTCODE = '[A-Z]{1,2}\\d[A-Z\\d]?[ ]?\\d[A-Z]{2}';
const POSTCODE_AND_CITY = new RegExp(`,?[ ]+(?:\\d{5}|\\d{4}[ ]?[A-Z]{2}|\\d{4}-\\d{3}|\\d{4}|[A-Z]{1,2}-?\\d{4,5})[ ]+(${CITY_PATTERN})${E}`, 'uy');
// A town alone follows a comma: "7 Orchard Close, Bristol", not "Am Montag 3 Pakete".
const CITY_AND_POSTCODE = new RegExp(`,[ ]+(${CITY_PATTERN})(?:,?[ ]+(?:${UK_POSTCODE}|[A-Z]{2}(?:[ ]+\\d{5}(?:-\\d{4})?)?|\\d{5}))?${E}`, 'uy');
const POSTCODE_ONLY = new RegExp(`,?[ ]+${UK_POSTCODE}${E}`, 'uy');

// Companies and services that follow "via" far more often than a street name does.
const NOT_A_STREET_NAME = /^(?:via|per|con)\s+(?:Amazon|Email|E-mail|Mail|Post|Poste|Paypal|PayPal|WhatsApp|Telegram|Facebook|Google|Apple|Stripe|Chat|Ticket|Twitter|Instagram|Skype|Zoom|Teams|Slack|Bank|Express|Standard|Priority)\b/iu;
const CONTEXT = wordsPattern([
  'address', 'live at', 'lives at', 'living at', 'ship to', 'deliver to', 'delivery address', 'billing address', 'moved to',
  'adresse', "j'habite", 'habite', 'livrer', 'livrez', 'domicile', 'anschrift', 'wohne', 'wohnhaft', 'lieferadresse', 'dirección',
  'domicilio', 'vivo en', 'envío a', 'indirizzo', 'abito in', 'residente', 'spedire a', 'adres', 'woon', 'woonadres', 'bezorgadres',
  'morada', 'moro na', 'moro em', 'enviem para',
]);
const LOOK_BACK = 80;

// Everyday words that begin place names ("New York", "San Francisco", "Den Haag").
const PLACE_PREFIXES = new Set(['new', 'san', 'santa', 'santo', 'saint', 'sainte', 'st', 'los', 'las', 'la', 'le', 'les', 'den', 'bad', 'sankt', 'são', 'el', 'il']);

/** Capitalised words that are not everyday words: a town, a street name. */
function isPlaceName(written: string): boolean {
  const words = written.split(/[ -]+/u);
  return words.every((word, i) => !NOT_NAMES.has(word.toLowerCase()) || (i === 0 && words.length > 1 && PLACE_PREFIXES.has(word.toLowerCase())));
}

/** The end of the flat, postcode and town after the street, or `end` when none follows. */
function tailEnd(text: string, end: number): { end: number; supported: boolean } {
  let last = end;
  for (let units = 0; units < 2; units++) {
    UNIT_AFTER.lastIndex = last;
    if (!UNIT_AFTER.exec(text)) break;
    last = UNIT_AFTER.lastIndex;
  }
  for (const pattern of [POSTCODE_AND_CITY, CITY_AND_POSTCODE, POSTCODE_ONLY]) {
    pattern.lastIndex = last;
    const match = pattern.exec(text);
    if (!match) continue;
    // "..., Thanks" or "..., Monday" is a sentence going on, not a town.
    if (match[1] !== undefined && !isPlaceName(match[1])) continue;
    return { end: pattern.lastIndex, supported: true };
  }
  return { end: last, supported: last > end };
}

const STREET_NAME_WORDS = /^[ ]*((?:\p{Lu}[\p{L}\p{M}'’-]*[ ]+)*?\p{Lu}[\p{L}\p{M}'’-]*)[ ]+[1-9]/u;

/** The capitalised words from `from` up to the house number. */
function streetName(text: string, from: number): string {
  return STREET_NAME_WORDS.exec(text.slice(from, from + 60))?.[1] ?? '';
}

export function findStreetAddresses(text: string): Span[] {
  const spans: Span[] = [];
  for (const family of FAMILIES) {
    family.anchor.lastIndex = 0;
    for (let anchor = family.anchor.exec(text); anchor !== null; anchor = family.anchor.exec(text)) {
      if (!family.before && isLetterOrDigit(text[anchor.index - 1])) continue;
      let start = anchor.index;
      if (family.before) {
        const from = Math.max(0, anchor.index - LOOK_BACK);
        const head = family.before.exec(text.slice(from, anchor.index));
        if (!head) continue;
        start = from + head.index;
      }
      family.after.lastIndex = anchor.index + anchor[0].length;
      const street = family.after.exec(text);
      if (!street) continue;
      const tail = tailEnd(text, family.after.lastIndex);
      const unit = UNIT_BEFORE.exec(text.slice(Math.max(0, start - 20), start));
      if (unit) start -= unit[0].length;
      const end = tail.end;
      const written = text.slice(start, end);
      if (NOT_A_STREET_NAME.test(written)) continue;
      const context = hasContext(text, start, end, CONTEXT, 40);
      if (family.needsSupport && !tail.supported && !context) continue;
      if (family.checkNames && !isPlaceName(streetName(text, family.checkNames === 'before' ? start : family.after.lastIndex - street[0].length))) continue;
      const base = tail.supported ? 0.85 : 0.7;
      spans.push({ type: 'STREET_ADDRESS', start, end, score: context ? raise(base, 0.1) : base });
      family.anchor.lastIndex = Math.max(family.anchor.lastIndex, end);
    }
  }
  return spans;
}

export const streetAddressDetector: Detector = {
  type: 'STREET_ADDRESS',
  mayContain: (text) => /[1-9]/.test(text),
  find: (text) => findStreetAddresses(text),
};
