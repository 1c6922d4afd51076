import { readFile } from 'node:fs/promises';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { ConfigError, type ConfigProblem, UsageError } from '../errors.js';
import { buildDataMap, type DataMap } from './data-map.js';
import { interpolateEnv } from './interpolate.js';
import { interruptible } from '../turn.js';
import { dataMapSchema } from './schema.js';

export interface DataMapReading {
  /** Present when the file had the right overall shape, even if some parts have problems. */
  map?: DataMap;
  problems: ConfigProblem[];
}

/** Reads, interpolates and validates a data map, collecting every problem instead of stopping at the first. */
export async function readDataMap(file: string, env: NodeJS.ProcessEnv = process.env, options: { signal?: AbortSignal } = {}): Promise<DataMapReading> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `No data map at ${absolute}.` : `Cannot read the data map ${absolute} (${code}).`,
      'Pass one with --config PATH or LETHE_CONFIG, or create lethe.yml in this directory.',
      { code: 'config' },
    );
  }

  const problems: ConfigProblem[] = [];
  const read = readYaml(text);
  // A map of 50,000 tables takes seconds to read: SIGINT is heeded between the steps.
  await interruptible(options.signal, INTERRUPTED);
  if ('problems' in read) return { problems: read.problems };
  const tree = read.tree;
  const interpolated = interpolateEnv(tree, env, problems);
  const dir = path.dirname(absolute);
  const context = { file: absolute, dir, resolvePath: (p: string) => (p === ':memory:' || path.isAbsolute(p) ? p : path.resolve(dir, p)) };

  const parsed = dataMapSchema.safeParse(interpolated);
  await interruptible(options.signal, INTERRUPTED);
  if (parsed.success) {
    const map = buildDataMap(parsed.data, context, problems);
    await interruptible(options.signal, INTERRUPTED);
    return { map, problems };
  }
  // Wrong shapes are not the end of the reading: the parts in the wrong shape are set aside and
  // the rest is read and checked as usual, so one run names every problem of the map. No map
  // is returned: nothing runs on a map with a part missing.
  problems.push(...shapeProblems(parsed.error.issues));
  const rest = setAsideWrongShapes(interpolated, parsed.error.issues);
  if (rest) {
    const again = dataMapSchema.safeParse(rest.tree);
    if (again.success) {
      const later: ConfigProblem[] = [];
      buildDataMap(again.data, context, later);
      problems.push(...later.filter((p) => !rest.concerns(p)));
    }
  }
  return { problems };
}

/**
 * The YAML as plain values. js-yaml reads a well-formed map about eight times faster than the
 * yaml library's document model (0.8 s against 6.3 s for 50,000 tables) and refuses duplicate
 * keys, so it reads first. A document it refuses, or one with aliases (which js-yaml shares
 * rather than expands, and which may expand without bound), is read again by the yaml
 * library: it names every broken line and duplicate key, and bounds alias expansion.
 */
function readYaml(text: string): { tree: unknown } | { problems: ConfigProblem[] } {
  try {
    const tree = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA }) ?? null;
    if (!hasSharedValues(tree)) return { tree };
  } catch {
    // Reported below, with every problem of the document.
  }
  const lines = new LineCounter();
  // Duplicate keys are found below, in one pass: the library's own check compares each key
  // with every earlier one of its mapping, which is quadratic in the number of tables.
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: false, lineCounter: lines });
  // Every one: two broken lines are two problems to fix, not one.
  const yamlProblems = [
    ...document.errors.map((error) => ({ path: '', message: `not valid YAML: ${error.message.split('\n')[0]}` })),
    ...duplicateKeys(document.contents, [], lines),
  ];
  if (yamlProblems.length > 0) return { problems: [...unquotedVariables(text), ...yamlProblems] };
  try {
    // The yaml library refuses a document whose aliases would expand without bound (a "billion laughs").
    return { tree: document.toJS({ maxAliasCount: 100 }) };
  } catch (error) {
    return { problems: [{ path: '', message: `not a usable data map: ${(error as Error).message.split('\n')[0]} (YAML aliases that expand too far)` }] };
  }
}

/**
 * `${VAR}` unquoted inside `{ ... }` reads as YAML's own braces and breaks the whole line into
 * dozens of errors: said first, in one sentence per line, with the fix.
 */
function unquotedVariables(text: string): ConfigProblem[] {
  const found: ConfigProblem[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const code = line.replace(/(["'])(?:(?!\1).)*\1/g, '""').replace(/\s#.*$/, '');
    if (/\{[^}]*:\s*\$\{/.test(code)) {
      found.push({ path: '', message: `line ${i + 1}: \${...} inside { } must be quoted, e.g. key: "\${LETHE_KEY}" (or written on a line of its own)` });
    }
  });
  return found;
}

/** An object or array reached twice: the document used an alias. */
function hasSharedValues(tree: unknown): boolean {
  const seen = new Set<object>();
  const pending: unknown[] = [tree];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object') continue;
    if (seen.has(value)) return true;
    seen.add(value);
    for (const child of Object.values(value)) pending.push(child);
  }
  return false;
}

interface SchemaIssue {
  code: string;
  message: string;
  keys?: string[];
  path: PropertyKey[];
}

function shapeProblems(issues: readonly SchemaIssue[]): ConfigProblem[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: describeIssue(issue) }));
}

/** Each key that a mapping holds twice, at its path, with the line of the second one. */
function duplicateKeys(node: unknown, at: string[], lines: LineCounter): ConfigProblem[] {
  const found: ConfigProblem[] = [];
  // One path, pushed and popped on the way down: no copy per node of a map with 50,000 tables.
  const where = [...at];
  const walk = (current: unknown): void => {
    if (isMap(current)) {
      const seen = new Set<string>();
      for (const pair of current.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key !== undefined && seen.has(key)) {
          const offset = (pair.key as YamlNode).range?.[0];
          const line = offset === undefined ? '' : ` (line ${lines.linePos(offset).line})`;
          found.push({ path: where.join('.'), message: `not valid YAML: the key "${key}" appears more than once${line}; map keys must be unique` });
        }
        if (key === undefined) {
          walk(pair.value);
          continue;
        }
        seen.add(key);
        where.push(key);
        walk(pair.value);
        where.pop();
      }
    } else if (isSeq(current)) {
      current.items.forEach((item, i) => {
        where.push(String(i));
        walk(item);
        where.pop();
      });
    }
  };
  walk(node);
  return found;
}

/**
 * The map without the parts in the wrong shape, so that the rest can be read: an unknown key
 * is dropped, a wrong optional setting falls back to its default, a wrong column is read as
 * `keep`, and a table or subject missing a required part is left out. `concerns` tells which
 * later problems follow from what was set aside (they would be noise, or false): those at or
 * under a place set aside, and those naming a table or subject left out.
 * Undefined when a required section is itself wrong: nothing more can be read.
 */
function setAsideWrongShapes(tree: unknown, issues: readonly SchemaIssue[]): { tree: unknown; concerns: (problem: ConfigProblem) => boolean } | undefined {
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) return undefined;
  const root = structuredClone(tree) as Record<string, unknown>;
  // Paths whose later problems follow from what was set aside there.
  const setAside = new Set<string>();
  const leftOut: string[] = [];
  for (const issue of issues) {
    const where = issue.path.map(String);
    const [section, name] = where;
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      const holder = at(root, where);
      if (holder && typeof holder === 'object') for (const key of issue.keys) delete (holder as Record<string, unknown>)[key];
      continue;
    }
    if (section === undefined || section === 'database' || (where.length === 1 && (section === 'tables' || section === 'subjects'))) return undefined;
    if (section === 'tables' && where[2] === 'columns' && where.length >= 4) {
      (at(root, where.slice(0, 3)) as Record<string, unknown>)[where[3]!] = 'keep';
      setAside.add(where.slice(0, 4).join('.'));
    } else if ((section === 'tables' || section === 'subjects') && (where.length === 2 || isRequired(issue))) {
      delete (root[section] as Record<string, unknown>)[name!];
      setAside.add(`${section}.${name}`);
      leftOut.push(`"${name}"`);
    } else {
      const holder = at(root, where.slice(0, -1));
      if (holder && typeof holder === 'object') delete (holder as Record<string, unknown>)[where.at(-1)!];
      setAside.add(where.join('.'));
    }
  }
  const under = (problem: ConfigProblem) => [...setAside].some((entry) => problem.path === entry || problem.path.startsWith(`${entry}.`));
  return { tree: root, concerns: (problem) => under(problem) || leftOut.some((name) => problem.message.includes(name)) };
}

/** A required field that is missing or of the wrong type: its entry cannot be read without it. */
function isRequired(issue: SchemaIssue): boolean {
  return issue.code === 'invalid_type' && /required|undefined/i.test(issue.message);
}

function at(root: unknown, where: string[]): unknown {
  let current = root;
  for (const key of where) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const INTERRUPTED = 'Interrupted while the data map was read; nothing was done.';

/** readDataMap for callers that want all or nothing. */
export async function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<DataMap> {
  const { map, problems } = await readDataMap(file, env);
  if (!map || problems.length > 0) throw new ConfigError(path.resolve(file), problems);
  return map;
}

function describeIssue(issue: SchemaIssue): string {
  if (issue.code === 'unrecognized_keys' && issue.keys) {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  return issue.message;
}
