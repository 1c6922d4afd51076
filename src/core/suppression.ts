/**
 * Suppression lists: when a person who opted out (their row matches the subject's
 * `suppress.when`) is anonymized, lethe keeps a keyed hash of their e-mail and phone, so that
 * an address uploaded again is recognised as theirs and never mailed, without lethe keeping
 * the address. The hashes are written with the anonymization's outcome (like tombstones),
 * in the audit store's file.
 *
 * A hash depends only on the kind of value and its normalised form, not on the subject or
 * identifier it came from: `lethe suppressed` can then answer from the audit store and the
 * key alone, with no database and no more of the map than audit.path and secrets.key.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { AuditStore, PendingOutcome, SuppressionPolicy } from '../audit/index.js';
import type { DataMap, IdentifierMapping, SubjectMapping } from '../config/data-map.js';
import { after, before } from '../config/duration.js';
import type { SuppressRule, SuppressValue } from '../config/suppress-rule.js';
import { normalizeEmail, toE164 } from '../detect/normalize.js';
import { maskedValues, sameValue } from './column-masking.js';
import { DEFAULT_PHONE_REGIONS } from '../detect/index.js';
import { digitsOf, looksLikePhoneNumber, MIN_PHONE_DIGITS } from './phone-match.js';
import type { Session } from './session.js';
import type { Row } from './subject-lookup.js';

type ValueKind = 'email' | 'phone' | 'text';

/** The keyed hash of a normalised value. */
export class SuppressionKey {
  private readonly key: Buffer;

  constructor(secret: string) {
    // Derived from secrets.key, as the tombstones' key is, so that no two uses share a key.
    this.key = createHmac('sha256', secret).update('lethe suppression v1').digest();
  }

  digest(kind: ValueKind, normalised: string): string {
    return createHmac('sha256', this.key).update(`${kind}\u0000${normalised}`).digest('hex');
  }
}

/**
 * The forms an identifier value is kept in: an e-mail trimmed and lowercased, text trimmed,
 * and a phone as E.164 when valid, in every region where its national form is valid
 * ("01 42 68 53 00" is French and British alike), else as its digits. None for an empty value.
 */
function keptForms(identifier: IdentifierMapping, value: unknown, regions: readonly string[]): { kind: ValueKind; text: string }[] {
  if (value === null || value === undefined) return [];
  const text = String(value).trim();
  if (text === '') return [];
  switch (identifier.type) {
    case 'email':
      return [{ kind: 'email', text: normalizeEmail(text) }];
    case 'phone': {
      const readings = phoneReadings(text, regions);
      if (readings.length > 0) return readings.map((e164) => ({ kind: 'phone', text: e164 }));
      const digits = digitsOf(text);
      return digits.length >= MIN_PHONE_DIGITS ? [{ kind: 'phone', text: digits }] : [];
    }
    case 'text':
      return [{ kind: 'text', text }];
    case 'id':
      return [];
  }
}

/** The E.164 forms of a number, one per reading: international forms have one, a national form one per region it is valid in. */
function phoneReadings(text: string, regions: readonly string[]): string[] {
  return [...new Set(regions.map((region) => toE164(text, [region])).filter((e164) => e164 !== undefined))];
}

/** The regions phones are read in: lethe's defaults and the map's detection.phoneRegions. */
export function phoneRegionsOf(map: DataMap | undefined): string[] {
  return [...new Set([...DEFAULT_PHONE_REGIONS, ...(map?.detection.phoneRegions ?? [])])];
}

/**
 * Every digest a typed value may have been kept as: as an e-mail, as text, and as a phone
 * (each reading, and its digits). Matching more readings than one can only answer "suppressed"
 * for a number that is someone's on the list; a wrong "not suppressed" is the mistake to avoid.
 */
export function lookupDigests(key: SuppressionKey, value: string, regions: readonly string[] = DEFAULT_PHONE_REGIONS): string[] {
  const text = value.trim();
  if (text === '') return [];
  const digests = [key.digest('email', normalizeEmail(text)), key.digest('text', text)];
  if (!looksLikePhoneNumber(text)) return digests;
  for (const e164 of phoneReadings(text, regions)) digests.push(key.digest('phone', e164));
  digests.push(key.digest('phone', digitsOf(text)));
  return digests;
}

/** Whether the person's row, as read before anonymization, matches every condition of `when`. */
export function matchesSuppressRule(rule: SuppressRule, row: Row): boolean {
  return rule.when.every(({ column, values, negate }) => values.some((value) => looselyEqual(value, row[column])) !== negate);
}

const TRUE_WORDS = new Set(['1', 't', 'true', 'y', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'f', 'false', 'n', 'no', 'off']);

function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value) === 1 ? true : Number(value) === 0 ? false : undefined;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : undefined;
  }
  // MySQL's BIT(1).
  if (Buffer.isBuffer(value) && value.length === 1) return asBoolean(value[0]);
  return undefined;
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (Buffer.isBuffer(value) && value.length === 1) return value[0];
  return undefined;
}

/**
 * The map's value against a column's value, loosely across dialects: a boolean matches
 * true/false, 1/0 and 't'/'f' ('true', 'yes'...), a number matches its text ('5.00' from a
 * DECIMAL), a string matches the same text (or, against a boolean or number column, what it
 * reads as), null matches NULL only.
 */
export function looselyEqual(expected: SuppressValue, actual: unknown): boolean {
  if (actual === null || actual === undefined) return expected === null;
  if (expected === null) return false;
  if (typeof expected === 'boolean') return asBoolean(actual) === expected;
  if (typeof expected === 'number') return asNumber(actual) === expected;
  if (typeof actual === 'string') return actual === expected;
  if (typeof actual === 'boolean' || Buffer.isBuffer(actual)) {
    const wanted = asBoolean(expected);
    return wanted !== undefined && wanted === asBoolean(actual);
  }
  if (typeof actual === 'number' || typeof actual === 'bigint') {
    const wanted = asNumber(expected);
    return wanted !== undefined && wanted === asNumber(actual);
  }
  if (actual instanceof Date) return expected === actual.toISOString() || expected === actual.toISOString().slice(0, 10);
  return String(actual) === expected;
}

/**
 * The digests to keep for a person who opted out, from their row as read before anonymization:
 * none when the row does not match `when`. A value the strategies would write anyway (the
 * placeholder of a row anonymized before) is nobody's address and is left out.
 */
export function suppressionDigests(session: Session, key: SuppressionKey, subject: SubjectMapping, row: Row): string[] {
  const rule = subject.suppress;
  if (!rule || !matchesSuppressRule(rule, row)) return [];
  const table = session.map.tables.get(subject.table)!;
  const masked = maskedValues(session.map, session.schema, table, row);
  const regions = phoneRegionsOf(session.map);
  const digests = rule.identifiers.flatMap((identifier) => {
    if (identifier.column in masked && sameValue(masked[identifier.column], row[identifier.column])) return [];
    return keptForms(identifier, row[identifier.column], regions).map((form) => key.digest(form.kind, form.text));
  });
  return [...new Set(digests)];
}

/** For executeAnonymization: the hashes its outcome will keep, prepared before the commit like tombstones. */
export function pendingSuppressions(
  session: Session,
  subject: SubjectMapping,
  before: Row | undefined,
  now = new Date(),
): Pick<PendingOutcome, 'suppressions'> {
  if (!subject.suppress || !session.map.key || !before) return {};
  const digests = suppressionDigests(session, new SuppressionKey(session.map.key), subject, before);
  if (digests.length === 0) return {};
  const keepFor = subject.suppress.keepFor;
  return { suppressions: { subject: subject.name, digests, expiresAt: keepFor ? after(now, keepFor).toISOString() : null } };
}

/** The map's keepFor of each subject, as of `now`: what it says now applies to hashes kept before it was shortened too. */
export function suppressionPolicies(map: DataMap, now: Date, databaseId?: string): SuppressionPolicy[] {
  return [...map.subjects.values()].flatMap((subject) =>
    subject.suppress?.keepFor
      ? [{ subject: subject.name, keptBefore: before(now, subject.suppress.keepFor).toISOString(), ...(databaseId ? { databaseId } : {}) }]
      : [],
  );
}

/**
 * Deletes the hashes past their keepFor, as an audited event (how many, and their ids). Run by
 * every command that opens the audit store to write (as interrupted jobs are completed then),
 * so that an expired hash does not outlive the next lethe command.
 */
export function pruneExpiredSuppressions(audit: AuditStore, options: { operator: string; now?: Date; policies?: readonly SuppressionPolicy[] }): number {
  return audit.pruneSuppressions({
    operator: options.operator,
    command: 'housekeeping',
    requestId: randomUUID(),
    now: options.now ?? new Date(),
    policies: options.policies ?? [],
  });
}
