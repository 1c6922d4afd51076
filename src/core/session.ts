import os from 'node:os';
import type { Knex } from 'knex';
import { AuditStore } from '../audit/index.js';
import { TombstoneStore } from '../audit/tombstone-store.js';
import type { DataMap } from '../config/data-map.js';
import { readDataMap } from '../config/load.js';
import { connectDatabase, type ConnectedDatabase } from '../db/connect.js';
import { databaseIdentity } from '../db/database-identity.js';
import type { Dialect } from '../db/dialect.js';
import type { SchemaSnapshot } from '../db/schema-snapshot.js';
import { ConfigError, type ConfigProblem } from '../errors.js';
import { checkMapAgainstSchema, type MapCheck } from './check-map.js';
import { codeSuffix } from './error-facts.js';
import { reconcileInterrupted } from './reconcile.js';
import { pruneExpiredSuppressions, suppressionPolicies } from './suppression.js';
import { deleteQueuedFiles } from './file-deletion.js';

/** Everything a job needs: the checked map, an open database, the audit store, who is acting. */
export interface Session {
  map: DataMap;
  knex: Knex;
  dialect: Dialect;
  schema: SchemaSnapshot;
  audit: AuditStore;
  /** Present when a subject keeps tombstones. */
  tombstones?: TombstoneStore;
  operator: string;
  warnings: ConfigProblem[];
  /** Facts for a reviewer (lethe check prints them); never a failure. */
  notes: ConfigProblem[];
  close(): Promise<void>;
}

export interface SessionOptions {
  configPath: string;
  /** SIGINT/SIGTERM: reading a large map or schema stops (InterruptedError). */
  signal?: AbortSignal;
  operator?: string;
  env?: NodeJS.ProcessEnv;
}

export function resolveOperator(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  if (explicit) return explicit;
  if (env.LETHE_OPERATOR) return env.LETHE_OPERATOR;
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

/**
 * Reads the map, connects, and checks the map against the live schema. Static and live
 * problems are reported together, so one run names everything that needs fixing.
 */
export async function openSession(options: SessionOptions): Promise<Session> {
  const env = options.env ?? process.env;
  const { map, problems } = await readDataMap(options.configPath, env, options.signal ? { signal: options.signal } : {});
  const databaseUsable = map !== undefined && !problems.some((p) => p.path.startsWith('database'));
  if (!map || !databaseUsable) throw new ConfigError(map?.file ?? options.configPath, problems, liveCheckSkipped(map));

  const { connected, schema, check } = await connectAndCheck(map, options.signal);
  const { knex, dialect } = connected;
  try {
    const all = [...problems, ...check.problems];
    if (all.length > 0) throw new ConfigError(map.file, all);
    // One store may serve several databases: what this session writes and relies on is this database's.
    const label = connected.target;
    const database = await databaseIdentity(knex, label, () => AuditStore.lastDatabaseIdAt(map.auditPath, label));
    const audit = AuditStore.open(map.auditPath, { ...(map.key ? { key: map.key } : {}), database });
    const tombstones = [...map.subjects.values()].some((s) => s.tombstones) && map.key ? TombstoneStore.open(audit, map.key) : undefined;
    const warnings = [...check.warnings];
    try {
      await reconcileInterrupted(knex, audit);
    } catch (error) {
      // The job itself may still run; the intents stay interrupted until a later command completes them.
      warnings.push({ path: 'audit', message: `Jobs interrupted earlier could not be completed in the audit trail now${codeSuffix(error)}.` });
    }
    try {
      // Suppression hashes past their keepFor go now, as interrupted jobs are completed now.
      pruneExpiredSuppressions(audit, { operator: resolveOperator(options.operator, env), policies: suppressionPolicies(map, new Date(), database.id) });
    } catch (error) {
      warnings.push({ path: 'audit', message: `Suppression hashes past their keepFor could not be pruned now${codeSuffix(error)}.` });
    }
    const session: Session = {
      map,
      knex,
      dialect,
      schema,
      audit,
      ...(tombstones ? { tombstones } : {}),
      operator: resolveOperator(options.operator, env),
      warnings,
      notes: check.notes,
      async close() {
        audit.close();
        await connected.close();
      },
    };
    // Files of changes that committed before their run died: deleted now, as those runs would have.
    const leftover = await deleteQueuedFiles(session, undefined, 'reconcile').catch((error: unknown) => {
      warnings.push({
        path: 'storage',
        message: `Files listed for deletion by an earlier run could not be deleted now${codeSuffix(error)}; the next run tries again.`,
      });
      return undefined;
    });
    if (leftover && leftover.failed > 0) {
      warnings.push({
        path: 'storage',
        message: `${leftover.failed} files listed for deletion by an earlier run could not be deleted now; the next run tries again.`,
      });
    }
    return session;
  } catch (error) {
    await connected.close();
    throw error;
  }
}

/** Connects to the map's database and checks the map against its live schema; the caller closes `connected`. */
export async function connectAndCheck(map: DataMap, signal?: AbortSignal): Promise<{ connected: ConnectedDatabase; schema: SchemaSnapshot; check: MapCheck }> {
  const { database: connected, reached: schema } = await connectDatabase(map.database, ({ dialect, knex }) => introspectForCheck(dialect, knex, map, signal));
  return { connected, schema, check: checkMapAgainstSchema(map, schema) };
}

/**
 * The mapped tables and every other table of the database: the check looks for foreign keys
 * into mapped tables from tables the map does not know.
 */
export async function introspectForCheck(dialect: Dialect, knex: Knex, map: DataMap, signal?: AbortSignal): Promise<SchemaSnapshot> {
  const tables = new Set([...map.tables.keys(), ...(await dialect.listTables(knex))]);
  return dialect.introspect(knex, [...tables], signal);
}

function liveCheckSkipped(map: DataMap | undefined): string | undefined {
  return map ? 'The map was not checked against the database yet: fix the database section first.' : undefined;
}
