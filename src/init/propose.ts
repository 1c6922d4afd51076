/**
 * The strategy `lethe init` proposes for a column, as written in the data map. A proposal is
 * always one the map check accepts on this column (src/core/check-map.ts): never null on NOT
 * NULL, never a constant (value, empty) on UNIQUE, text strategies only on text columns, and
 * templates that fit the column even for the longest primary key. It is anonymisation, never
 * `hash`: a keyed hash is pseudonymisation and needs a key the draft does not have.
 */
import { strictTextType, type ColumnInfo } from '../db/schema-snapshot.js';
import type { ColumnClass } from './classify.js';
import type { PersonalKind } from '../config/column-names.js';

/** A strategy as the YAML data map writes it. */
export type StrategyYaml =
  | 'keep'
  | null
  | 'empty'
  | 'random'
  | 'redact'
  | { value: string | number | boolean }
  | { template: string }
  | { generalize: 'year' | 'month' | 'decade' | { bucket: number } };

export interface Proposal {
  strategy: StrategyYaml;
  /** A few words on a choice that is not obvious (a shortened template, a fallback); for the YAML comment. */
  note?: string;
}

/** Where a template takes the row's primary key. */
const PK = '{pk}';
/** "-9223372036854775808": the longest a 64-bit integer key is written. */
const INTEGER_KEY_LENGTH = 20;
const DECIMAL_KEY_LENGTH = 24;
const UUID_LENGTH = 36;
/** An ISO timestamp, "2024-01-31T12:00:00.000Z", as a template writes a date key. */
const DATE_KEY_LENGTH = 24;

/** Templates by kind, longest first: the first that fits the column is proposed. */
const TEMPLATES: Partial<Record<PersonalKind, readonly string[]>> = {
  email: [`user-${PK}@anonymized.invalid`, `${PK}@anonymized.invalid`, `${PK}@anon.invalid`, `${PK}@x.invalid`],
  full_name: [`User #${PK}`, `#${PK}`],
  last_name: [`#${PK}`],
  username: [`user-${PK}`, `u${PK}`],
};
/** For a UNIQUE text column that has no template of its own: clearly not a real value, and unique by the key. */
const UNIQUE_TEMPLATES = [`anon-${PK}`, PK];
/** A first name becomes this; with a last name of "#{id}" the person reads "User #42". */
const FIRST_NAME = 'User';
/** 1 degree is about 111 km: a region, not a street. */
const COORDINATE_BUCKET = 1;
const YEARS_BUCKET = 10;

/**
 * The strategy for `column`, given what classify made of it. `primaryKey` is the table's key
 * column (its name goes into templates, its length bounds theirs). Non-personal columns are kept.
 */
export function proposeStrategy(cls: ColumnClass, info: ColumnInfo, primaryKey: ColumnInfo): Proposal {
  if (!cls.personal) return { strategy: 'keep' };
  // Below, UNIQUE means "two rows may not get the same value", which a partial or expression
  // unique index on the column demands too.
  const column = info.uniqueIndex === undefined ? info : { ...info, unique: true };
  const strict = strictTextType(column.declaredType);
  if (strict) return strictTypeProposal(column, strict);
  const kind = cls.kind;
  const textual = isTextual(column);

  switch (kind) {
    case 'email':
    case 'full_name':
    case 'last_name':
    case 'username': {
      if (!textual) return erase(column, primaryKey);
      const candidates = TEMPLATES[kind]!;
      const template = fittingTemplate(candidates, column, primaryKey);
      const first = fill(candidates[0]!, primaryKey);
      if (template === first) return { strategy: { template } };
      if (template) return { strategy: { template }, note: `shortened from "${first}" to fit ${sizeOf(column)}` };
      const fallback = erase(column, primaryKey);
      return { ...fallback, note: joinNotes(`"${first}" could exceed ${sizeOf(column)}`, fallback.note) };
    }
    case 'first_name': {
      if (!textual) return erase(column, primaryKey);
      if (!column.unique && fitsLength(FIRST_NAME.length, column)) {
        return { strategy: { value: FIRST_NAME }, note: 'the same first name for everyone' };
      }
      if (column.unique) {
        const template = fittingTemplate([`${FIRST_NAME} ${PK}`], column, primaryKey);
        if (template) return { strategy: { template } };
      }
      return erase(column, primaryKey);
    }
    case 'birth_date':
    case 'birth_year':
    case 'age':
      return generalizeYears(kind, column, primaryKey);
    case 'coordinate':
      if (column.type === 'number') {
        return unlessUnique({ strategy: { generalize: { bucket: COORDINATE_BUCKET } }, note: 'whole degrees (about 100 km)' }, column, primaryKey);
      }
      return erase(column, primaryKey);
    case 'free_text':
      if (!textual) return erase(column, primaryKey);
      return unlessUnique({ strategy: 'redact' }, column, primaryKey);
    case 'iban':
    case 'account_number':
    case 'card_number': {
      const proposal = erase(column, primaryKey);
      // A mask keeping the last digits would keep part of the number, and on a UNIQUE column
      // two numbers ending alike would collide; an empty value needs neither caveat.
      return proposal.strategy === 'empty' ? { ...proposal, note: joinNotes('empty rather than masked: kept digits stay linkable', proposal.note) } : proposal;
    }
    case 'gender':
      if (!column.nullable && !column.unique && column.type === 'integer') {
        return { strategy: { value: 0 }, note: '0 is "not known" in ISO/IEC 5218' };
      }
      return erase(column, primaryKey);
    case 'employment_date':
      return generalizeYears(kind, column, primaryKey);
    case 'company':
      return withNote(erase(column, primaryKey), 'with a city or a job title, an employer narrows a person down to a few');
    case 'job':
      return withNote(erase(column, primaryKey), 'a job title can single a person out (a company has one general manager)');
    case 'region':
      return {
        strategy: 'keep',
        note: 'kept on purpose: a region is shared by many people and counts for tax and sales figures; write null if yours are small',
      };
    case 'country':
      return { strategy: 'keep', note: 'kept on purpose: a country is shared by many people and counts for tax and sales figures' };
    case 'photo':
    case 'attachment': {
      const proposal = erase(column, primaryKey);
      const note = 'clears the reference; to delete the file too, declare its folder or bucket under storage and write { delete-file: { storage: NAME } }';
      return textual ? { ...proposal, note: joinNotes(note, proposal.note) } : proposal;
    }
    default:
      return erase(column, primaryKey);
  }
}

/** Dates of birth and of hire keep the year, ages and birth years the decade. */
function generalizeYears(kind: PersonalKind, column: ColumnInfo, primaryKey: ColumnInfo): Proposal {
  const date = kind === 'birth_date' || kind === 'employment_date';
  if (column.type === 'date' || column.type === 'datetime') {
    return unlessUnique({ strategy: { generalize: 'year' } }, column, primaryKey);
  }
  if (!date && (column.type === 'integer' || column.type === 'number')) {
    return unlessUnique({ strategy: { generalize: { bucket: YEARS_BUCKET } }, note: 'rounded down to the decade' }, column, primaryKey);
  }
  const proposal = erase(column, primaryKey);
  if (date && isTextual(column)) {
    // generalize reads YYYY-MM-DD text, but fails a run on any other format.
    return { ...proposal, note: joinNotes('a date held as text: { generalize: year } works only if every value is YYYY-MM-DD', proposal.note) };
  }
  return proposal;
}

/**
 * Removes the value: NULL where allowed; else the emptiest value the column takes, and on a
 * UNIQUE column one made unique by the primary key.
 */
function erase(column: ColumnInfo, primaryKey: ColumnInfo): Proposal {
  if (column.nullable) return { strategy: null };
  switch (column.type) {
    case 'text':
    case 'other': {
      const check = column.type === 'other' ? `check that ${column.declaredType || 'the type'} takes it` : undefined;
      if (!column.unique) return check ? { strategy: 'empty', note: `empty on NOT NULL; ${check}` } : { strategy: 'empty' };
      const template = fittingTemplate(UNIQUE_TEMPLATES, column, primaryKey);
      if (template) return { strategy: { template }, note: joinNotes('UNIQUE, so unique by the key', check) };
      return { strategy: 'random', note: `UNIQUE, and no template with {${primaryKey.name}} fits ${sizeOf(column)}` };
    }
    case 'integer':
    case 'number':
      return column.unique ? { strategy: 'random', note: 'UNIQUE NOT NULL' } : { strategy: { value: 0 } };
    case 'date':
    case 'datetime':
      return column.unique
        ? { strategy: 'keep', note: 'no strategy fits a UNIQUE NOT NULL date (generalize would make two rows equal): decide by hand' }
        : { strategy: { generalize: 'year' }, note: 'NOT NULL, so the year is kept' };
    case 'boolean':
      return column.unique ? { strategy: 'keep', note: 'no strategy fits a UNIQUE NOT NULL boolean: decide by hand' } : { strategy: { value: false } };
    case 'binary':
      return column.unique
        ? { strategy: 'keep', note: 'no strategy fits a UNIQUE NOT NULL binary column: decide by hand' }
        : { strategy: { value: '' }, note: 'NOT NULL, so an empty value' };
  }
}

/** generalize and redact map many values to one: on a UNIQUE column the value is erased instead (lethe check refuses them there). */
function unlessUnique(proposal: Proposal, column: ColumnInfo, primaryKey: ColumnInfo): Proposal {
  if (!column.unique) return proposal;
  const erased = erase(column, primaryKey);
  return { ...erased, note: joinNotes('UNIQUE: generalize or redact would make two rows equal', erased.note) };
}

function strictTypeProposal(column: ColumnInfo, type: string): Proposal {
  if (column.nullable) return { strategy: null };
  if (type === 'uuid') return { strategy: 'random', note: 'a new random uuid' };
  return { strategy: 'keep', note: `personal, but a NOT NULL ${type} column takes no placeholder: decide by hand` };
}

function fittingTemplate(candidates: readonly string[], column: ColumnInfo, primaryKey: ColumnInfo): string | undefined {
  const keyLength = longestKey(primaryKey);
  for (const candidate of candidates) {
    const literal = candidate.split(PK).join('').length;
    const keys = candidate.split(PK).length - 1;
    if (fitsLength(literal + keys * keyLength, column)) return fill(candidate, primaryKey);
  }
  return undefined;
}

function fill(template: string, primaryKey: ColumnInfo): string {
  return template.split(PK).join(`{${primaryKey.name}}`);
}

/** The most characters the primary key can take when a template writes it. */
export function longestKey(primaryKey: ColumnInfo): number {
  if (/uuid/i.test(primaryKey.declaredType)) return UUID_LENGTH;
  switch (primaryKey.type) {
    case 'integer':
      return INTEGER_KEY_LENGTH;
    case 'number':
      return DECIMAL_KEY_LENGTH;
    case 'date':
    case 'datetime':
      return DATE_KEY_LENGTH;
    case 'text':
    case 'other':
      return primaryKey.maxLength ?? Number.POSITIVE_INFINITY;
    default:
      return Number.POSITIVE_INFINITY;
  }
}

function fitsLength(length: number, column: ColumnInfo): boolean {
  return column.maxLength === undefined || length <= column.maxLength;
}

function isTextual(column: ColumnInfo): boolean {
  return column.type === 'text' || column.type === 'other';
}

function sizeOf(column: ColumnInfo): string {
  return column.declaredType || `${column.maxLength ?? ''} characters`;
}

function withNote(proposal: Proposal, note: string): Proposal {
  return { ...proposal, note: joinNotes(note, proposal.note) };
}

function joinNotes(...notes: (string | undefined)[]): string | undefined {
  const present = notes.filter((note): note is string => note !== undefined && note !== '');
  return present.length === 0 ? undefined : present.join('; ');
}
