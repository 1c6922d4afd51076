/**
 * The databases lethe speaks to, by the name the data map (database.client) and `init --client`
 * give them. A module of its own, outside src/db, so that `lethe init --help` can name them
 * without loading any database code.
 */
export const DATABASE_CLIENTS = ['sqlite', 'postgres', 'mysql'] as const;

export type DatabaseClient = (typeof DATABASE_CLIENTS)[number];

export function isDatabaseClient(name: string): name is DatabaseClient {
  return (DATABASE_CLIENTS as readonly string[]).includes(name);
}

/** "sqlite, postgres or mysql" */
export function describeDatabaseClients(): string {
  return `${DATABASE_CLIENTS.slice(0, -1).join(', ')} or ${DATABASE_CLIENTS.at(-1)!}`;
}
