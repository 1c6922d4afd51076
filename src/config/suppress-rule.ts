/**
 * `subjects.<name>.suppress`: which people leave a keyed hash of their identifiers when they
 * are anonymized (those whose own row matches `when`), of which identifiers, and for how long.
 */
import type { ConfigProblem } from '../errors.js';
import type { IdentifierMapping, TableMapping } from './data-map.js';
import { approximateDays, parseDuration, type Duration } from './duration.js';
import type { RawDataMap } from './schema.js';

export type SuppressValue = string | number | boolean | null;

/** One column of the person's row and what it must hold (any of `values`; none of them when `negate`). */
export interface SuppressCondition {
  column: string;
  values: SuppressValue[];
  negate: boolean;
}

export interface SuppressRule {
  /** All must hold on the row as read before anonymization. */
  when: SuppressCondition[];
  /** The identifiers whose values are kept as hashes (email, phone or text; never an id). */
  identifiers: IdentifierMapping[];
  /** Hashes are pruned this long after the anonymization; kept for as long as the store otherwise. */
  keepFor?: Duration;
}

type RawSuppress = NonNullable<RawDataMap['subjects'][string]['suppress']>;

/**
 * Reads and checks a subject's suppress rule. `table` is the subject's table when the map
 * defines it; `identifiers` are the subject's own.
 */
export function readSuppressRule(
  base: string,
  raw: RawSuppress,
  subject: { table: TableMapping | undefined; identifiers: IdentifierMapping[]; hasKey: boolean },
  problems: ConfigProblem[],
): SuppressRule {
  const path = `${base}.suppress`;
  const { table } = subject;
  if (!subject.hasKey) {
    problems.push({ path, message: 'a suppression list holds keyed hashes and needs secrets.key; set it, e.g. key: ${LETHE_KEY}' });
  }
  const when = Object.entries(raw.when).map(([column, condition]): SuppressCondition => {
    const negated = condition !== null && typeof condition === 'object' && !Array.isArray(condition);
    const values = negated ? condition.not : condition;
    return { column, values: Array.isArray(values) ? values : [values], negate: negated };
  });
  if (table) {
    for (const { column } of when) {
      if (!table.keyColumns.includes(column) && !table.columns.has(column)) {
        problems.push({
          path: `${path}.when.${column}`,
          message: `"${column}" is not a column of ${table.name} in the map; the condition is read from the person's own row`,
        });
      }
    }
  }

  let identifiers: IdentifierMapping[];
  if (raw.identifiers) {
    identifiers = [];
    raw.identifiers.forEach((name, i) => {
      const identifier = subject.identifiers.find((id) => id.name === name);
      if (!identifier) {
        problems.push({
          path: `${path}.identifiers.${i}`,
          message: `"${name}" is not an identifier of this subject (its identifiers: ${subject.identifiers.map((id) => id.name).join(', ')})`,
        });
      } else if (identifier.type === 'id') {
        problems.push({
          path: `${path}.identifiers.${i}`,
          message: `"${name}" is an id: an anonymized row keeps its key, so a hash of it would recognise nobody uploaded again; name e-mail, phone or text identifiers`,
        });
      } else identifiers.push(identifier);
    });
  } else {
    identifiers = subject.identifiers.filter((id) => id.type === 'email' || id.type === 'phone');
    if (identifiers.length === 0) {
      problems.push({
        path: `${path}.identifiers`,
        message: 'the subject has no email or phone identifier: name the identifiers whose values are kept as hashes, e.g. identifiers: [login]',
      });
    }
  }

  const rule: SuppressRule = { when, identifiers };
  if (raw.keepFor !== undefined) {
    const keepFor = parseDuration(raw.keepFor);
    if (!keepFor) problems.push({ path: `${path}.keepFor`, message: `"${raw.keepFor}" is not a period: write e.g. 30 days, 24 months, 5 years or P2Y` });
    else rule.keepFor = keepFor;
  }
  if (table) checkAgainstRetention(path, rule, table, problems);
  return rule;
}

/**
 * The hashes are kept when a person is anonymized whole (anonymize, the sweep's inactiveFor,
 * reapply). Two things in the subject table's retention would contradict that:
 *
 * - a keepFor longer than inactiveFor: the anonymization period the hashes come from. A
 *   person's identifiers are kept at most inactiveFor without activity of theirs; a residue
 *   that lets anyone with the key test them is not kept longer than the identifiers were.
 * - a row-by-row rule (anonymizeAfter rewriting a suppressed identifier, deleteAfter) would
 *   erase the identifiers of people who opted out without keeping their hashes.
 */
function checkAgainstRetention(path: string, rule: SuppressRule, table: TableMapping, problems: ConfigProblem[]): void {
  const retention = table.retention;
  if (!retention) return;
  if (rule.keepFor && retention.inactiveFor && approximateDays(rule.keepFor) > approximateDays(retention.inactiveFor)) {
    problems.push({
      path: `${path}.keepFor`,
      message: `keepFor (${rule.keepFor.text}) is longer than the anonymization period the hashes come from (tables.${table.name}.retention.inactiveFor: ${retention.inactiveFor.text}); a hash of an identifier is not kept longer than the identifier itself: shorten keepFor, or leave it out to keep the list for as long as the audit store`,
    });
  }
  const rewritten = rule.identifiers.filter((id) => {
    const column = table.columns.get(id.column);
    return column !== undefined && column.strategy !== 'keep';
  });
  if (retention.anonymizeAfter && rewritten.length > 0) {
    problems.push({
      path: `${path}`,
      message: `tables.${table.name}.retention.anonymizeAfter rewrites ${rewritten.map((id) => `${table.name}.${id.column}`).join(', ')} row by row, without keeping the hash of a person who opted out; anonymize the subject's own table through inactiveFor instead`,
    });
  }
  if (retention.deleteAfter) {
    problems.push({
      path: `${path}`,
      message: `tables.${table.name}.retention.deleteAfter deletes people's rows without keeping the hash of those who opted out; anonymize them through inactiveFor instead`,
    });
  }
}
