import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, isScalar, Scalar, type Node, type YAMLMap } from 'yaml';
import type { DatabaseClient } from '../database-clients.js';
import type { Draft } from './draft.js';

/** The JSON Schema shipped in the package: schema/ beside the nearest package.json (source and build sit at different depths). */
const SCHEMA_FILE = path.join(packageRoot(), 'schema', 'data-map.schema.json');

function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (dir !== path.dirname(dir) && !existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

export interface RenderOptions {
  client: DatabaseClient;
  /** As written in the map: a path relative to the map (SQLite), a URL without a password, or ${DATABASE_URL}. */
  connection: string;
  /** Where the map goes: the schema reference is relative to it. */
  out: string;
  generatedAt: Date;
}

/** The draft as a commented YAML data map. */
export function renderDraft(draft: Draft, options: RenderOptions): string {
  const doc = new Document({});
  const header = [
    ...(existsSync(SCHEMA_FILE) ? [` yaml-language-server: $schema=${schemaReference(options.out)}`] : []),
    ` lethe data map: a first draft written by \`lethe init\` on ${options.generatedAt.toISOString().slice(0, 10)}.`,
    ' Review every column before you rely on it: each has a comment saying why it is personal or kept,',
    ` judged from its name and from up to ${draft.sampleSize} sampled values per table (no value is written here).`,
    ' Then: lethe check, and lethe anonymize <someone> --dry-run.',
  ];
  doc.commentBefore = header.join('\n');
  const root = doc.contents as YAMLMap;

  root.set('database', doc.createNode({ client: options.client, connection: options.connection }));
  root.set('audit', doc.createNode({ path: './.lethe/audit.db' }));
  const secrets = doc.createNode({ key: '${LETHE_KEY}' });
  root.set('secrets', secrets);
  comment(root, 'secrets', ' A long random secret, from the environment, never written here: it keys the audit chain, `hash` and tombstones.');

  const subjects = doc.createNode({}) as YAMLMap;
  for (const drafted of draft.subjects) {
    const subject: Record<string, unknown> = {
      table: drafted.table,
      identifiers: Object.fromEntries(drafted.identifiers.map((i) => [i.name, flow(doc, { column: i.column, type: i.type })])),
    };
    if (drafted.nameColumns.length > 0) subject.name = flow(doc, drafted.nameColumns);
    const node = doc.createNode(subject) as YAMLMap;
    node.set('tombstones', false);
    comment(node, 'tombstones', ' true keeps keyed hashes of erased identifiers, so an erasure survives a backup restore (lethe reapply)');
    if (drafted.notices.length > 0) comment(node, 'identifiers', drafted.notices.map((n) => ` ${n}`).join('\n'), false);
    subjects.set(drafted.name, node);
    comment(subjects, drafted.name, ` ${drafted.reason}`);
  }
  root.set('subjects', subjects);
  comment(
    root,
    'subjects',
    ` Who the data is about, and what a person is looked up by${draft.subjects.length > 1 ? ': one subject per table of people' : ''}.`,
  );

  const tables = doc.createNode({}) as YAMLMap;
  for (const table of draft.tables) {
    const notes = [
      ` ${table.name}: ${table.sampled === 0 ? 'empty when sampled, so judged by column names only' : `${table.sampled} rows sampled`}`,
      ...table.linkNotes.map((note) => ` ${note}`),
      ...(table.retentionHint ? [` ${table.retentionHint}`] : []),
    ];
    if (table.impersonal !== undefined) {
      // Reviewed as holding nothing personal: no job reads it, so no key or column list; why each column was kept goes in the comment.
      tables.set(table.name, doc.createNode({ impersonal: table.impersonal }));
      notes.push(...table.columns.map((c) => `   ${c.name}: ${c.comment}`));
      comment(tables, table.name, notes.join('\n'));
      continue;
    }
    const node = doc.createNode({}) as YAMLMap;
    node.set('primaryKey', Array.isArray(table.primaryKey) ? flow(doc, table.primaryKey) : table.primaryKey);
    if (table.belongsTo.length > 0) node.set('belongsTo', flow(doc, Object.fromEntries(table.belongsTo.map((l) => [l.parent, l.column]))));
    if (table.references.length > 0) node.set('references', flow(doc, Object.fromEntries(table.references.map((l) => [l.parent, l.column]))));
    const columns = doc.createNode({}) as YAMLMap;
    for (const column of table.columns) {
      const value = column.personal
        ? flow(doc, { ...(column.category ? { category: column.category } : {}), strategy: column.strategy })
        : doc.createNode('keep');
      value.comment = ` ${column.comment}`;
      columns.set(column.name, value);
    }
    node.set('columns', columns);
    tables.set(table.name, node);
    comment(tables, table.name, notes.join('\n'));
  }
  root.set('tables', tables);
  comment(
    root,
    'tables',
    ' Every table: its key, its link towards a person it is part of (belongsTo) or merely points at (references),\n and for each column a strategy, or keep; or, for a table that holds nothing personal, impersonal and why.',
  );
  const skipped = draft.skipped.map((s) => ` Not mapped: ${s.name}, because ${s.reason}.`);
  if (skipped.length > 0) doc.comment = skipped.join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** A comment on the line(s) before `key` in `map`, after an empty line (unless `space` is false). */
function comment(map: YAMLMap, key: string, text: string, space = true): void {
  const pair = map.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
  if (!pair) return;
  const keyNode = isScalar(pair.key) ? pair.key : new Scalar(key);
  keyNode.commentBefore = text;
  // An empty line between entries, not after the parent's key.
  keyNode.spaceBefore = space && map.items.indexOf(pair) > 0;
  pair.key = keyNode;
}

function flow(doc: Document, value: unknown): Node {
  return doc.createNode(value, { flow: true }) as Node;
}

/** The schema as a path relative to the map file, as yaml-language-server resolves it. */
function schemaReference(out: string): string {
  const relative = path
    .relative(path.dirname(path.resolve(out)), SCHEMA_FILE)
    .split(path.sep)
    .join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}
