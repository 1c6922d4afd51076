import { wordAlternatives, wordsPattern } from './context.js';
/**
 * The words around a phone number: what says the digits are a phone number ("Tel.:", "call me
 * at", "Handy", "llámame al"), what says they are something else ("order", "IMEI", "SIRET"),
 * and extensions written after a number ("x769", "ext. 12", "poste 221", "Durchwahl 362").
 * In the seven languages of the corpus (en, fr, de, es, it, nl, pt).
 */

// Words that name a phone, a way of phoning, or a phone line.
const PHONE_WORDS = [
  // en
  'phone',
  'phones',
  'phoned',
  'phone number',
  'telephone',
  'tel',
  'tel.',
  'tele',
  'telno',
  'tel no',
  'mobile',
  'mob',
  'mob.',
  'cell',
  'cell.',
  'cellphone',
  'cell phone',
  'landline',
  'land line',
  'fax',
  'whatsapp',
  'whats app',
  'whats',
  'sms',
  'text me',
  'text',
  'texts',
  'call',
  'calls',
  'call me',
  'call me at',
  'call me on',
  'callback',
  'call back',
  'ring',
  'rang',
  'ring me',
  'reach me',
  'reach us',
  'contact',
  'contact no',
  'contact number',
  'hotline',
  'helpline',
  'freephone',
  'paging',
  'pager',
  'dial',
  'ph',
  'ph.',
  'switchboard',
  'direct line',
  'main line',
  'office line',
  'desk',
  'front desk',
  'extension',
  'voicemail',
  'pbx',
  'enquiries',
  'inquiries',
  // fr
  'téléphone',
  'telephone',
  'tél',
  'tél.',
  'portable',
  'fixe',
  'appeler',
  'appelez',
  'appelle',
  'appelez-moi',
  'rappeler',
  'rappelez',
  'rappellera',
  'joindre',
  'contacter',
  'standard',
  'ligne directe',
  'gsm',
  'texto',
  'numéro de téléphone',
  'num de tel',
  // de
  'telefon',
  'telefonnummer',
  'tel.-nr',
  'tel.-nr.',
  'telnr',
  'handy',
  'handynummer',
  'mobil',
  'mobilnummer',
  'mobiltelefon',
  'festnetz',
  'telefax',
  'rufnummer',
  'anrufen',
  'ruf',
  'rufen',
  'ruft',
  'rückruf',
  'zurückrufen',
  'erreichbar',
  'erreichen',
  'durchwahl',
  'zentrale',
  'anruf',
  // es
  'teléfono',
  'telefono',
  'tlf',
  'tlf.',
  'tfno',
  'tfno.',
  'telf',
  'telf.',
  'móvil',
  'movil',
  'celular',
  'cel',
  'cel.',
  'fijo',
  'llamar',
  'llame',
  'llámame',
  'llamame',
  'llamadme',
  'llámenos',
  'llamó',
  'wasap',
  'whatsap',
  'contacto',
  'comuníquese',
  'comunicarse',
  // it
  'cellulare',
  'cell.',
  'fisso',
  'chiamare',
  'chiamami',
  'chiamate',
  'chiamato',
  'richiamare',
  'recapito',
  'contatto',
  'telefonare',
  // nl
  'telefoon',
  'telefoonnummer',
  'tel.nr',
  'mobiel',
  'mobielnummer',
  'vast',
  'bellen',
  'bel',
  'belt',
  'terugbellen',
  'bereikbaar',
  'belt u',
  'bel me',
  // pt
  'telefone',
  'telemóvel',
  'telemovel',
  'celular',
  'fone',
  'fixo',
  'ligar',
  'ligue',
  'liga',
  'ligou',
  'ligar-me',
  'contato',
  'zap',
];

// "number" words: a phone cue only when the number looks like one ("mon numéro : 04 91 55 2"),
// since customer, account and order numbers are numbers too.
const NUMBER_WORDS = ['number', 'no', 'no.', 'num', 'num.', 'numéro', 'número', 'numero', 'nummer', 'nr', 'nr.', 'n°', 'nº'];

// Phone words (group 1) and "number" words, found in one pass over the text before a candidate.
// "Tel" of "Tel Aviv" is not one.
const CUE_WORDS = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:(${wordAlternatives(PHONE_WORDS)})|${wordAlternatives(NUMBER_WORDS)})(?![\\p{L}\\p{N}])(?!\\s*aviv)`,
  'giu',
);
// What may stand between a cue and its number: no digits, no line break, a few words at most
// ("Tel.: ", "call me at ", "mi número es ", "Rückruf bitte an ").
const CUE_GAP = /^[^\d\n]{0,28}$/;
// Labels of a signature or a form, at the start of a line or after a "|": "T: ", "M ", "HP: ".
const LINE_LABEL_BEFORE =
  /(?:^|[\n|•·]|\s{2})\s*(?:T|M|F|P|H|W|O|C|D|HP|Tf|Tlf|Sel|Cel|Mob|Mobil|Tel|Ph|Fon|Fix|Vast|Fixo|Direct|Direkt|Office|Home|Work|Büro|Privat)\s*[.:]?\s*$/u;
// Words in the gap that turn the number into something else: "phone number of order 4711",
// "numéro client 0012345".
const GAP_BLOCKERS =
  /(?<![\p{L}])(?:order|orders|commande|pedido|ordine|bestel\p{L}*|bestell\p{L}*|encomenda|client|customer|kunde\p{L}*|cliente|klant\p{L}*|account|konto|compte|cuenta|conto|rekening|conta|card|carte|karte|tarjeta|carta|kaart|cartão|iban|invoice|factur\p{L}*|fattur\p{L}*|rechnung|fatura|ticket|case|ref|reference|référence|referencia|riferimento|tracking|suivi|sendung|seguimiento|siret|siren|vat|iva|tva|btw|imei|serial|série|serie|model|modèle|modelo|modello|postcode|zip|cep|code|código|codice|dossier|contract|contrat|vertrag|contrato|contratto|policy|police|póliza|polizza|polis|apólice|member|membre|mitglied|socio|lid|bill|amount|total|price|preis|prix|precio|prezzo|prijs|preço|pin|puk|otp|password|passwort|contraseña|senha|id|views|users|times|fois|veces|volte|keer|vezes)(?![\p{L}])/iu;

/**
 * How strongly the text right before `start` says a phone number follows: 2 when a phone word
 * (or a form label like "T:") stands right before it, with at most a few words and no digits
 * between; 1 when a phone word or a "number" word is only somewhere in the 40 characters
 * before; 0 otherwise. `phoneShaped` (a leading "0", "+" or bracket) lets a "number" word
 * right before it count as a phone word ("numéro : 04 91 55 2").
 */
export function phoneCue(text: string, start: number, phoneShaped: boolean): 0 | 1 | 2 {
  const from = Math.max(0, start - 48);
  const before = text.slice(from, start);
  let lastPhone = -1;
  let lastNumber = -1;
  let near = false;
  CUE_WORDS.lastIndex = 0;
  for (let match = CUE_WORDS.exec(before); match !== null; match = CUE_WORDS.exec(before)) {
    const end = match.index + match[0].length;
    if (match[1] !== undefined) {
      lastPhone = end;
      if (end > before.length - 40) near = true;
    } else {
      lastNumber = end;
      // "number", "numéro", "Nummer" somewhere before; not "no" or "nr" (a reference, or "in the").
      if (end > before.length - 30 && match[0].length > 3) near = true;
    }
  }
  const cueEnd = phoneShaped ? Math.max(lastPhone, lastNumber) : lastPhone;
  if (cueEnd >= 0) {
    const gap = before.slice(cueEnd);
    if (CUE_GAP.test(gap) && isCueGap(gap)) return 2;
  }
  if (LINE_LABEL_BEFORE.test(text.slice(Math.max(0, start - 16), start))) return 2;
  return near ? 1 : 0;
}

// Nouns that may stand between a phone word and its number: "Telefon Büro:", "Tel. (Office)".
const LINE_NOUNS = new Set([
  'büro',
  'office',
  'home',
  'work',
  'privat',
  'private',
  'privé',
  'mobile',
  'mobil',
  'handy',
  'festnetz',
  'fax',
  'zentrale',
  'direkt',
  'direct',
  'durchwahl',
  'nr',
  'no',
  'number',
  'nummer',
  'numéro',
  'número',
  'numero',
  'bureau',
  'domicile',
  'maison',
  'oficina',
  'casa',
  'trabajo',
  'ufficio',
  'lavoro',
  'kantoor',
  'thuis',
  'werk',
  'escritório',
  'trabalho',
  'whatsapp',
  'sms',
  'gsm',
  'main',
  'standard',
  'principal',
  'general',
  'emergency',
  'notfall',
  'urgence',
  'urgencia',
  'emergenza',
  'noodgeval',
  'emergência',
]);
const WORD = /\p{L}+/gu;

/**
 * Whether `gap`, between a phone word and a number, joins them: a few words at most, none
 * of them a name ("Tel Aviv 6688218", "Ring Road, Bellandur 560103") or another kind of
 * number ("phone number of order 4711").
 */
function isCueGap(gap: string): boolean {
  if (GAP_BLOCKERS.test(gap)) return false;
  let words = 0;
  for (const [word] of gap.matchAll(WORD)) {
    if (++words > 3) return false;
    if (word.length >= 3 && /^\p{Lu}\p{Ll}/u.test(word) && !LINE_NOUNS.has(word.toLowerCase())) return false;
  }
  return true;
}

/** Whether the text between two numbers says nothing of its own ("0170 2244 981, Büro "). */
export function isPlainGap(gap: string): boolean {
  return gap.length <= 24 && !/[\d\n]/.test(gap) && !GAP_BLOCKERS.test(gap);
}

// "1Z 9A7 31E 04 4471 2208": the digits continue a code of letters and digits.
const AFTER_CODE = /(?:^|\s)(?=[\p{L}\d]*\d)(?=[\p{L}\d]*\p{L})[\p{L}\d]{2,}[ \u00A0]$/u;

/** Whether the number at `start` continues a code made of letters and digits. */
export function continuesCode(text: string, start: number): boolean {
  return AFTER_CODE.test(text.slice(Math.max(0, start - 12), start));
}

// Numbers that are neither phones nor payment cards but have their length: company, tax,
// bank, identity, device, product, shipment and policy numbers ("partita IVA 01234567897",
// "NIPC 500 123 456", "IMEI 356938035643809"). A space in a name may be a hyphen ("bar-code").
const OTHER_NUMBER_WORDS = [
  'vat',
  'vat number',
  'iva',
  'p.iva',
  'partita iva',
  'tva',
  'ust-idnr',
  'ust-id',
  'ustid',
  'steuernummer',
  'steuer-id',
  'btw',
  'btw-nummer',
  'kvk',
  'nipc',
  'nif',
  'cif',
  'siret',
  'siren',
  'tax id',
  'tax number',
  'tax no',
  'steuer-nr',
  'st.-nr',
  'stnr',
  'company number',
  'registration number',
  'iban',
  'swift',
  'bic',
  'imei',
  'ean',
  'gtin',
  'upc',
  'barcode',
  'isbn',
  'serial',
  's/n',
  'sn',
  'cnpj',
  'cpf',
  'rfc',
  'curp',
  'rut',
  'cuit',
  'dni',
  'nie',
  'ssn',
  'nino',
  'bsn',
  'aadhaar',
  'gstin',
  'abn',
  'acn',
  'sort code',
  'routing',
  'routing number',
  'account number',
  'kontonummer',
  'numéro de compte',
  'número de cuenta',
  'numero di conto',
  'rekeningnummer',
  'número de conta',
  'blz',
  'clabe',
  'batch',
  'lote',
  'lotto',
  'meid',
  'iccid',
  'bar code',
  'sscc',
  'awb',
  'waybill',
  'nir',
  'id number',
  'codice fiscale',
  'policy',
  'polizza',
  'póliza',
  'apólice',
  'polis',
];
export const OTHER_NUMBER_CONTEXT = wordsPattern(OTHER_NUMBER_WORDS, '[\\s-]+');

// A number introduced as an order, invoice, tracking or reference number is that. Wider than
// context.ts's isLabelledAsReference, which the other detectors use: customer and account
// numbers too (an IP address or a BSN after "client" is one), a carrier's name allowed between
// the word and the number ("tracking BRT 0685..."), and "no" counted only as "no." or "n°" (in
// Portuguese and Spanish "no" is "in the"). Made the shared one, it cost IP_ADDRESS recall.
const LABELLED_AS_REFERENCE = new RegExp(
  '(?:(?<![\\p{L}\\p{N}])(?:order|orders|ord|invoice|inv|tracking|track|parcel|shipment|ref|reference|ticket|case|sku|item|article|' +
    "part|model|serial|serial number|serie|série|seriennummer|serienummer|numero di serie|número de serie|code|voucher|coupon|gift card|dossier|bon|bon d[’']achat|commande|facture|colis|suivi|référence|" +
    'bestellung|bestellnummer|rechnung|sendung|sendungsnummer|auftrag|artikel|gutschein|pedido|factura|envío|seguimiento|' +
    'expediente|ordine|fattura|spedizione|pratica|bestelling|factuur|zending|bestelnummer|encomenda|fatura|' +
    'customer|client|kunde|kundennummer|cliente|klant|klantnummer|account|konto|compte|cuenta|conto|rekening|conta|' +
    'version|ver|v|build|release)' +
    '\\.?\\s*(?:n[o°º]\\.?|nr\\.?|number|num\\.?|nummer|numéro|número|numero|id)?' +
    '(?:\\s+[A-Z]{2,5})?' +
    '|(?<!(?:phone|tel|telephone|mobile|cell|fax|contact|whatsapp|téléphone|portable|telefon|handy|teléfono|móvil|celular|telefono|cellulare|telefoon|mobiel|gsm|telefone|telemóvel)\\.?\\s*)' +
    '(?<![\\p{L}\\p{N}])(?:n[o°º]\\.|n[°º]|nr\\.?|num\\.?))' +
    '\\s*[:#]?\\s*$',
  'iu',
);

// German and Dutch compounds: "Auftragsnummer", "Vertragsnummer:", "referentienummer", unless
// they name a phone number ("Telefonnummer", "Handynummer", "mobielnummer").
const COMPOUND_NUMBER_LABEL = /(?<![\p{L}])(\p{L}{3,})nummer\.?\s*[:#]?\s*$/iu;
const PHONE_COMPOUND =
  /^(?:telefon|telefoon|handy|ruf|mobil|mobiel|fax|telefax|festnetz|kontakt|contact|gsm|whatsapp|notfall|notruf|service|hotline|durchwahl|faks)/iu;

/** Whether the words right before `start` introduce a reference number ("order #", "tracking BRT", "Rechnung Nr."). */
export function isLabelledAsAccountOrReference(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 34), start);
  if (LABELLED_AS_REFERENCE.test(before)) return true;
  const compound = COMPOUND_NUMBER_LABEL.exec(before);
  return compound !== null && !PHONE_COMPOUND.test(compound[1]!);
}

// An extension written after the number: "x769", " ext. 12", ", poste 221", " Durchwahl 362",
// " ramal 45", " interno 22", " toestel 14", " App. 7".
export const EXTENSION = new RegExp(
  `^(?:,?[ \\u00A0]?(?:ext|ext\\.|extn|extn\\.|extension|poste|durchwahl|dw|dw\\.|apparat|app\\.|nebenstelle|ramal|interno|int\\.|` +
    `toestel|tst\\.?|anexo|extensión|extensão|ext:)[ \\u00A0]?:?[ \\u00A0]?|[ \\u00A0]?(?:x|p\\.|#)[ \\u00A0]?)(\\d{1,6})(?![\\p{L}\\p{N}])`,
  'iu',
);
