/**
 * Is a column personal data? The column's name (config/column-names.ts) and the PII detectors run
 * over a sample of its values (src/detect) each give evidence; this weighs them.
 *
 * Thresholds, over the non-empty text values of the sample:
 *  - a value IS of a type when spans of that type cover at least half of it (COVERAGE): an
 *    e-mail column, or "98 Park Road, Glasgow G20 4EZ, United Kingdom" as a street address;
 *  - a column holds a type when at least 30% of its values are of that type (WHOLE_SHARE), or,
 *    for a named column, contain it; that much survives a column with stray values;
 *  - a column is free text that mentions personal data when at least 10% of its values, and at
 *    least two, contain any (MENTION_SHARE, MIN_MENTIONS): a message body rarely mentions an
 *    e-mail address in every row, but a column with one stray hit is not free text.
 * URLs alone do not make a column personal: most are a product's or a company's.
 *
 * A reason never quotes a sampled value: it names the column's words, the kinds found and counts.
 */
import { detect, type DetectorType } from '../detect/index.js';
import type { ColumnInfo } from '../db/schema-snapshot.js';
import { article, PERSONAL_KINDS, readColumnName, type NameMatch, type NameReading, type PersonalKind } from '../config/column-names.js';

export interface ColumnClass {
  personal: boolean;
  /** What the personal data is (email, full_name, free_text...); set when personal. */
  kind?: PersonalKind;
  /** The data map category (contact.email, name, content...); set when personal. */
  category?: string;
  /** One short line for a YAML comment. Never contains a sampled value. */
  reason: string;
  /** What the decision rests on: the column's name, its sampled values, both, or its being a key. */
  confidence: 'name' | 'data' | 'name+data' | 'key';
  /** Name and values disagree, or an ambiguous word decided alone: a person should look. */
  review: boolean;
}

export interface ClassifyContext {
  table: string;
  primaryKey: string;
  foreignKey: boolean;
  /**
   * The table lists things, not people, and no person owns its rows (artists, albums, genres):
   * its names and titles name things, and the people it names (composers, authors) are not
   * people the database keeps data about. draft.ts decides it from the table and its neighbours.
   */
  catalogue?: boolean;
}

export const COVERAGE = 0.5;
export const WHOLE_SHARE = 0.3;
export const MENTION_SHARE = 0.1;
export const MIN_MENTIONS = 2;
/** Longer values are scanned up to here: enough to find what a column holds. */
const MAX_SCANNED_LENGTH = 10_000;
/** Text values that are all dates: SQLite's TEXT timestamps are dates, not user names. */
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;
const DATE_TEXT_SHARE = 0.9;

const NATIONAL_IDS: readonly DetectorType[] = ['UK_NINO', 'ES_DNI', 'FR_NIR', 'IT_CF', 'NL_BSN', 'US_SSN'];

/** What a detector finding makes of a column whose name says nothing. */
const KIND_OF_DETECTION: Partial<Record<DetectorType, PersonalKind>> = {
  EMAIL: 'email',
  PHONE: 'phone',
  PERSON: 'full_name',
  STREET_ADDRESS: 'address',
  IBAN: 'iban',
  CREDIT_CARD: 'card_number',
  IP_ADDRESS: 'ip_address',
  MAC_ADDRESS: 'mac_address',
  DATE_OF_BIRTH: 'birth_date',
  ...Object.fromEntries(NATIONAL_IDS.map((type) => [type, 'national_id'])),
};

/**
 * The detector types that confirm a kind the name suggests. `reliable`: the detectors find
 * nearly every value of this kind, so finding none in a good sample casts doubt on the name.
 */
const CONFIRMED_BY: Partial<Record<PersonalKind, { types: readonly DetectorType[]; reliable: boolean }>> = {
  email: { types: ['EMAIL'], reliable: true },
  phone: { types: ['PHONE'], reliable: true },
  full_name: { types: ['PERSON'], reliable: true },
  first_name: { types: ['PERSON'], reliable: false },
  last_name: { types: ['PERSON'], reliable: false },
  other_name: { types: ['PERSON'], reliable: false },
  username: { types: ['EMAIL'], reliable: false },
  address: { types: ['STREET_ADDRESS'], reliable: true },
  birth_date: { types: ['DATE_OF_BIRTH'], reliable: false },
  iban: { types: ['IBAN'], reliable: true },
  account_number: { types: ['IBAN'], reliable: false },
  card_number: { types: ['CREDIT_CARD'], reliable: true },
  ip_address: { types: ['IP_ADDRESS'], reliable: true },
  mac_address: { types: ['MAC_ADDRESS'], reliable: true },
  national_id: { types: NATIONAL_IDS, reliable: false },
};

const PLURAL: Record<DetectorType, string> = {
  EMAIL: 'e-mail addresses',
  PHONE: 'phone numbers',
  PERSON: 'person names',
  STREET_ADDRESS: 'street addresses',
  IBAN: 'IBANs',
  CREDIT_CARD: 'card numbers',
  IP_ADDRESS: 'IP addresses',
  MAC_ADDRESS: 'MAC addresses',
  DATE_OF_BIRTH: 'dates of birth',
  URL: 'URLs',
  UK_NINO: 'national id numbers',
  ES_DNI: 'national id numbers',
  FR_NIR: 'national id numbers',
  IT_CF: 'national id numbers',
  NL_BSN: 'national id numbers',
  US_SSN: 'national id numbers',
};

type ValueShape = 'text' | 'number' | 'date' | 'boolean' | 'binary' | 'object';
const SHAPE_WORDS: Record<Exclude<ValueShape, 'text'>, string> = {
  number: 'numbers',
  date: 'dates',
  boolean: 'true/false',
  binary: 'binary values',
  object: 'structured values',
};

/** What the sampled values showed. */
interface Findings {
  /** Non-empty values in the sample. */
  present: number;
  /** Of those, the shapes that are not scanned text (numbers, dates...). */
  shapes: Map<Exclude<ValueShape, 'text'>, number>;
  /** Text values scanned by the detectors. */
  scanned: number;
  /** Text values that look like dates or timestamps. */
  dateLike: number;
  /** Per type: values that are (mostly) one value of that type. */
  whole: Map<DetectorType, number>;
  /** Per type: values that contain at least one. */
  contains: Map<DetectorType, number>;
  /** Values that contain any personal data (URLs aside). */
  mentioning: number;
}

/**
 * Decides whether `column` holds personal data, from its name, type and a sample of its values
 * (NULLs may be left in or out). Primary and foreign keys are kept: lethe finds rows by them.
 */
export function classifyColumn(column: ColumnInfo, sample: readonly unknown[], context: ClassifyContext): ColumnClass {
  const reading = readColumnName(column.name, context.table);
  if (column.name === context.primaryKey) {
    // A key lethe cannot change: rows keyed by personal data are deleted, not anonymized.
    return reading.match && !reading.match.weak
      ? keep(`keep: primary key, though its name means ${article(reading.match.label)}; such rows can only be deleted`, 'key', true)
      : keep('keep: primary key', 'key');
  }
  if (context.foreignKey) return keep('keep: foreign key', 'key');

  const findings = examine(column, sample);
  const verdict = judge(column, reading, findings);
  return context.catalogue ? inCatalogue(verdict, reading, findings, context.table) : verdict;
}

const NAME_KINDS: ReadonlySet<PersonalKind> = new Set(['full_name', 'first_name', 'last_name', 'other_name']);

/**
 * In a catalogue, person names found by a bare `name` or in the values (a track's title, an
 * album's, a composer) are kept. A name that says whose it is (`author_name`), free text by its
 * name (`notes`), and any other kind of data found (an e-mail address) stay personal.
 */
function inCatalogue(verdict: ColumnClass, reading: NameReading, findings: Findings, table: string): ColumnClass {
  if (!verdict.personal || !verdict.kind || !(NAME_KINDS.has(verdict.kind) || verdict.kind === 'free_text')) return verdict;
  if (reading.match && !reading.match.weak) return verdict;
  const onlyNames = [...findings.contains.keys()].every((type) => type === 'PERSON' || type === 'URL');
  if (!onlyNames) return verdict;
  return keep(
    `keep: ${verdict.reason}; but ${table} is a catalogue (no table of people, and no person owns its rows): its names and titles name things, and the people it names are not ones the database keeps data about`,
    verdict.confidence,
  );
}

function judge(column: ColumnInfo, reading: NameReading, findings: Findings): ColumnClass {
  const match = reading.match;
  const textLooksLikeDates = findings.scanned > 0 && findings.dateLike >= DATE_TEXT_SHARE * findings.scanned;
  const fits = match?.types.includes(column.type) === true && !(textLooksLikeDates && !acceptsDates(match.kind));
  const byData = dataVerdict(findings);

  if (match && fits) return byName(column.name, match, findings, byData);

  // The name says nothing personal (or it does, about a type that cannot hold it): the data decides.
  const namePart = match
    ? `name "${column.name}" means ${article(match.label)}, which ${textLooksLikeDates ? 'values that are all dates' : `a ${column.type} column`} cannot hold`
    : reading.ignored
      ? `name "${column.name}" ${reading.ignored.because}`
      : 'no personal name';
  if (byData) {
    return personal(byData.kind, `${namePart}; ${byData.evidence}`, 'data', match !== undefined || reading.ignored !== undefined);
  }
  return keep(`keep: ${namePart}; ${describeSilence(findings)}`, findings.present === 0 ? 'name' : 'name+data', stray(findings));
}

/** The name points at personal data of a type this column can hold. */
function byName(column: string, match: NameMatch, findings: Findings, byData: DataVerdict | undefined): ColumnClass {
  const namePart = `name "${column}" (${match.label})`;
  if (findings.scanned === 0) {
    const why = findings.present === 0 ? 'nothing sampled (empty table or all NULL), decided by name alone' : undefined;
    if (match.weak) {
      return personal(
        match.kind,
        `name "${column}" may mean ${article(match.label)}; ${why ?? 'no text values to check, decided by name alone'}`,
        'name',
        true,
      );
    }
    return personal(match.kind, why ? `${namePart}; ${why}` : namePart, 'name', false);
  }

  if (match.kind === 'free_text') {
    // Free text by name: whatever the values hold, redact handles it.
    if (mentions(findings)) return personal('free_text', `${namePart}; ${mentionEvidence(findings)}`, 'name+data', false);
    if (match.weak) return keep(`keep: name "${column}" may be free text, but ${describeSilence(findings)}`, 'name+data', stray(findings));
    return personal('free_text', `${namePart}; ${describeSilence(findings)} yet`, 'name', false);
  }

  const confirm = CONFIRMED_BY[match.kind];
  const confirming = confirm ? countOf(findings.contains, confirm.types) : 0;
  const whole = confirm ? countOf(findings.whole, confirm.types) : 0;
  if (confirm && confirming >= WHOLE_SHARE * findings.scanned) {
    const verb = whole === confirming ? 'are' : 'hold';
    return personal(match.kind, `${namePart}; ${confirming} of ${findings.scanned} sampled values ${verb} ${PLURAL[confirm.types[0]!]}`, 'name+data', false);
  }
  if (byData && byData.kind !== 'free_text') {
    // The values are plainly something else: an e-mail address in a `phone` column is an e-mail address.
    return personal(byData.kind, `name "${column}" means ${article(match.label)}, but ${byData.evidence}`, 'name+data', true);
  }
  if (match.weak && !confirm?.reliable) {
    // Detectors rarely recognise a lone first or last name: their silence is no evidence.
    return personal(match.kind, `name "${column}" may mean ${article(match.label)}; the sampled values can neither confirm nor rule it out`, 'name', true);
  }
  if (match.weak) {
    const detail =
      confirm && confirming > 0 ? `only ${confirming} of ${findings.scanned} sampled values hold ${PLURAL[confirm.types[0]!]}` : describeSilence(findings);
    return keep(`keep: name "${column}" may mean ${article(match.label)}, but ${detail}`, 'name+data', true);
  }
  if (confirm?.reliable && confirming === 0) {
    return personal(match.kind, `${namePart}, though none of ${findings.scanned} sampled values is one`, 'name', true);
  }
  return personal(match.kind, namePart, 'name', false);
}

interface DataVerdict {
  kind: PersonalKind;
  evidence: string;
}

/** What the values alone say: one kind of value throughout, or free text that mentions personal data. */
function dataVerdict(findings: Findings): DataVerdict | undefined {
  if (findings.scanned === 0) return undefined;
  let best: { type: DetectorType; count: number } | undefined;
  for (const [type, count] of findings.whole) {
    if (KIND_OF_DETECTION[type] === undefined) continue;
    if (!best || count > best.count) best = { type, count };
  }
  if (best && best.count >= WHOLE_SHARE * findings.scanned) {
    return {
      kind: KIND_OF_DETECTION[best.type]!,
      evidence: `${best.count} of ${findings.scanned} sampled values are ${PLURAL[best.type]}`,
    };
  }
  if (mentions(findings)) return { kind: 'free_text', evidence: mentionEvidence(findings) };
  return undefined;
}

function mentions(findings: Findings): boolean {
  return findings.mentioning >= Math.max(Math.min(MIN_MENTIONS, findings.scanned), MENTION_SHARE * findings.scanned);
}

function mentionEvidence(findings: Findings): string {
  const types = [...findings.contains.entries()]
    .filter(([type]) => type !== 'URL')
    .sort((a, b) => b[1] - a[1])
    .map(([type]) => PLURAL[type]);
  return `${findings.mentioning} of ${findings.scanned} sampled values mention personal data (${[...new Set(types)].join(', ')})`;
}

/** "none of 100 sampled values holds personal data", "100 sampled values, all numbers". */
function describeSilence(findings: Findings): string {
  if (findings.present === 0) return 'nothing sampled (empty table or all NULL)';
  if (findings.scanned === 0) {
    const shapes = [...findings.shapes.keys()];
    const only = shapes.length === 1 ? shapes[0] : undefined;
    return only ? `${findings.present} sampled values, all ${SHAPE_WORDS[only]}` : `${findings.present} sampled values, none of them text`;
  }
  if (findings.mentioning > 0) {
    return `only ${findings.mentioning} of ${findings.scanned} sampled values ${findings.mentioning === 1 ? 'holds' : 'hold'} personal data`;
  }
  return `none of ${findings.scanned} sampled values holds personal data`;
}

/** Personal data turned up, too rarely to count: worth a look. */
function stray(findings: Findings): boolean {
  return findings.mentioning > 0;
}

function acceptsDates(kind: PersonalKind): boolean {
  return kind === 'birth_date' || kind === 'birth_year' || kind === 'free_text';
}

function countOf(counts: ReadonlyMap<DetectorType, number>, types: readonly DetectorType[]): number {
  // Of several types (the national ids), the most frequent: a lower bound that never counts a value twice.
  return types.length === 1 ? (counts.get(types[0]!) ?? 0) : Math.max(0, ...types.map((type) => counts.get(type) ?? 0));
}

function examine(column: ColumnInfo, sample: readonly unknown[]): Findings {
  const findings: Findings = { present: 0, shapes: new Map(), scanned: 0, dateLike: 0, whole: new Map(), contains: new Map(), mentioning: 0 };
  const textual = column.type === 'text' || column.type === 'other';
  for (const value of sample) {
    const shape = shapeOf(value, column);
    if (shape === undefined) continue;
    findings.present++;
    // Outside text columns the type names what drivers hand back: SQLite's booleans are 0 and 1.
    const other = !textual ? nonTextShape(column) : shape !== 'text' ? shape : undefined;
    if (other !== undefined) {
      findings.shapes.set(other, (findings.shapes.get(other) ?? 0) + 1);
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : JSON.stringify(value);
    scan(text.length > MAX_SCANNED_LENGTH ? text.slice(0, MAX_SCANNED_LENGTH) : text, findings);
  }
  return findings;
}

function scan(text: string, findings: Findings): void {
  findings.scanned++;
  if (DATE_TEXT.test(text)) findings.dateLike++;
  const spans = detect(text, { purpose: 'find' });
  if (spans.length === 0) return;
  const covered = new Map<DetectorType, number>();
  for (const span of spans) {
    if (span.type === 'DENY') continue;
    covered.set(span.type, (covered.get(span.type) ?? 0) + (span.end - span.start));
  }
  let wholeType: DetectorType | undefined;
  let wholeLength = 0;
  for (const [type, length] of covered) {
    findings.contains.set(type, (findings.contains.get(type) ?? 0) + 1);
    if (length >= COVERAGE * text.length && length > wholeLength) {
      wholeType = type;
      wholeLength = length;
    }
  }
  if (wholeType) findings.whole.set(wholeType, (findings.whole.get(wholeType) ?? 0) + 1);
  if ([...covered.keys()].some((type) => type !== 'URL')) findings.mentioning++;
}

/** The shape of one sampled value; undefined for NULL and empty text. */
function shapeOf(value: unknown, column: ColumnInfo): ValueShape | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : 'text';
  if (typeof value === 'number' || typeof value === 'bigint') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (value instanceof Date) return 'date';
  if (value instanceof Uint8Array) return 'binary';
  // JSON columns come back parsed: their text is scanned like any other.
  if (typeof value === 'object') return column.type === 'text' || column.type === 'other' ? 'text' : 'object';
  return undefined;
}

/** What the values of a column that is not text are, whatever form the driver gives them (text BIGINTs, 0/1 booleans). */
function nonTextShape(column: ColumnInfo): Exclude<ValueShape, 'text'> {
  switch (column.type) {
    case 'integer':
    case 'number':
      return 'number';
    case 'date':
    case 'datetime':
      return 'date';
    case 'boolean':
      return 'boolean';
    case 'binary':
      return 'binary';
    default:
      return 'object';
  }
}

function personal(kind: PersonalKind, reason: string, confidence: ColumnClass['confidence'], review: boolean): ColumnClass {
  return { personal: true, kind, category: PERSONAL_KINDS[kind].category, reason, confidence, review };
}

function keep(reason: string, confidence: ColumnClass['confidence'], review = false): ColumnClass {
  return { personal: false, reason, confidence, review };
}
