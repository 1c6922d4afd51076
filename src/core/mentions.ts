import type { Knex } from 'knex';
import type { DataMap } from '../config/data-map.js';
import type { Dialect } from '../db/dialect.js';
import { keyOf, keyText, orderByKey } from '../db/row-key.js';
import { findMentions, mentionProbes, type Mention } from '../masking/mentions.js';
import type { SubjectTraits } from '../masking/types.js';
import type { TableRows } from './subject-data.js';
import type { Row, RowKey } from './subject-lookup.js';

/** A row outside the person's own data whose free text mentions them. No values: kinds of mention only. */
export interface MentionRow {
  table: string;
  column: string;
  key: RowKey;
  kinds: Mention['kind'][];
}

/**
 * Rows of free-text columns (those the map redacts) that mention the person, outside the
 * rows that are theirs: a LIKE prefilter in the database on short probes (their e-mail,
 * name, the last digits of their phone), then the detectors confirm in JS.
 */
export async function findMentionRows(knex: Knex, dialect: Dialect, map: DataMap, traits: SubjectTraits, own: TableRows[]): Promise<MentionRow[]> {
  return (await scanMentions(knex, dialect, map, traits, own)).map(({ text: _text, ...row }) => row);
}

/** findMentionRows with each row's current text, for rewriting it inside a transaction. */
export async function scanMentions(
  knex: Knex,
  dialect: Dialect,
  map: DataMap,
  traits: SubjectTraits,
  own: TableRows[],
): Promise<(MentionRow & { text: string })[]> {
  const probes = mentionProbes(traits);
  if (probes.length === 0) return [];
  const ownKeys = new Map(own.map(({ table, rows }) => [table.name, new Set(rows.map((r) => keyText(keyOf(table.keyColumns, r))))]));
  const found: (MentionRow & { text: string })[] = [];
  for (const table of map.tables.values()) {
    for (const column of table.columns.values()) {
      if (column.strategy === 'keep' || column.strategy.kind !== 'redact') continue;
      const query = knex(table.name)
        .select([...table.keyColumns, column.name])
        .where((q) => {
          for (const probe of probes) q.orWhereRaw("? LIKE ? ESCAPE '!'", [dialect.lowerCase(knex, knex.raw('??', [column.name])), `%${escapeLike(probe)}%`]);
        });
      const rows: Row[] = await orderByKey(query, table.keyColumns);
      for (const row of rows) {
        const key = keyOf(table.keyColumns, row);
        const text = row[column.name];
        if (ownKeys.get(table.name)?.has(keyText(key)) || typeof text !== 'string') continue;
        const kinds = [...new Set(findMentions(text, traits).map((m) => m.kind))];
        if (kinds.length > 0) found.push({ table: table.name, column: column.name, key, kinds, text });
      }
    }
  }
  return found;
}

function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}
