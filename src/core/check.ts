import type { ConfigProblem } from '../errors.js';
import { readDataMap } from '../config/load.js';
import { isLetheTable } from '../db/database-identity.js';
import { connectAndCheck } from './session.js';

/** What `lethe check` found: the map's own problems and those against the live database. */
export interface CheckReport {
  file: string;
  /** Where the data lives (never a password); absent when the map names no usable database. */
  target?: string;
  /** False when the map could not be checked against the database (its database section is broken). */
  liveChecked: boolean;
  mappedTables: number;
  /** Tables in the database, mapped or not. */
  databaseTables?: number;
  problems: ConfigProblem[];
  warnings: ConfigProblem[];
  notes: ConfigProblem[];
}

/** Reads the map and checks it against the live database, writing nothing anywhere (not even the audit store). */
export async function checkDataMap(options: { configPath: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal }): Promise<CheckReport> {
  const { map, problems } = await readDataMap(options.configPath, options.env ?? process.env, options.signal ? { signal: options.signal } : {});
  const usable = map !== undefined && !problems.some((p) => p.path.startsWith('database'));
  if (!map || !usable) {
    return { file: map?.file ?? options.configPath, liveChecked: false, mappedTables: map?.tables.size ?? 0, problems, warnings: [], notes: [] };
  }
  const { connected, schema, check } = await connectAndCheck(map, options.signal);
  await connected.close();
  // Only here, not before every job: a new table (a migration) is what a CI check should catch.
  // Tables of other schemas (PostgreSQL) or databases (MySQL) count only where the map has tables there.
  const schemaOf = (name: string) => (name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : '');
  const mappedSchemas = new Set([...map.tables.keys()].map(schemaOf));
  const unmapped = [...schema.keys()].filter((name) => !map.tables.has(name) && !isLetheTable(name) && mappedSchemas.has(schemaOf(name)));
  const unmappedWarnings = unmapped.map((name) => ({
    path: 'tables',
    message: `table "${name}" is in the database but not in the map; lethe never looks at it (map it, with keep for columns that hold nothing personal)`,
  }));
  return {
    file: map.file,
    target: connected.target,
    liveChecked: true,
    mappedTables: map.tables.size,
    databaseTables: [...schema.keys()].filter((name) => !isLetheTable(name)).length,
    problems: [...problems, ...check.problems],
    warnings: [...check.warnings, ...unmappedWarnings],
    notes: check.notes,
  };
}
