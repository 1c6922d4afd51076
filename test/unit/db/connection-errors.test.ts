import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectFor } from '../../../src/db/connect.js';
import { connectionFailure } from '../../../src/db/connection-errors.js';
import { DatabaseError, ExitCode, UsageError } from '../../../src/errors.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';

const PASSWORD = 'S3cret-Pa55word';

/** Connects the way openSession does and returns the error it would report, with the time it took. */
/**
 * The failure of a connection attempt. No test times it: a client that retried a refused or
 * silent server (knex waits 60 s to acquire a connection) would run past the test's timeout.
 */
async function failureOf(client: string, connection: string): Promise<{ error: DatabaseError; message: string }> {
  const dialect = dialectFor(client);
  const knex = knexFactory(dialect.knexConfig(connection));
  try {
    await dialect.introspect(knex, ['users']);
  } catch (error) {
    const failure = connectionFailure(error, dialect.describeTarget(connection));
    expect(failure).toBeInstanceOf(DatabaseError);
    expect(failure.exitCode).toBe(ExitCode.failed);
    return { error: failure, message: `${failure.message} ${failure.hint ?? ''}` };
  } finally {
    await knex.destroy();
  }
  throw new Error('connected, but a failure was expected');
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function withUrl(connection: string, change: (url: URL) => void): string {
  const url = new URL(connection);
  change(url);
  return url.toString();
}

describeEachDatabase('connection failures', (target) => {
  let database: TestDatabase;
  // Accepts connections and never answers: a server that hangs, or a firewall that black-holes.
  const silent = net.createServer(() => {});
  const sockets = new Set<net.Socket>();
  silent.on('connection', (socket) => sockets.add(socket));

  beforeAll(async () => {
    database = await target.create();
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
    await database?.drop();
  });

  it.runIf(target.client === 'sqlite')('says when the file is not a SQLite database', async () => {
    const file = `${database.connection}.not-a-db`;
    writeFileSync(file, 'this is not a database file, just text that is long enough to have a header '.repeat(20));
    const { message } = await failureOf('sqlite', file);
    expect(message).toContain('is not a SQLite database');
  });

  if (target.client === 'sqlite') return;
  const server = target.client;

  it('names host and port when the connection is refused, quickly, without the password', async () => {
    const port = await freePort();
    const url = withUrl(database.connection, (u) => {
      u.port = String(port);
      u.username = 'someone';
      u.password = PASSWORD;
    });
    const { message } = await failureOf(server, url);
    expect(message).toContain(`127.0.0.1:${port}`);
    expect(message).toContain('refused');
    expect(message).not.toContain(PASSWORD);
    expect(message).not.toContain('someone');
  });

  it('says the database does not exist', async () => {
    const url = withUrl(database.connection, (u) => {
      u.pathname = '/lethe_no_such_database';
    });
    const { message } = await failureOf(server, url);
    expect(message).toContain('lethe_no_such_database');
    expect(message).toContain('the database does not exist');
  });

  it('says the host name could not be resolved', async () => {
    const url = withUrl(database.connection, (u) => {
      u.hostname = 'db.lethe-test.invalid';
    });
    const { message } = await failureOf(server, url);
    expect(message).toContain('db.lethe-test.invalid');
    expect(message).toContain('could not be resolved');
  });

  it('gives up on a server that does not answer, after connect_timeout', async () => {
    const { port } = silent.address() as net.AddressInfo;
    const url = withUrl(database.connection, (u) => {
      u.port = String(port);
      u.searchParams.set('connect_timeout', '1');
    });
    const { message } = await failureOf(server, url);
    expect(message).toContain(`127.0.0.1:${port}`);
    // The timeout is what ended it (not a refusal or a reset): the message says so.
    expect(message).toContain('did not answer in time');
  });

  it('says the user or password was not accepted, without the password', async () => {
    // PostgreSQL here trusts every local connection, so no password can be wrong: a role that
    // does not exist gets the same authentication failure (SQLSTATE 28000). On MariaDB the
    // user exists and the password is wrong.
    const user = `lethe_${randomBytes(4).toString('hex')}`;
    const admin = database.knex;
    if (server === 'mysql') {
      await admin.raw(`CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY 'the-right-one'`);
      await admin.raw(`CREATE USER '${user}'@'localhost' IDENTIFIED BY 'the-right-one'`);
    }
    try {
      const url = withUrl(database.connection, (u) => {
        u.username = user;
        u.password = PASSWORD;
      });
      const { message } = await failureOf(server, url);
      expect(message).toContain('the user name or password was not accepted');
      expect(message).toContain(new URL(database.connection).host);
      expect(message).not.toContain(PASSWORD);
    } finally {
      if (server === 'mysql') {
        await admin.raw(`DROP USER '${user}'@'127.0.0.1'`);
        await admin.raw(`DROP USER '${user}'@'localhost'`);
      }
    }
  });

  it('connects and reads nothing from a missing table with the right settings', async () => {
    const dialect = dialectFor(server);
    const knex: Knex = knexFactory(dialect.knexConfig(database.connection));
    try {
      expect(await dialect.introspect(knex, ['users'])).toEqual(new Map());
    } finally {
      await knex.destroy();
    }
  });
});

describe('connection settings from a URL', () => {
  it('describes a server by host, port and database, never by user or password', () => {
    const postgres = dialectFor('postgres');
    const mysql = dialectFor('mysql');
    expect(postgres.describeTarget(`postgres://jane:${PASSWORD}@db.example.com/shop`)).toBe('PostgreSQL at db.example.com:5432/shop');
    expect(postgres.describeTarget(`postgresql://jane:${PASSWORD}@db.example.com:6543/shop?sslmode=require`)).toBe('PostgreSQL at db.example.com:6543/shop');
    expect(mysql.describeTarget(`mysql://jane:${PASSWORD}@db.example.com/shop`)).toBe('MySQL at db.example.com:3306/shop');
    expect(mysql.describeTarget(`mariadb://jane:${PASSWORD}@10.0.0.5:3307/shop`)).toBe('MariaDB at 10.0.0.5:3307/shop');
  });

  it('refuses a malformed URL without quoting it', () => {
    for (const [client, connection] of [
      ['postgres', `jane:${PASSWORD}@db.example.com/shop`],
      ['postgres', `mysql://jane:${PASSWORD}@db.example.com/shop`],
      ['mysql', `http://jane:${PASSWORD}@db.example.com/shop`],
    ] as const) {
      const dialect = dialectFor(client);
      let error: unknown;
      try {
        dialect.knexConfig(connection);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UsageError);
      expect(`${(error as UsageError).message} ${(error as UsageError).hint}`).not.toContain(PASSWORD);
      expect(dialect.describeTarget(connection)).not.toContain(PASSWORD);
    }
  });

  it('passes a percent-encoded MySQL password decoded, and bounds connect and acquire time', () => {
    const config = dialectFor('mysql').knexConfig('mysql://jane:p%40ss%3Aword@[::1]:3307/shop?connect_timeout=3&ssl=true');
    expect(config.connection).toMatchObject({
      host: '::1',
      port: 3307,
      user: 'jane',
      password: 'p@ss:word',
      database: 'shop',
      connectTimeout: 3000,
      ssl: {},
      timezone: 'Z',
    });
    expect(config.acquireConnectionTimeout).toBe(8000);
    const pg = dialectFor('postgres').knexConfig('postgres://jane@db.example.com/shop');
    expect(pg.connection).toMatchObject({ connectionTimeoutMillis: 10_000 });
    expect(pg.pool).toMatchObject({ min: 0 });
  });

  it('turns a PostgreSQL password failure into one sentence (28P01), as a wrong password gives', () => {
    const error = Object.assign(new Error(`password authentication failed for user "jane"`), { code: '28P01' });
    const failure = connectionFailure(error, 'PostgreSQL at db.example.com:5432/shop');
    expect(failure.message).toBe('Could not connect to PostgreSQL at db.example.com:5432/shop: the user name or password was not accepted.');
  });

  it('reports knex pool timeouts and unknown errors without the driver message', () => {
    const timeout = Object.assign(new Error('Knex: Timeout acquiring a connection.'), { name: 'KnexTimeoutError' });
    expect(connectionFailure(timeout, 'MySQL at h:3306/d').message).toBe('Could not connect to MySQL at h:3306/d: no connection became available in time.');
    const other = Object.assign(new Error(`weird failure mentioning postgres://jane:${PASSWORD}@h/d`), { code: '42501' });
    const failure = connectionFailure(other, 'PostgreSQL at h:5432/d');
    expect(failure.message).toBe('Could not read the database schema from PostgreSQL at h:5432/d (42501).');
  });
});
