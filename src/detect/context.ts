/**
 * Helpers shared by the detectors: context words near a candidate, and whether a candidate
 * is glued to the text around it.
 */

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * A case-insensitive regex matching any of `words` as whole words. A trailing "." or ":" in
 * a word is kept literal ("D.O.B.", "Tel."); a space matches `space` (any run of white space).
 */
export function wordsPattern(words: readonly string[], space = '\\s+'): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${wordAlternatives(words, space)})(?![\\p{L}\\p{N}])`, 'iu');
}

/** `words` as regex alternatives, longest first (so that "tax number" wins over "tax"), escaped, a space matching `space`. */
export function wordAlternatives(words: readonly string[], space = '\\s+'): string {
  return [...words]
    .sort((a, b) => b.length - a.length)
    .map((w) => escapeRegExp(w).replace(/ /g, space))
    .join('|');
}

/** Whether `pattern` matches within `before` characters ahead of the span or `after` characters behind it. */
export function hasContext(text: string, start: number, end: number, pattern: RegExp, before = 40, after = 0): boolean {
  if (pattern.test(text.slice(Math.max(0, start - before), start))) return true;
  return after > 0 && pattern.test(text.slice(end, end + after));
}

export function isLetterOrDigit(char: string | undefined): boolean {
  return char !== undefined && LETTER_OR_DIGIT.test(char);
}

/** A letter, digit or underscore right before `start` or right after `end`. */
export function isGlued(text: string, start: number, end: number): boolean {
  return isWordChar(text.charCodeAt(start - 1), text[start - 1]) || isWordChar(text.charCodeAt(end), text[end]);
}

function isWordChar(code: number, char: string | undefined): boolean {
  if (Number.isNaN(code)) return false;
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  return isLetterOrDigit(char);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Raises `base` by `boost` without passing 1. */
export function raise(base: number, boost: number): number {
  return Math.min(1, Math.round((base + boost) * 100) / 100);
}

// A number introduced as an order, invoice, tracking or reference number is that, whatever
// its digits would also validate as.
const LABELLED_AS_REFERENCE = new RegExp(
  '(?:(?<![\\p{L}\\p{N}])(?:order|orders|ord|invoice|inv|tracking|track|parcel|shipment|ref|reference|ticket|case|sku|item|article|' +
    "part|model|serial|serial number|serie|série|seriennummer|serienummer|numero di serie|número de serie|code|voucher|coupon|gift card|dossier|bon|bon d[’']achat|commande|facture|colis|suivi|référence|" +
    'bestellung|bestellnummer|rechnung|sendung|sendungsnummer|auftrag|artikel|gutschein|pedido|factura|envío|seguimiento|' +
    'expediente|ordine|fattura|spedizione|pratica|bestelling|factuur|zending|bestelnummer|encomenda|fatura|' +
    'version|ver|v|build|release)' +
    '\\.?\\s*(?:n[o°º]\\.?|nr\\.?|number|num\\.?|nummer|numéro|número|numero)?' +
    // "no." or "n°" alone introduces a reference too, unless it follows a phone word.
    '|(?<!(?:phone|tel|telephone|mobile|cell|fax|téléphone|portable|telefon|handy|teléfono|móvil|telefono|cellulare|telefoon|mobiel|gsm)\\.?\\s*)' +
    '(?<![\\p{L}\\p{N}])(?:n[o°º]|nr|num)\\.?)' +
    '\\s*[:#]?\\s*$',
  'iu',
);

/** Whether the words right before `start` introduce a reference number ("order #", "tracking:", "Rechnung Nr."). */
export function isLabelledAsReference(text: string, start: number): boolean {
  return LABELLED_AS_REFERENCE.test(text.slice(Math.max(0, start - 30), start));
}
