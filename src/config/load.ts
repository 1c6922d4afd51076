import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError, type ConfigProblem, UsageError } from '../errors.js';
import { buildDataMap, type DataMap } from './data-map.js';
import { interpolateEnv } from './interpolate.js';
import { dataMapSchema } from './schema.js';

export interface DataMapReading {
  /** Present when the file had the right overall shape, even if some parts have problems. */
  map?: DataMap;
  problems: ConfigProblem[];
}

/** Reads, interpolates and validates a data map, collecting every problem instead of stopping at the first. */
export async function readDataMap(file: string, env: NodeJS.ProcessEnv = process.env): Promise<DataMapReading> {
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
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  // Every one: two duplicate keys are two problems to fix, not one.
  if (document.errors.length > 0) {
    return { problems: document.errors.map((error) => ({ path: '', message: `not valid YAML: ${error.message.split('\n')[0]}` })) };
  }

  let tree: unknown;
  try {
    // The yaml library refuses a document whose aliases would expand without bound (a "billion laughs").
    tree = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { problems: [{ path: '', message: `not a usable data map: ${(error as Error).message.split('\n')[0]} (YAML aliases that expand too far)` }] };
  }
  const interpolated = interpolateEnv(tree, env, problems);
  const parsed = dataMapSchema.safeParse(interpolated);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({ path: issue.path.map(String).join('.'), message: describeIssue(issue) });
    }
    return { problems };
  }

  const dir = path.dirname(absolute);
  const map = buildDataMap(
    parsed.data,
    { file: absolute, dir, resolvePath: (p) => (p === ':memory:' || path.isAbsolute(p) ? p : path.resolve(dir, p)) },
    problems,
  );
  return { map, problems };
}

/** readDataMap for callers that want all or nothing. */
export async function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<DataMap> {
  const { map, problems } = await readDataMap(file, env);
  if (!map || problems.length > 0) throw new ConfigError(path.resolve(file), problems);
  return map;
}

function describeIssue(issue: { code: string; message: string; keys?: string[]; path: PropertyKey[] }): string {
  if (issue.code === 'unrecognized_keys' && issue.keys) {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  return issue.message;
}
