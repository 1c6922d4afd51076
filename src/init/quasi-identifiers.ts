/**
 * Quasi-identifiers: facts that are neither a name nor a way to reach a person, yet single one
 * out together with others (an employer, a region, a hire date, a job title). They are
 * personal in a row that is a person or part of one: a customer's `Country` is theirs, a
 * warehouse's is not. So draft.ts asks about them once it knows which tables hold people and
 * which rows belong to a person; classify.ts never does.
 */
import { article, nameTokens, PERSON_TABLES, PERSONAL_KINDS, singular, type QuasiIdentifierKind } from '../config/column-names.js';
import type { ColumnClass } from './classify.js';

/** Words as they appear in a column name; a space stands for any separator. Accents are folded. */
const WORDS: Readonly<Record<QuasiIdentifierKind, readonly string[]>> = {
  company: [
    'company',
    'company name',
    'employer',
    'organisation',
    'organization',
    'firm',
    'firma',
    'unternehmen',
    'arbeitgeber',
    'entreprise',
    'societe',
    'employeur',
    'empresa',
    'azienda',
    'bedrijf',
    'werkgever',
  ],
  region: [
    'state',
    'state code',
    'region',
    'province',
    'county',
    'canton',
    'territory',
    'prefecture',
    'bundesland',
    'departement',
    'provincia',
    'regione',
    'estado',
    'provincie',
  ],
  country: ['country', 'country code', 'country name', 'pays', 'pais', 'paese'],
  employment_date: [
    'hire date',
    'hired',
    'hired at',
    'hired on',
    'date hired',
    'hiring date',
    'employment date',
    'employed since',
    'start employment',
    'eintrittsdatum',
    'eintritt',
    'date embauche',
    'embauche',
    'fecha contratacion',
    'data assunzione',
    'indienst',
    'datum indiensttreding',
  ],
  job: [
    'title',
    'job title',
    'job',
    'position',
    'occupation',
    'profession',
    'department',
    'beruf',
    'berufsbezeichnung',
    'abteilung',
    'poste',
    'metier',
    'puesto',
    'profesion',
    'professione',
    'mansione',
    'functie',
    'beroep',
  ],
};

/** Dropped before matching: start_of_employment reads as start employment. */
const CONNECTORS = new Set(['of', 'the', 'de', 'di', 'da', 'do', 'du', 'des', 'del', 'la', 'le']);

/** Words before a region or a country that keep it the person's: billing_state, home_country. */
const ADDRESS_QUALIFIERS = new Set([
  'billing',
  'shipping',
  'delivery',
  'home',
  'work',
  'mailing',
  'postal',
  'post',
  'residence',
  'residential',
  'current',
  'primary',
  'main',
  'legal',
  'invoice',
  'business',
  'office',
  'contact',
  'address',
  'addr',
]);
const COMPANY_QUALIFIERS = new Set(['billing', 'current', 'former', 'employer', 'work']);
const JOB_QUALIFIERS = new Set(['job', 'current', 'work', 'official']);

export interface QuasiIdentifier {
  kind: QuasiIdentifierKind;
  /** The words as found in the column name, e.g. "state", "hire_date". */
  term: string;
}

export interface QuasiContext {
  /** The table: its own words may qualify a column (`employee_title` in employees). */
  table: string;
  /** A table of people (job titles are only read there: elsewhere a title is a ticket's or an album's). */
  people: boolean;
  /** The table has address columns: `state` is then a region, not a status. */
  hasAddress: boolean;
}

const PHRASES: readonly { kind: QuasiIdentifierKind; tokens: string[] }[] = (Object.entries(WORDS) as [QuasiIdentifierKind, readonly string[]][])
  .flatMap(([kind, words]) => words.map((word) => ({ kind, tokens: word.split(' ') })))
  // The longest phrase first: hire_date before date alone would ever be considered.
  .sort((a, b) => b.tokens.length - a.tokens.length);

/** The quasi-identifier a column name points at in this table, if any. */
export function readQuasiIdentifier(column: string, context: QuasiContext): QuasiIdentifier | undefined {
  const tokens = nameTokens(column).filter((token) => !CONNECTORS.has(token));
  const own = new Set([...nameTokens(context.table).map(singular), ...PERSON_TABLES]);
  for (const phrase of PHRASES) {
    const start = tokens.length - phrase.tokens.length;
    if (start < 0 || phrase.tokens.some((token, i) => tokens[start + i] !== token)) continue;
    const prefix = tokens.slice(0, start).map(singular);
    const allowed = (words: ReadonlySet<string>) => prefix.every((word) => words.has(word) || own.has(word));
    const term = tokens.slice(start).join('_');
    switch (phrase.kind) {
      case 'region':
        if (context.hasAddress && allowed(ADDRESS_QUALIFIERS)) return { kind: 'region', term };
        break;
      case 'country':
        if (allowed(ADDRESS_QUALIFIERS)) return { kind: 'country', term };
        break;
      case 'company':
        if (allowed(COMPANY_QUALIFIERS)) return { kind: 'company', term };
        break;
      case 'job':
        if (context.people && allowed(JOB_QUALIFIERS)) return { kind: 'job', term };
        break;
      case 'employment_date':
        return { kind: 'employment_date', term };
    }
  }
  return undefined;
}

/** The verdict on a quasi-identifier column: personal, by its name and where it stands. */
export function quasiIdentifierVerdict(column: string, found: QuasiIdentifier, context: QuasiContext): ColumnClass {
  const info = PERSONAL_KINDS[found.kind];
  const where = context.people ? `in a table of people (${context.table})` : 'in rows that belong to a person';
  return {
    personal: true,
    kind: found.kind,
    category: info.category,
    reason: `name "${column}" means ${article(info.label)}, ${where}: with other facts it can single a person out`,
    confidence: 'name',
    review: false,
  };
}
