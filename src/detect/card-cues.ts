/**
 * The words around a card number, in the seven languages of the corpus (en, fr, de, es, it,
 * nl, pt): what says it is a payment card ("Visa", "Kreditkarte", "tarjeta", "cartão"), what
 * says a payment ("paid with", "bezahlt"), and what says it is another card or number ("gift
 * card", "carte de fidélité", "IMEI", "EAN").
 */

export { continuesCode, isLabelledAsReference } from './phone-cues.js';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternatives = (words: readonly string[]): string =>
  [...words].sort((a, b) => b.length - a.length).map((w) => escapeRegExp(w).replace(/ /g, '[\\s-]+')).join('|');
const wordsRegExp = (words: readonly string[], extra = ''): RegExp =>
  new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives(words)}${extra})(?![\\p{L}\\p{N}])`, 'iu');

// Cards, networks, and what is printed on a card.
const CARD_WORDS = [
  // en
  'card', 'cards', 'credit card', 'debit card', 'card number', 'card no', 'cardholder', 'card holder', 'cc', 'cc#', 'cc no', 'ccn',
  'cvv', 'cvc', 'cvv2', 'csc', 'expiry', 'exp', 'exp.', 'expires', 'expiration', 'valid thru', 'valid until',
  // networks
  'visa', 'mastercard', 'master card', 'amex', 'american express', 'discover', 'diners', 'diners club', 'jcb', 'unionpay',
  'union pay', 'maestro', 'mir', 'troy', 'rupay', 'uatp', 'elo', 'hipercard', 'verve', 'dankort', 'carte bleue', 'cb', 'bancontact',
  'girocard', 'ec-karte', 'v pay', 'vpay', 'laser', 'switch', 'electron', 'visa electron', 'postepay', 'multibanco',
  // fr
  'carte', 'cartes', 'carte bancaire', 'carte de crédit', 'carte de débit', 'numéro de carte', 'n° de carte', 'cryptogramme',
  'titulaire', 'date d\'expiration',
  // de
  'kreditkarte', 'kreditkartennummer', 'kartennummer', 'karteninhaber', 'karteninhaberin', 'gültig bis', 'ablauf', 'prüfziffer',
  'kartenprüfnummer',
  // es
  'tarjeta', 'tarjetas', 'crédito', 'credito', 'débito', 'debito', 'caducidad', 'vencimiento', 'titular',
  // it
  'carta', 'carte di credito', 'carta di credito', 'bancomat', 'scadenza', 'intestatario', 'intestataria',
  // nl
  'kaart', 'creditcard', 'pinpas', 'bankpas', 'betaalpas', 'kaarthouder', 'kaartnummer', 'vervaldatum', 'geldig tot',
  // pt
  'cartão', 'cartao', 'cartões', 'validade', 'número do cartão',
];
/** A payment card word, or a compound of one ("Firmenkarte", "Diners-Club-Karte", "privékaart"). */
export const CARD_CUE = wordsRegExp(CARD_WORDS, '|\\p{L}*(?:karte|karten|kaart|kaarten|kartennummer|kaartnummer)');

// A payment without the card named: "paid with", "bezahlt mit", "pagado con".
const PAYMENT_WORDS = [
  'paid', 'pay', 'paying', 'payment', 'charge', 'charged', 'charging', 'billed', 'refund', 'debit', 'credit',
  'payé', 'payée', 'payer', 'paiement', 'réglé', 'régler', 'débiter', 'débité', 'prélèvement', 'remboursement',
  'bezahlt', 'bezahlen', 'zahlung', 'belastet', 'belasten', 'abbuchen', 'abgebucht', 'erstattung',
  'pago', 'pagado', 'pagar', 'pagué', 'cobro', 'cobrar', 'cargo', 'cargar', 'reembolso',
  'pagato', 'pagare', 'pagamento', 'addebito', 'addebitare', 'rimborso',
  'betaald', 'betalen', 'betaling', 'afschrijving', 'terugbetaling',
  'pago', 'pagar', 'pagamento', 'cobrança', 'cobrado', 'debitado', 'reembolso',
];
export const PAYMENT_CUE = wordsRegExp(PAYMENT_WORDS);

// Cards that pay nothing, or not as a card number: gift, loyalty, SIM, identity, health cards.
const OTHER_CARDS = [
  'gift', 'loyalty', 'member', 'membership', 'sim', 'id', 'identity', 'library', 'health', 'insurance', 'student', 'reward', 'rewards',
  'store', 'fuel', 'transit', 'oyster', 'bonus', 'geschenk', 'kunden', 'mitglieds', 'versicherten', 'gesundheits',
  'bibliotheek', 'klanten', 'cadeau', 'spaar',
];
const OTHER_CARD_AFTER = [
  'cadeau', 'de fidélité', 'fidélité', 'vitale', 'sim', 'd\'identité', 'regalo', 'de regalo', 'de fidelidad', 'fidelidad', 'sanitaria',
  'fedeltà', 'fedelta', 'presente', 'fidelidade', 'de cidadão', 'cidadão', 'de identidad', 'd\'identità', 'punti', 'puntos', 'pontos',
];
export const NOT_A_PAYMENT_CARD = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:(?:${alternatives(OTHER_CARDS)})[\\s-]?(?:card|karte|kaart|pas)|` +
    `(?:carte|tarjeta|carta|cartão|card)\\s+(?:${alternatives(OTHER_CARD_AFTER)}))(?![\\p{L}\\p{N}])`,
  'iu',
);

// Other numbers that pass Luhn by design or are as long as card numbers.
export const OTHER_CARD_NUMBER_CONTEXT = wordsRegExp([
  'imei', 'meid', 'iccid', 'ean', 'gtin', 'upc', 'barcode', 'bar code', 'isbn', 'sscc', 'siret', 'siren', 'serial', 's/n', 'sn',
  'iban', 'account number', 'kontonummer', 'numéro de compte', 'número de cuenta', 'numero di conto', 'rekeningnummer',
  'número de conta', 'routing', 'sort code', 'awb', 'waybill', 'dni', 'nif', 'nir', 'bsn', 'ssn', 'id number',
  'codice fiscale', 'partita iva', 'vat', 'tva', 'btw', 'cnpj', 'cpf', 'policy', 'polizza', 'póliza', 'apólice', 'polis',
]);
