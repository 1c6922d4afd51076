import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { describeEachDatabase } from '../../support/databases.js';
import { shopMap, useShopSession } from '../../support/workspace.js';

describeEachDatabase('openSession checks the map against the live schema', (target) => {
  const shop = useShopSession(target);

  async function problemsOf(yaml: string) {
    await shop.workspace.writeMap(yaml);
    const error = await shop.workspace.session().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }

  it('opens a clean map and warns about columns the map does not mention', async () => {
    await shop.workspace.writeMap(shopMap.replace('      country: keep\n', ''));
    const session = await shop.workspace.session();
    try {
      expect(session.warnings).toEqual([{ path: 'tables.users.columns', message: expect.stringContaining('"country"') }]);
    } finally {
      await session.close();
    }
  });

  it('names unknown tables and columns', async () => {
    const problems = await problemsOf(
      shopMap.replace('  tickets:\n', '  tikets:\n').replace('      country: keep', '      countri: keep').replace('tickets: ticket_id', 'tikets: ticket_id'),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'tables.tikets', message: 'table "tikets" does not exist in the database' },
        { path: 'tables.users.columns.countri', message: 'column "countri" does not exist in table users' },
      ]),
    );
  });

  it('refuses null on a NOT NULL column and a constant on a UNIQUE one', async () => {
    const problems = await problemsOf(
      shopMap
        .replace('full_name: { category: name, strategy: { template: "User #{id}" } }', 'full_name: { category: name, strategy: null }')
        .replace('email: { category: contact.email, strategy: { template: "user-{id}@anonymized.invalid" } }', 'email: { strategy: { value: gone } }'),
    );
    expect(problems.map((p) => p.path)).toEqual(['tables.users.columns.email.strategy', 'tables.users.columns.full_name.strategy']);
    expect(problems[1]!.message).toContain('NOT NULL');
    expect(problems[0]!.message).toContain('UNIQUE');
  });

  it('reports static and live problems in one go', async () => {
    const problems = await problemsOf(
      shopMap
        .replace('body: { category: content, strategy: redact }', 'body: { strategy: redcat }')
        .replace('  tickets:\n', '  tikets:\n')
        .replace('tickets: ticket_id', 'tikets: ticket_id'),
    );
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['tables.notes.columns.body.strategy', 'tables.tikets']));
  });

  it('refuses strategies whose output does not fit the column type', async () => {
    const problems = await problemsOf(
      shopMap
        .replace('total_cents: keep', 'total_cents: { strategy: hash }')
        .replace('birth_date: { category: demographic, strategy: { generalize: year } }', 'birth_date: { strategy: { value: "unknown" } }'),
    );
    expect(problems).toEqual([
      { path: 'tables.users.columns.birth_date.strategy', message: expect.stringContaining('does not fit') },
      { path: 'tables.orders.columns.total_cents.strategy', message: expect.stringMatching(/hash writes text, but orders\.total_cents is (integer|int)/i) },
    ]);
  });

  it.runIf(target.client === 'sqlite')('says when the SQLite file does not exist instead of creating an empty one', async () => {
    const text = await readFile(shop.workspace.configPath, 'utf8');
    await writeFile(shop.workspace.configPath, text.replace(/connection: "[^"]+"/, 'connection: ./missing.db'));
    await expect(shop.workspace.session()).rejects.toThrow(/missing\.db does not exist/);
    expect(existsSync(`${shop.workspace.dir}/missing.db`)).toBe(false);
  });

  /** Runs `body` with extra tables that are dropped afterwards (they reference the shop's tables). */
  async function withTables(create: (knex: typeof shop.database.knex) => Promise<void>, names: string[], body: () => Promise<void>) {
    await create(shop.database.knex);
    try {
      await body();
    } finally {
      for (const name of names) await shop.database.knex.schema.dropTableIfExists(name);
    }
  }

  async function checkOf(yaml: string) {
    await shop.workspace.writeMap(yaml);
    const error = await shop.workspace.session().catch((e: unknown) => e);
    if (error instanceof ConfigError) return { problems: error.problems, warnings: [], notes: [] };
    if (error instanceof Error) throw error;
    const session = error as Awaited<ReturnType<typeof shop.workspace.session>>;
    await session.close();
    return { problems: [], warnings: session.warnings, notes: session.notes };
  }

  it('warns about a belongsTo link no index supports, naming the index to create', async () => {
    await withTables(
      (knex) =>
        knex.schema.createTable('reviews', (t) => {
          t.increments('id');
          t.integer('user_ref').notNullable();
          t.string('stars', 5);
        }),
      ['reviews'],
      async () => {
        const result = await checkOf(`${shopMap}  reviews:\n    belongsTo: { users: user_ref }\n    columns:\n      user_ref: keep\n      stars: keep\n`);
        expect(result.problems).toEqual([]);
        expect(result.warnings).toEqual([
          { path: 'tables.reviews.belongsTo.users', message: expect.stringContaining('no index on reviews.user_ref and no foreign key') },
        ]);
        expect(result.warnings[0]!.message).toContain('CREATE INDEX reviews_user_ref_idx ON reviews (user_ref)');
      },
    );
  });

  it('warns about a belongsTo link of text to a key of integers, and not about one of integers', async () => {
    await withTables(
      async (knex) => {
        await knex.schema.createTable('feedback', (t) => {
          t.increments('id');
          t.string('user_ref', 20).notNullable().index();
        });
        await knex.schema.createTable('page_views', (t) => {
          t.increments('id');
          t.integer('user_ref').notNullable().index();
        });
      },
      ['feedback', 'page_views'],
      async () => {
        const table = (name: string) => `  ${name}:\n    belongsTo: { users: user_ref }\n    columns:\n      user_ref: keep\n`;
        const result = await checkOf(`${shopMap}${table('feedback')}${table('page_views')}`);
        expect(result.problems).toEqual([]);
        expect(result.warnings).toEqual([
          { path: 'tables.feedback.belongsTo.users', message: expect.stringContaining('feedback.user_ref is text and users.id is integer') },
        ]);
      },
    );
  });

  it('warns about a retention timestamp no index supports, with the CREATE INDEX, and not once there is one', async () => {
    await withTables(
      (knex) =>
        knex.schema.createTable('visits', (t) => {
          t.increments('id');
          t.integer('user_id').notNullable().index();
          t.dateTime('seen_at');
        }),
      ['visits'],
      async () => {
        const map = `${shopMap}  visits:\n    belongsTo: { users: user_id }\n    columns:\n      user_id: keep\n      seen_at: keep\n    retention: { timestamp: seen_at, deleteAfter: 1 year }\n`;
        const without = await checkOf(map);
        expect(without.warnings).toContainEqual({
          path: 'tables.visits.retention.timestamp',
          message: expect.stringContaining('no index on visits.seen_at, the retention timestamp'),
        });
        expect(without.warnings.find((w) => w.path === 'tables.visits.retention.timestamp')!.message).toContain(
          'CREATE INDEX visits_seen_at_idx ON visits (seen_at)',
        );
        await shop.database.knex.schema.alterTable('visits', (t) => t.index(['seen_at']));
        expect((await checkOf(map)).warnings.filter((w) => w.path.startsWith('tables.visits.retention'))).toEqual([]);
      },
    );
  });

  it('refuses deletions that a foreign key from a table outside the map would block or cascade', async () => {
    await withTables(
      async (knex) => {
        await knex.schema.createTable('ticket_votes', (t) => {
          t.increments('id');
          t.integer('ticket_id').unsigned().notNullable().references('tickets.id');
        });
        await knex.schema.createTable('ticket_links', (t) => {
          t.increments('id');
          t.integer('ticket_id').unsigned().notNullable().references('tickets.id').onDelete('CASCADE');
        });
      },
      ['ticket_votes', 'ticket_links'],
      async () => {
        const { problems } = await checkOf(shopMap);
        expect(problems).toEqual(
          expect.arrayContaining([
            {
              path: 'tables.tickets.onErase',
              message: expect.stringMatching(
                /ticket_votes\.ticket_id references them .*the deletes would fail; map ticket_votes with belongsTo: \{ tickets: ticket_id \}/,
              ),
            },
            { path: 'tables.tickets.onErase', message: expect.stringContaining('cascade the deletion to ticket_links') },
          ]),
        );
        expect(problems).toHaveLength(2);
      },
    );
  });

  it('refuses values longer than the column, templates that collide in a UNIQUE column and short hashes there', async () => {
    const { problems } = await checkOf(
      shopMap
        .replace('country: keep', 'country: { strategy: { value: "unknown" } }')
        .replace('email: { category: contact.email, strategy: { template: "user-{id}@anonymized.invalid" } }', 'email: { strategy: { hash: { length: 8 } } }'),
    );
    expect(problems).toEqual([
      {
        path: 'tables.users.columns.email.strategy',
        message: expect.stringMatching(/8-character hash in users\.email, which is UNIQUE: .* about 65,536 rows/),
      },
      // SQLite stores any length in a VARCHAR(2): nothing to refuse there.
      ...(target.client === 'sqlite'
        ? []
        : [{ path: 'tables.users.columns.country.strategy', message: expect.stringMatching(/the value is 7 characters, longer than users\.country/) }]),
    ]);
    const unique = await checkOf(shopMap.replace('"user-{id}@anonymized.invalid"', '"user-{country}@anonymized.invalid"'));
    expect(unique.problems).toEqual([{ path: 'tables.users.columns.email.strategy', message: expect.stringContaining('reads no unique column') }]);
  });

  it('refuses a constant where a unique index on an expression of the column (or a generated column from it) would collide', async () => {
    const { knex } = shop.database;
    if (target.client === 'mysql') {
      await knex.raw('ALTER TABLE users ADD COLUMN name_key varchar(200) AS (lower(full_name)) VIRTUAL, ADD UNIQUE KEY users_name_lower (name_key)');
    } else {
      await knex.raw('CREATE UNIQUE INDEX users_name_lower ON users (lower(full_name))');
    }
    try {
      const { problems } = await checkOf(
        shopMap.replace('full_name: { category: name, strategy: { template: "User #{id}" } }', 'full_name: { category: name, strategy: empty }'),
      );
      expect(problems).toEqual([
        {
          path: 'tables.users.columns.full_name.strategy',
          message: expect.stringContaining('a constant (empty) on users.full_name, which the unique index users_name_lower reads'),
        },
      ]);
      // The map's own template is unique by the key: no problem.
      expect((await checkOf(shopMap)).problems).toEqual([]);
    } finally {
      if (target.client === 'mysql') await knex.raw('ALTER TABLE users DROP COLUMN name_key');
      else await knex.raw('DROP INDEX users_name_lower');
    }
  });

  it('notes that hash is pseudonymisation, and warns about tables no subject reaches', async () => {
    const result = await checkOf(
      shopMap.replace(
        '    belongsTo: { users: user_id }\n    columns:\n      user_id: keep\n      total_cents',
        '    columns:\n      user_id: keep\n      total_cents',
      ),
    );
    expect(result.problems).toEqual([]);
    expect(result.notes).toEqual([
      { path: 'tables.orders.columns.shipping_name.strategy', message: expect.stringContaining('pseudonymisation, not anonymisation') },
    ]);
    expect(result.warnings).toEqual([
      { path: 'tables.orders.belongsTo', message: expect.stringContaining('orders.user_id references users, but no belongsTo follows it') },
      { path: 'tables.orders', message: expect.stringContaining('no subject reaches orders through belongsTo') },
    ]);
  });

  it("warns about a foreign key to a person's table that belongsTo does not follow, such as a second one to the same parent", async () => {
    await withTables(
      async (knex) => {
        await knex.schema.createTable('gifts', (t) => {
          t.increments('id');
          t.integer('giver_id').unsigned().notNullable().references('users.id');
          t.integer('receiver_id').unsigned().notNullable().references('users.id');
          t.string('message', 200);
          t.index(['giver_id']);
        });
      },
      ['gifts'],
      async () => {
        const gifts =
          '  gifts:\n    belongsTo: { users: giver_id }\n    columns:\n      giver_id: keep\n      receiver_id: keep\n      message: { strategy: redact }\n';
        const result = await checkOf(shopMap.replace('  orders:\n', `${gifts}  orders:\n`));
        expect(result.problems).toEqual([]);
        // No belongsTo can fix it (one column per parent), so a note: check --strict still passes.
        expect(result.warnings).toEqual([]);
        expect(result.notes).toEqual(
          expect.arrayContaining([
            {
              path: 'tables.gifts.belongsTo',
              message: expect.stringContaining(
                'gifts.receiver_id also references users, but belongsTo follows gifts.giver_id (one column per parent): rows that reach a person only through receiver_id',
              ),
            },
          ]),
        );
      },
    );
  });

  it('refuses a primary key whose name says it is personal data (keys go into the audit trail), not a session id', async () => {
    await withTables(
      async (knex) => {
        await knex.schema.createTable('newsletter', (t) => {
          t.string('email', 100).primary();
          t.string('topic', 40);
        });
        await knex.schema.createTable('web_sessions', (t) => {
          t.string('session_id', 64).primary();
          t.string('user_agent', 300);
        });
      },
      ['newsletter', 'web_sessions'],
      async () => {
        const extra =
          '  newsletter:\n    primaryKey: email\n    columns:\n      topic: keep\n  web_sessions:\n    primaryKey: session_id\n    columns:\n      user_agent: "null"\n';
        const { problems } = await checkOf(`${shopMap}${extra}`);
        expect(problems).toEqual([
          {
            path: 'tables.newsletter.primaryKey',
            message: expect.stringContaining('newsletter.email reads as an e-mail address: lethe writes primary keys into the audit trail'),
          },
        ]);
      },
    );
  });

  it('does not suggest links lethe cannot follow: to another column than the parent key, or closing a cycle', async () => {
    await withTables(
      async (knex) => {
        await knex.schema.alterTable('users', (t) => {
          t.integer('favourite_order_id').unsigned().nullable().references('orders.id');
        });
        await knex.schema.createTable('invites', (t) => {
          t.increments('id');
          t.integer('user_id').unsigned().notNullable().references('users.id');
          t.string('invitee_email', 255).notNullable().references('email').inTable('users');
          t.index(['user_id']);
        });
      },
      ['invites'],
      async () => {
        try {
          const invites = '  invites:\n    belongsTo: { users: user_id }\n    columns:\n      user_id: keep\n      invitee_email: keep\n';
          // The e-mail kept, so that nothing refuses the map and warnings and notes show.
          const map = shopMap
            .replace('email: { category: contact.email, strategy: { template: "user-{id}@anonymized.invalid" } }', 'email: keep')
            .replace('      country: keep\n', '      country: keep\n      favourite_order_id: keep\n')
            .replace('  orders:\n', `${invites}  orders:\n`);
          const result = await checkOf(map);
          expect(result.problems).toEqual([]);
          expect(result.warnings.length + result.notes.length).toBeGreaterThan(0);
          expect([...result.warnings, ...result.notes].filter((w) => w.path.endsWith('.belongsTo'))).toEqual([]);
        } finally {
          await shop.database.knex.schema.alterTable('users', (t) => {
            if (target.client === 'mysql') t.dropForeign(['favourite_order_id']);
            t.dropColumn('favourite_order_id');
          });
        }
      },
    );
  });

  it('refuses a primaryKey that is not unique', async () => {
    const { problems } = await checkOf(
      shopMap.replace('  notes:\n', '  notes:\n    primaryKey: user_id\n').replace('      user_id: keep\n      body', '      id: keep\n      body'),
    );
    expect(problems).toEqual([{ path: 'tables.notes.primaryKey', message: expect.stringContaining('notes.user_id is not unique') }]);
  });

  it('refuses strategies that collide in a UNIQUE column whatever its length, and links by a column that is not the parent key', async () => {
    const masked = await checkOf(
      shopMap.replace(
        'email: { category: contact.email, strategy: { template: "user-{id}@anonymized.invalid" } }',
        'email: { strategy: { mask: { keepLast: 4 } } }',
      ),
    );
    expect(masked.problems).toEqual([
      { path: 'tables.users.columns.email.strategy', message: expect.stringContaining('mask on users.email, which is UNIQUE') },
    ]);
    await withTables(
      (knex) =>
        knex.schema.createTable('reviews', (t) => {
          t.increments('id');
          t.string('user_email', 255).notNullable().references('email').inTable('users');
          t.index(['user_email']);
        }),
      ['reviews'],
      async () => {
        const { problems } = await checkOf(`${shopMap}  reviews:\n    belongsTo: { users: user_email }\n    columns:\n      user_email: keep\n`);
        expect(problems).toEqual([
          // The e-mail the map rewrites is what reviews refer to: the database would refuse the change.
          {
            path: 'tables.users.columns.email.strategy',
            message: expect.stringContaining('reviews.user_email references users.email, so the database refuses to change it'),
          },
          { path: 'tables.reviews.belongsTo.users', message: expect.stringContaining('references users.email, not its primaryKey id') },
        ]);
      },
    );
  });
});
