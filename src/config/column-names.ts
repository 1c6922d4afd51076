/**
 * What a column's name says about the data it holds: a dictionary of the words databases use
 * for personal data, in English, French, German, Spanish, Italian, Dutch and Portuguese.
 *
 * Names are read as words, not substrings: `CustomerEmail`, `email_address`, `contact-phone-2`
 * and `Straße` are split into tokens (camelCase, snake_case, kebab-case, digits apart),
 * lower-cased and stripped of accents, then matched against the dictionary, several tokens at
 * a time (`first_name`, `e_mail`, `date_of_birth`). A name alone never decides the type
 * question: `email` on a boolean column is not an e-mail address, and init/classify.ts checks that.
 */
import type { ColumnInfo } from '../db/schema-snapshot.js';

export type ColumnType = ColumnInfo['type'];

export type PersonalKind =
  | 'email'
  | 'phone'
  | 'full_name'
  | 'first_name'
  | 'last_name'
  | 'other_name'
  | 'username'
  | 'address'
  | 'postcode'
  | 'city'
  | 'birth_date'
  | 'birth_year'
  | 'birth_place'
  | 'age'
  | 'gender'
  | 'nationality'
  | 'iban'
  | 'bic'
  | 'account_number'
  | 'card_number'
  | 'income'
  | 'ip_address'
  | 'mac_address'
  | 'user_agent'
  | 'device_id'
  | 'session_id'
  | 'national_id'
  | 'coordinate'
  | 'geolocation'
  | 'free_text'
  | 'photo'
  | 'attachment'
  | QuasiIdentifierKind;

/**
 * Facts that single a person out only together with others (an employer, a region, a hire
 * date...): personal in a row that is a person or part of one, not in a warehouse's or a
 * product's. init/quasi-identifiers.ts reads them, for such tables only; no word here names them.
 */
export type QuasiIdentifierKind = 'company' | 'region' | 'country' | 'employment_date' | 'job';

export interface KindInfo {
  /** The data map category, as the demo map writes them: contact.email, name, demographic... */
  category: string;
  /** Singular, for reason lines: "e-mail address". */
  label: string;
  /** The broad column types that can hold this kind of data. */
  types: readonly ColumnType[];
}

const TEXT: readonly ColumnType[] = ['text', 'other'];

export const PERSONAL_KINDS: Readonly<Record<PersonalKind, KindInfo>> = {
  email: { category: 'contact.email', label: 'e-mail address', types: TEXT },
  phone: { category: 'contact.phone', label: 'phone number', types: [...TEXT, 'integer', 'number'] },
  full_name: { category: 'name', label: "person's name", types: TEXT },
  first_name: { category: 'name', label: 'first name', types: TEXT },
  last_name: { category: 'name', label: 'last name', types: TEXT },
  other_name: { category: 'name', label: 'middle, maiden or nickname', types: TEXT },
  username: { category: 'online.account', label: 'user name', types: TEXT },
  address: { category: 'contact.address', label: 'postal address', types: [...TEXT, 'integer'] },
  postcode: { category: 'contact.address', label: 'postcode', types: [...TEXT, 'integer'] },
  city: { category: 'contact.address', label: 'city', types: TEXT },
  birth_date: { category: 'demographic', label: 'date of birth', types: [...TEXT, 'date', 'datetime', 'integer', 'number'] },
  birth_year: { category: 'demographic', label: 'year of birth', types: [...TEXT, 'date', 'datetime', 'integer', 'number'] },
  birth_place: { category: 'demographic', label: 'place of birth', types: TEXT },
  age: { category: 'demographic', label: 'age', types: [...TEXT, 'integer', 'number'] },
  gender: { category: 'demographic', label: 'gender', types: [...TEXT, 'integer'] },
  nationality: { category: 'demographic', label: 'nationality', types: TEXT },
  iban: { category: 'financial', label: 'IBAN', types: TEXT },
  bic: { category: 'financial', label: 'bank code (BIC)', types: TEXT },
  account_number: { category: 'financial', label: 'bank account number', types: [...TEXT, 'integer', 'number'] },
  card_number: { category: 'financial', label: 'payment card number', types: [...TEXT, 'integer', 'number'] },
  income: { category: 'financial', label: 'income', types: [...TEXT, 'integer', 'number'] },
  ip_address: { category: 'online.ip', label: 'IP address', types: [...TEXT, 'integer', 'binary'] },
  mac_address: { category: 'online.device', label: 'MAC address', types: [...TEXT, 'integer', 'binary'] },
  user_agent: { category: 'online.device', label: 'browser user agent', types: TEXT },
  device_id: { category: 'online.device', label: 'device identifier', types: [...TEXT, 'binary'] },
  session_id: { category: 'online.device', label: 'session or cookie identifier', types: [...TEXT, 'binary'] },
  national_id: { category: 'national_id', label: 'national id or document number', types: [...TEXT, 'integer'] },
  coordinate: { category: 'location', label: 'geographic coordinate', types: [...TEXT, 'number', 'integer'] },
  geolocation: { category: 'location', label: 'geolocation', types: [...TEXT, 'binary'] },
  free_text: { category: 'content', label: 'free text', types: TEXT },
  photo: { category: 'image', label: 'photo of a person', types: [...TEXT, 'binary'] },
  attachment: { category: 'content', label: 'file a person sent or uploaded', types: [...TEXT, 'binary'] },
  company: { category: 'employment', label: "person's company or employer", types: TEXT },
  region: { category: 'contact.address', label: 'region or state', types: TEXT },
  country: { category: 'contact.address', label: 'country', types: [...TEXT, 'integer'] },
  employment_date: { category: 'employment', label: 'date of hire', types: [...TEXT, 'date', 'datetime'] },
  job: { category: 'employment', label: 'job title', types: TEXT },
};

/**
 * The words, any language, written as they would appear in a column name; a space stands for
 * any separator (so "first name" matches first_name, firstName and firstname). Accents and
 * ß are folded; German umlauts also match their ae/oe/ue spelling.
 */
const WORDS: Readonly<Record<Exclude<PersonalKind, QuasiIdentifierKind>, readonly string[]>> = {
  email: [
    'email',
    'e mail',
    'mail',
    'email address',
    'mail address',
    'courriel',
    'adresse mail',
    'adresse email',
    'emailadresse',
    'mailadresse',
    'correo',
    'correo electronico',
    'posta elettronica',
    'emailadres',
    'mailadres',
  ],
  phone: [
    'phone',
    'phone number',
    'telephone',
    'tel',
    'mobile',
    'mobile number',
    'cell',
    'cellphone',
    'handy',
    'fax',
    'gsm',
    'telefon',
    'telefonnummer',
    'handynummer',
    'mobilnummer',
    'rufnummer',
    'portable',
    'telefono',
    'movil',
    'cellulare',
    'telefoon',
    'telefoonnummer',
    'mobiel',
    'telefone',
    'celular',
    'telemovel',
  ],
  full_name: [
    'name',
    'full name',
    'display name',
    'cardholder',
    'account holder',
    'nom complet',
    'nombre completo',
    'nome completo',
    'naam',
    'volledige naam',
    'vollstandiger name',
    'voller name',
  ],
  first_name: ['first name', 'given name', 'forename', 'prenom', 'vorname', 'nombre', 'nome', 'voornaam', 'primeiro nome'],
  last_name: [
    'last name',
    'surname',
    'family name',
    'nom',
    'nom famille',
    'nachname',
    'familienname',
    'apellido',
    'apellidos',
    'cognome',
    'achternaam',
    'sobrenome',
    'apelido',
  ],
  other_name: ['middle name', 'maiden name', 'birth name', 'nickname', 'nom jeune fille', 'geburtsname', 'tussenvoegsel'],
  username: [
    'username',
    'login',
    'user login',
    'screen name',
    'pseudo',
    'benutzername',
    'nombre usuario',
    'nome utente',
    'gebruikersnaam',
    'nome usuario',
    'nom utilisateur',
  ],
  address: [
    'address',
    'addr',
    'street',
    'street address',
    'address line',
    'house number',
    'house no',
    'house nr',
    'adresse',
    'rue',
    'strasse',
    'hausnummer',
    'anschrift',
    'direccion',
    'calle',
    'domicilio',
    'indirizzo',
    'via',
    'adres',
    'straat',
    'huisnummer',
    'endereco',
    'morada',
    'rua',
    'domicile',
  ],
  postcode: ['postcode', 'postal code', 'zip', 'zip code', 'plz', 'postleitzahl', 'cp', 'code postal', 'codigo postal', 'codice postale', 'cep'],
  city: ['city', 'town', 'ville', 'ort', 'wohnort', 'stadt', 'ciudad', 'localidad', 'citta', 'localita', 'woonplaats', 'plaats', 'cidade'],
  birth_date: [
    'birth',
    'birthday',
    'birth date',
    'dob',
    'naissance',
    'geburtsdatum',
    'geburtstag',
    'nacimiento',
    'cumpleanos',
    'nascita',
    'compleanno',
    'geboortedatum',
    'geboorte',
    'verjaardag',
    'nascimento',
    'aniversario',
  ],
  birth_year: ['birth year', 'year birth', 'geburtsjahr', 'annee naissance', 'ano nacimiento', 'anno nascita'],
  birth_place: [
    'birth place',
    'place birth',
    'city birth',
    'country birth',
    'birth city',
    'birth country',
    'lieu naissance',
    'ville naissance',
    'geburtsort',
    'lugar nacimiento',
    'luogo nascita',
    'geboorteplaats',
    'local nascimento',
  ],
  age: ['age', 'edad', 'leeftijd', 'idade'],
  gender: ['gender', 'sex', 'salutation', 'civility', 'geschlecht', 'anrede', 'sexe', 'civilite', 'sexo', 'genero', 'sesso', 'geslacht'],
  nationality: [
    'nationality',
    'citizenship',
    'nationalite',
    'staatsangehorigkeit',
    'nationalitat',
    'nacionalidad',
    'nazionalita',
    'cittadinanza',
    'nationaliteit',
    'nacionalidade',
  ],
  iban: ['iban'],
  bic: ['bic', 'swift', 'swift code'],
  account_number: [
    'account number',
    'account no',
    'bank account',
    'kontonummer',
    'numero compte',
    'numero cuenta',
    'numero conto',
    'rekeningnummer',
    'numero conta',
  ],
  card_number: [
    'card number',
    'card no',
    'credit card',
    'debit card',
    'pan',
    'cvv',
    'cvc',
    'kartennummer',
    'numero carte',
    'numero tarjeta',
    'numero carta',
    'kaartnummer',
    'numero cartao',
  ],
  income: ['salary', 'income', 'wage', 'gehalt', 'einkommen', 'salaire', 'revenu', 'salario', 'ingresos', 'stipendio', 'reddito', 'salaris', 'inkomen'],
  ip_address: ['ip', 'ip address', 'ip addr', 'ipv4', 'ipv6', 'remote addr', 'remote address', 'adresse ip', 'direccion ip', 'indirizzo ip'],
  mac_address: ['mac', 'mac address', 'mac addr'],
  user_agent: ['user agent', 'browser agent'],
  device_id: ['device id', 'device token', 'push token', 'fcm token', 'apns token', 'idfa', 'gaid', 'advertising id', 'imei', 'udid', 'android id'],
  session_id: ['session', 'session id', 'session key', 'session token', 'cookie', 'cookie id', 'fingerprint'],
  national_id: [
    'ssn',
    'social security',
    'social security number',
    'nin',
    'nino',
    'national insurance',
    'national insurance number',
    'national id',
    'national identity',
    'id card',
    'identity card',
    'passport',
    'passport number',
    'tax id',
    'tax number',
    'tax code',
    'driver license',
    'drivers license',
    'driving licence',
    'driving license',
    'nir',
    'securite sociale',
    'carte identite',
    'cni',
    'passeport',
    'permis conduire',
    'steuer id',
    'steuernummer',
    'steueridentifikationsnummer',
    'sozialversicherungsnummer',
    'svnr',
    'personalausweis',
    'ausweis',
    'ausweisnummer',
    'reisepass',
    'fuhrerschein',
    'dni',
    'nie',
    'nif',
    'pasaporte',
    'documento identidad',
    'seguridad social',
    'codice fiscale',
    'carta identita',
    'passaporto',
    'bsn',
    'burgerservicenummer',
    'sofinummer',
    'paspoort',
    'identiteitskaart',
    'cpf',
    'passaporte',
    'pesel',
  ],
  coordinate: [
    'lat',
    'lon',
    'lng',
    'latitude',
    'longitude',
    'breitengrad',
    'langengrad',
    'latitud',
    'longitud',
    'latitudine',
    'longitudine',
    'breedtegraad',
    'lengtegraad',
  ],
  geolocation: ['geo', 'geo location', 'geo point', 'coordinates', 'coords', 'gps', 'lat lng', 'lat lon'],
  free_text: [
    'notes',
    'note',
    'comment',
    'comments',
    'message',
    'msg',
    'body',
    'description',
    'bio',
    'biography',
    'about me',
    'content',
    'text',
    'remarks',
    'remark',
    'memo',
    'feedback',
    'transcript',
    'observations',
    'commentaire',
    'remarque',
    'nachricht',
    'kommentar',
    'bemerkung',
    'anmerkung',
    'notiz',
    'beschreibung',
    'mensaje',
    'comentario',
    'nota',
    'notas',
    'observaciones',
    'descripcion',
    'messaggio',
    'commento',
    'descrizione',
    'opmerking',
    'bericht',
    'notitie',
    'toelichting',
    'beschrijving',
    'mensagem',
    'observacao',
    'descricao',
  ],
  photo: ['photo', 'avatar', 'picture', 'selfie', 'portrait', 'foto', 'profile image', 'profile photo', 'profile picture'],
  attachment: [
    'attachment',
    'attachments',
    'attached file',
    'upload',
    'uploaded file',
    'piece jointe',
    'anhang',
    'dateianhang',
    'adjunto',
    'archivo adjunto',
    'allegato',
    'bijlage',
    'anexo',
  ],
};

/** German words of the lists that have umlauts (listed folded: ö -> o), and their oe spelling. */
const UMLAUT_SPELLINGS: Readonly<Record<string, string>> = {
  staatsangehorigkeit: 'staatsangehoerigkeit',
  nationalitat: 'nationalitaet',
  langengrad: 'laengengrad',
  fuhrerschein: 'fuehrerschein',
  vollstandiger: 'vollstaendiger',
};

/**
 * Ambiguous words: personal only when the sampled values agree (or when there are none to
 * look at). "description" is a product's as often as a person's; "via" is also "sent via".
 */
const WEAK_WORDS = new Set([
  'description',
  'content',
  'text',
  'beschreibung',
  'descripcion',
  'descrizione',
  'beschrijving',
  'descricao',
  'bericht',
  'via',
  'pan',
  'mac',
  'cell',
]);

/** Words for a person's name that, standing alone, may name anything: `products.name`. */
const BARE_NAME_WORDS = new Set(['name', 'naam', 'nom', 'nome', 'nombre']);

/** "name", "address": the word before them says whose (street_name is a street, not a person). */
const GENERIC_HEADS = new Set(['name', 'address', 'addr', 'adresse', 'adres']);

/** Joining words dropped before matching: date_of_birth reads as date birth. */
const CONNECTORS = new Set(['of', 'the', 'de', 'di', 'da', 'do', 'du', 'des', 'del', 'della', 'dei', 'degli', 'la', 'le', 'el', 'los', 'las']);

/** Words after the personal word that make the column a fact about it: email_verified, phone_type, name_id. */
const ABOUT_SUFFIXES = new Set([
  'verified',
  'verification',
  'confirmed',
  'confirmation',
  'validated',
  'valid',
  'validity',
  'enabled',
  'disabled',
  'visible',
  'visibility',
  'public',
  'hidden',
  'opt',
  'optin',
  'optout',
  'opted',
  'consent',
  'consented',
  'subscribed',
  'subscription',
  'unsubscribed',
  'bounced',
  'bounce',
  'seen',
  'shown',
  'accepted',
  'declined',
  'dismissed',
  'banner',
  'count',
  'counter',
  'cnt',
  'total',
  'sent',
  'received',
  'opened',
  'clicked',
  'changed',
  'updated',
  'created',
  'deleted',
  'type',
  'kind',
  'status',
  'format',
  'template',
  'length',
  'len',
  'size',
  'flag',
  'domain',
  'host',
  'server',
  'provider',
  'port',
  'protocol',
  'client',
  'app',
  'version',
  'platform',
  'os',
  'country',
  'language',
  'lang',
  'locale',
  'timezone',
  'tz',
  'code',
  'prefix',
  'color',
  'colour',
  'style',
  'field',
  'column',
  'label',
  'placeholder',
  'required',
  'mandatory',
  'policy',
  'settings',
  'setting',
  'preference',
  'preferences',
  'pref',
  'prefs',
  'frequency',
  'limit',
  'quota',
  'score',
  'rank',
  'level',
  'error',
  'errors',
  'attempts',
  'retries',
  'token',
  'duration',
  'start',
  'end',
  'started',
  'ended',
  'expires',
  'expiry',
  'expiration',
  'expired',
  'archive',
  'range',
  'key',
]);
/** Suffixes that point at the thing itself, not at a fact about it (name_id refers to a name). */
const REFERENCE_SUFFIXES = new Set(['id', 'ids', 'uuid', 'ref', 'fk']);
/** Time words: a fact about an e-mail address (email_sent_at), but the data itself for a birth (birth_date). */
const TIME_SUFFIXES = new Set(['at', 'on', 'date', 'time', 'timestamp', 'ts', 'datetime', 'day', 'year']);
const BIRTH_KINDS = new Set<PersonalKind>(['birth_date', 'birth_year', 'birth_place']);

/** Words before the personal word that make the column a flag or a count: is_phone_verified, num_emails. */
const ABOUT_PREFIXES = new Set([
  'is',
  'has',
  'have',
  'can',
  'should',
  'allow',
  'allows',
  'n',
  'num',
  'count',
  'total',
  'max',
  'min',
  'nb',
  'show',
  'hide',
  'send',
  'use',
  'require',
  'requires',
]);

/**
 * Owners that are not people: product_name, company_address, server_ip, file_content. Checked
 * on the word right before the personal one, and on the table for a bare `name`.
 */
const NON_PERSON_OWNERS = new Set([
  'product',
  'item',
  'sku',
  'article',
  'artikel',
  'produit',
  'producto',
  'prodotto',
  'produkt',
  'file',
  'filename',
  'attachment',
  'document',
  'doc',
  'image',
  'folder',
  'directory',
  'dir',
  'path',
  'company',
  'organisation',
  'organization',
  'org',
  'business',
  'firm',
  'firma',
  'empresa',
  'entreprise',
  'societe',
  'azienda',
  'bedrijf',
  'brand',
  'merchant',
  'vendor',
  'supplier',
  'shop',
  'store',
  'warehouse',
  'branch',
  'bank',
  'table',
  'column',
  'field',
  'schema',
  'database',
  'db',
  'index',
  'class',
  'type',
  'model',
  'module',
  'package',
  'app',
  'application',
  'project',
  'team',
  'group',
  'topic',
  'category',
  'categorie',
  'categoria',
  'kategorie',
  'tag',
  'label',
  'channel',
  'queue',
  'job',
  'task',
  'event',
  'campaign',
  'plan',
  'service',
  'feature',
  'role',
  'permission',
  'template',
  'list',
  'page',
  'site',
  'website',
  'host',
  'server',
  'domain',
  'bucket',
  'key',
  'system',
  'support',
  'noreply',
  'platform',
  'network',
  'provider',
  'source',
  'carrier',
  'courier',
  'browser',
  'country',
  'region',
  'state',
  'language',
  'locale',
  'currency',
  'course',
  'venue',
  'hotel',
  'restaurant',
  'building',
  'room',
  'department',
  'dept',
  'pet',
  'game',
  'song',
  'album',
  'movie',
  'book',
  'recipe',
  'menu',
  'variant',
  'option',
  'attribute',
  'property',
  'setting',
  'config',
  'param',
  'parameter',
  'variable',
  'metric',
  'report',
  'dashboard',
  'workflow',
  'step',
  'stage',
  'status',
  'action',
  'function',
  'method',
  'object',
  'entity',
  'resource',
  'asset',
  'layer',
  'theme',
  'font',
  'zone',
  'proxy',
  'gateway',
  'router',
  'node',
  'cluster',
  'bot',
  'webhook',
  'api',
  'smtp',
  'imap',
  'dns',
  'wallet',
  'contract',
  'cookie',
  'cache',
  'storage',
  'commit',
  'release',
  'build',
  'test',
]);

/** Tables whose bare `name` column is a person's name. */
export const PERSON_TABLES: ReadonlySet<string> = new Set([
  'user',
  'customer',
  'client',
  'person',
  'people',
  'member',
  'employee',
  'staff',
  'contact',
  'subscriber',
  'guest',
  'author',
  'agent',
  'patient',
  'student',
  'applicant',
  'candidate',
  'profile',
  'recipient',
  'buyer',
  'driver',
  'passenger',
  'tenant',
  'owner',
  'lead',
  'donor',
  'volunteer',
  'visitor',
  'teacher',
  'participant',
  'attendee',
  'speaker',
  'account',
  'traveller',
  'traveler',
  'worker',
  'utilisateur',
  'personne',
  'kunde',
  'benutzer',
  'mitglied',
  'mitarbeiter',
  'usuario',
  'cliente',
  'empleado',
  'utente',
  'persona',
  'dipendente',
  'gebruiker',
  'klant',
  'medewerker',
  'utilizador',
]);

/**
 * Words for someone other than the row's own person: shipping_name, emergency_phone,
 * agent_name. Before `name` they make it a person's (PERSON_QUALIFIERS); init reads a column
 * with one as another party's (table-roles.ts).
 */
export const OTHER_PARTY_WORDS: ReadonlySet<string> = new Set([
  'shipping',
  'billing',
  'delivery',
  'invoice',
  'emergency',
  'recipient',
  'sender',
  'beneficiary',
  'payee',
  'payer',
  'parent',
  'guardian',
  'spouse',
  'partner',
  'father',
  'mother',
  'child',
  'manager',
  'supervisor',
  'reviewer',
  'assignee',
  'reporter',
  'creator',
  'requester',
  'doctor',
  'nurse',
  'referrer',
  'referral',
  'agent',
  'rep',
  'representative',
  'owner',
  'author',
  'approver',
  'witness',
  'kin',
]);

/** Words before `name` that make it a person's (shipping_name); after any other word the values must agree. */
const PERSON_QUALIFIERS = new Set([
  ...PERSON_TABLES,
  ...OTHER_PARTY_WORDS,
  'legal',
  'real',
  'holder',
  'signer',
  'signatory',
  'pupil',
  'my',
  'your',
  'his',
  'her',
  'their',
]);

/** Kinds whose `_id` suffix is the data itself (passport_id, cookie_id), not a reference to it. */
const ID_IS_DATA = new Set(['national_id', 'online.device']);

/**
 * Kinds of value that identify a person outside the database, which no key may hold: lethe
 * writes keys into the audit trail. Session and device ids are pseudonyms, as ids are.
 */
export const PERSONAL_KEY_KINDS: ReadonlySet<PersonalKind> = new Set<PersonalKind>([
  'email',
  'phone',
  'full_name',
  'first_name',
  'last_name',
  'other_name',
  'username',
  'national_id',
  'iban',
  'account_number',
  'card_number',
  'ip_address',
  'mac_address',
]);

export interface NameMatch {
  /** The dictionary word as found in the column name, normalized: "email", "first_name", "strasse". */
  term: string;
  kind: PersonalKind;
  category: string;
  label: string;
  types: readonly ColumnType[];
  /** An ambiguous word (bare `name`, `description`, `via`): the sampled values must agree. */
  weak: boolean;
}

export interface NameReading {
  /** The name's words: lower-case, accents folded, joining words (of, de...) dropped. */
  tokens: string[];
  /** The personal data the name points at, if any. */
  match?: NameMatch;
  /**
   * A dictionary word that is present but does not mean personal data here, with why, as the
   * end of a sentence that starts with the quoted column name: `is about an e-mail address, not one`.
   */
  ignored?: { term: string; kind: PersonalKind; because: string };
}

interface Entry {
  kind: PersonalKind;
  weak: boolean;
}

const DICTIONARY: ReadonlyMap<string, Entry> = buildDictionary();
const MAX_RUN = 4;

function buildDictionary(): Map<string, Entry> {
  const dictionary = new Map<string, Entry>();
  for (const [kind, words] of Object.entries(WORDS) as [PersonalKind, readonly string[]][]) {
    for (const word of words) {
      const entry = { kind, weak: WEAK_WORDS.has(word) };
      for (const spelling of new Set([word, expandUmlauts(word)])) {
        const key = wordTokens(spelling).join('');
        const listed = dictionary.get(key);
        // first name and firstname are one key; one key under two kinds is a mistake in the lists.
        if (listed && listed.kind !== kind) throw new Error(`column-names: "${word}" is listed as ${listed.kind} and ${kind}`);
        dictionary.set(key, entry);
      }
    }
  }
  return dictionary;
}

function expandUmlauts(word: string): string {
  return word
    .split(' ')
    .map((part) => UMLAUT_SPELLINGS[part] ?? part)
    .join(' ');
}

/** Lower-case, accents folded (é -> e, ß -> ss), split into words at case changes, digits and separators. */
export function nameTokens(name: string): string[] {
  const folded = name
    .replace(/ß/g, 'ss')
    .replace(/Æ/g, 'Ae')
    .replace(/æ/g, 'ae')
    .replace(/Ø/g, 'O')
    .replace(/ø/g, 'o')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '');
  return folded
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .replace(/(\p{L})(\p{N})/gu, '$1 $2')
    .replace(/(\p{N})(\p{L})/gu, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token !== '');
}

function wordTokens(name: string): string[] {
  return nameTokens(name).filter((token) => !CONNECTORS.has(token));
}

/** The dictionary entry for a run of tokens, trying plural forms (emails, addresses, cities). */
function lookUp(joined: string): Entry | undefined {
  const direct = DICTIONARY.get(joined);
  if (direct) return direct;
  if (joined.length <= 3) return undefined;
  if (joined.endsWith('ies')) return DICTIONARY.get(`${joined.slice(0, -3)}y`);
  return (joined.endsWith('es') ? DICTIONARY.get(joined.slice(0, -2)) : undefined) ?? (joined.endsWith('s') ? DICTIONARY.get(joined.slice(0, -1)) : undefined);
}

interface Hit {
  start: number;
  end: number;
  entry: Entry;
}

/** Dictionary words in the tokens, left to right, each time the longest run that is one. */
function findHits(tokens: readonly string[]): Hit[] {
  const hits: Hit[] = [];
  for (let start = 0; start < tokens.length; ) {
    let hit: Hit | undefined;
    for (let end = Math.min(tokens.length, start + MAX_RUN); end > start && !hit; end--) {
      const entry = lookUp(tokens.slice(start, end).join(''));
      if (entry) hit = { start, end, entry };
    }
    if (hit) {
      hits.push(hit);
      start = hit.end;
    } else {
      start++;
    }
  }
  return hits;
}

/** A table named for people: `users`, `Customer`, `Mitarbeiter`... */
export function tableNamesPeople(table: string): boolean {
  return wordTokens(table).some((word) => PERSON_TABLES.has(singular(word)));
}

export function singular(token: string): string {
  if (token.length <= 3) return token;
  if (token.endsWith('ies')) return `${token.slice(0, -3)}y`;
  return token.endsWith('s') && !token.endsWith('ss') ? token.slice(0, -1) : token;
}

/**
 * Reads a column name. `table` only settles a bare `name`: a person's in `users`, not in
 * `products`; a table's name never makes a column personal by itself.
 */
export function readColumnName(column: string, table?: string): NameReading {
  const tokens = wordTokens(column);
  const hits = findHits(tokens);
  let chosen = hits.at(-1);
  if (!chosen) return { tokens };

  const term = (hit: Hit): string => tokens.slice(hit.start, hit.end).join('_');
  const ownerOf = (hit: Hit): string | undefined => {
    const before = tokens[hit.start - 1];
    return before === undefined ? undefined : singular(before);
  };
  // The last word is the head in English (shipping_address, customer_email); a generic head
  // such as "name" names what the word before it says (street_name is a street, product_name
  // a product).
  if (GENERIC_HEADS.has(singular(term(chosen)))) {
    const owner = ownerOf(chosen);
    if (owner !== undefined && NON_PERSON_OWNERS.has(owner)) {
      return ignoredBy(tokens, term(chosen), chosen.entry.kind, `belongs to a ${owner}, not a person`);
    }
    const previous = hits.at(-2);
    if (previous && previous.end === chosen.start) chosen = previous;
  }

  const found = term(chosen);
  const { kind } = chosen.entry;
  const info = PERSONAL_KINDS[kind];
  const after = tokens.slice(chosen.end);
  const prefix = tokens.slice(0, chosen.start);

  const reference = ID_IS_DATA.has(info.category) ? undefined : after.find((token) => REFERENCE_SUFFIXES.has(token));
  if (reference) return ignoredBy(tokens, found, kind, `refers to ${article(info.label)}, does not hold one`);
  const about =
    after.find((token) => ABOUT_SUFFIXES.has(token) || (TIME_SUFFIXES.has(token) && !BIRTH_KINDS.has(kind))) ??
    prefix.find((token) => ABOUT_PREFIXES.has(token));
  if (about) return ignoredBy(tokens, found, kind, `is about ${article(info.label)} ("${about}"), not one`);

  const owner = ownerOf(chosen);
  const ownable = info.category !== 'financial' && info.category !== 'national_id';
  if (ownable && owner !== undefined && NON_PERSON_OWNERS.has(owner)) {
    return ignoredBy(tokens, found, kind, `belongs to a ${owner}, not a person`);
  }

  let weak = chosen.entry.weak;
  if (BARE_NAME_WORDS.has(singular(found))) {
    if (owner !== undefined) {
      weak = !PERSON_QUALIFIERS.has(owner);
    } else {
      const tableWords = table === undefined ? [] : wordTokens(table).map(singular);
      if (tableWords.some((word) => NON_PERSON_OWNERS.has(word)) && !tableWords.some((word) => PERSON_TABLES.has(word))) {
        return ignoredBy(tokens, found, kind, `names something that is not a person (table ${table})`);
      }
      weak = !tableWords.some((word) => PERSON_TABLES.has(word));
    }
  }
  return { tokens, match: { term: found, kind, category: info.category, label: info.label, types: info.types, weak } };
}

function ignoredBy(tokens: string[], term: string, kind: PersonalKind, because: string): NameReading {
  return { tokens, ignored: { term, kind, because } };
}

/** "an e-mail address", "a phone number". */
export function article(label: string): string {
  if (/^(IBAN|MAC|IP)\b/.test(label)) return `an ${label}`;
  return /^[aeiou]/i.test(label) && !/^(us|uni|eu)/i.test(label) ? `an ${label}` : `a ${label}`;
}
