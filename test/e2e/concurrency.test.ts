import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { expect, it, onTestFinished } from 'vitest';
import { DEMO_TABLES, JANE_DOE } from '../../fixtures/demo/data.js';
import { openDatabase } from '../../src/db/connect.js';
import { detect } from '../../src/detect/index.js';
import { COMMIT_TABLE } from '../../src/db/commit-marker.js';
import { SWEEP_STATE_TABLE } from '../../src/db/sweep-state.js';
import { describeEachDatabase, type TestDatabase } from '../support/databases.js';
import { useDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { runMain } from '../support/streams.js';

/**
 * Issue 13, "Done when": no lost update between a sweep and an erasure of the same person, and
 * an erasure that covers what is written while it runs, on every dialect.
 *
 * SQLite: better-sqlite3 waits for a lock synchronously, so two connections of one process
 * that wait on each other deadlock; there one side of each pair is a spawned lethe. The sweep
 * and the erasure both run in this process on the servers, which is much faster.
 */

/** Her e-mail, phone (any of the forms the demo writes it in) and name, as found in free text. */
const identifiers: [string, (text: string) => boolean][] = [
  ['e-mail', (text) => /jane\.doe@example\.com/i.test(text)],
  // +44 20 7946 0958, 020 7946 0958, +442079460958, +44 (0)20-7946-0958
  ['phone', (text) => text.replace(/[\s()-]/g, '').includes('2079460958')],
  ['name', (text) => /\b(?:jane|doe)\b/i.test(text)],
];

/** "messages 612.body holds her name: ..." for every text value of her rows that still identifies her. */
async function herLeaks(db: Knex): Promise<{ table: string; id: number; found: string }[]> {
  const conversations = await db('conversations').where('user_id', JANE_DOE.id).pluck('id');
  const rows: [string, Record<string, unknown>[]][] = [
    ['users', await db('users').where('id', JANE_DOE.id)],
    ['conversations', await db('conversations').where('user_id', JANE_DOE.id)],
    ['messages', await db('messages').whereIn('conversation_id', conversations)],
    ['orders', await db('orders').where('user_id', JANE_DOE.id)],
    ['consents', await db('consents').where('user_id', JANE_DOE.id)],
  ];
  return rows
    .flatMap(([table, list]) =>
      list.flatMap((row) =>
        Object.entries(row).flatMap(([column, value]) =>
          typeof value !== 'string'
            ? []
            : identifiers
                .filter(([, holds]) => holds(value))
                .map(([kind]) => ({ table, id: Number(row.id), found: `${table} ${String(row.id)}.${column} holds her ${kind}: ${JSON.stringify(value)}` })),
        ),
      ),
    )
    .sort((a, b) => a.id - b.id);
}

type Snapshot = Record<string, Record<string, Knex.Value>[]>;

async function snapshotOf(db: Knex): Promise<Snapshot> {
  const snapshot: Snapshot = {};
  for (const table of DEMO_TABLES) snapshot[table] = await db(table).orderBy('id');
  return snapshot;
}

/**
 * Puts the demo tables back as they were, row by row (only what differs), and forgets what
 * sweeps recorded: much cheaper than regenerating the demo twenty times.
 */
async function restore(db: Knex, snapshot: Snapshot): Promise<void> {
  await db.transaction(async (trx) => {
    for (const table of DEMO_TABLES) {
      const current = new Map((await trx(table)).map((row: Record<string, Knex.Value>) => [String(row.id), row]));
      for (const row of snapshot[table]!) {
        const now = current.get(String(row.id));
        if (!now) await trx(table).insert(row);
        else if (JSON.stringify(now) !== JSON.stringify(row)) await trx(table).where('id', row.id).update(row);
      }
    }
    for (const table of [...DEMO_TABLES].reverse()) {
      await trx(table)
        .whereNotIn(
          'id',
          snapshot[table]!.map((row) => row.id as number),
        )
        .delete();
    }
  });
  for (const table of [SWEEP_STATE_TABLE, COMMIT_TABLE]) {
    if (await db.schema.hasTable(table)) await db(table).delete();
  }
}

async function waitUntil(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 2000; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface Job {
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts `lethe <args>` on the workspace: a spawned process, or in this process (runMain). */
function startJob(demo: DemoWorkspace, database: TestDatabase, args: string[], where: 'spawned' | 'in-process'): Job {
  if (where === 'spawned') {
    const job = demo.start(args);
    onTestFinished(() => {
      if (job.child.exitCode === null && job.child.signalCode === null) job.child.kill('SIGKILL');
    });
    return job;
  }
  const env = database.client === 'sqlite' ? {} : { DATABASE_URL: database.connection };
  return { done: runMain(['--config', demo.config, ...args], { env }) };
}

async function lastMessageId(db: Knex): Promise<number> {
  const row = await db('messages').max({ max: 'id' }).first();
  return Number(row?.max);
}

/** Her first conversation, the oldest: past the messages' 24-month anonymization period. */
async function oldestConversation(db: Knex): Promise<{ id: number; created_at: unknown }> {
  const conversation = await db('conversations').where('user_id', JANE_DOE.id).orderBy('started_at').first();
  const first = await db('messages').where('conversation_id', conversation.id).orderBy('id').first();
  return { id: conversation.id as number, created_at: first.created_at };
}

const ITERATIONS = 20;
/** Her old messages added to the demo: the sweep redacts them in many small batches while the erasure runs. */
const OLD_MESSAGES = 600;
/**
 * Only the table of her messages, where the race is (the inactive pass, which would come
 * first, has nothing of hers), in small batches with a pause: the sweep is still working
 * through her messages when the erasure runs.
 */
const SWEEP_ARGS = ['sweep', '--yes', '--json', '--table', 'messages', '--batch-size', '10', '--pause', '20'];

describeEachDatabase('a sweep alongside an erasure of the same person', (target) => {
  const current = useDemoWorkspace(target, 60);
  let snapshot: Snapshot | undefined;
  let firstOld: number | undefined;

  /**
   * Once: her old messages, in forms the sweep's own detection (which does not know whose
   * they are) leaves part of her name in, while the erasure, which knows her name, removes
   * it. A sweep result written over the erasure's therefore shows as her name coming back.
   */
  async function prepare(): Promise<Snapshot> {
    // The in-process side loads lethe's modules (knex, the detectors and their name lists) on its
    // first run: load them now, so that the first iteration's erasure is as quick as the others
    // and still overlaps the sweep.
    const { database } = current;
    const env = database.client === 'sqlite' ? {} : { DATABASE_URL: database.connection };
    expect((await runMain(['--config', current.demo.config, 'find', JANE_DOE.email], { env })).code).toBe(0);
    detect('Jane Doe, 020 7946 0958, 1 Main Street, London', { purpose: 'redact' });
    return current.demo.query(async (db) => {
      const { id, created_at } = await oldestConversation(db);
      const forms = [
        (i: number) => `Doe here again (${i}), reach me at ${JANE_DOE.email}`,
        (i: number) => `jane doe here again (${i}), call me on 020 7946 0958`,
        (i: number) => `my name is doe, jane (${i})`,
      ];
      const rows = Array.from({ length: OLD_MESSAGES }, (_, i) => ({ conversation_id: id, sender: 'customer', body: forms[i % forms.length]!(i), created_at }));
      firstOld = (await lastMessageId(db)) + 1;
      await db.batchInsert('messages', rows, 100);
      return snapshotOf(db);
    });
  }

  it.for(Array.from({ length: ITERATIONS }, (_, i) => i + 1))('iteration %i: no message of hers is restored by the sweep', async (iteration) => {
    const { demo, database } = current;
    snapshot ??= await prepare();
    await demo.query((db) => restore(db, snapshot!));
    expect(await demo.query(snapshotOf)).toEqual(snapshot);
    await rm(path.join(demo.dir, '.lethe'), { recursive: true, force: true });

    // The sweep first, and the erasure once the sweep has committed a batch of her old
    // messages, so that the erasure runs while the sweep works through the rest of them. On
    // SQLite the sweep is the spawned side: the longer job, whose start-up then costs no overlap.
    const sweep = startJob(demo, database, SWEEP_ARGS, database.client === 'sqlite' ? 'spawned' : 'in-process');
    await waitUntil('the sweep to reach her old messages', () =>
      demo.query(async (db) => (await db('messages').where('id', '>=', firstOld!).where('body', 'like', '%[EMAIL]%').first()) !== undefined),
    );
    const erasure = startJob(demo, database, ['anonymize', JANE_DOE.email, '--yes'], 'in-process');
    const [swept, erased] = await Promise.all([sweep.done, erasure.done]);

    expect(erased.code, `iteration ${iteration}: anonymize: ${erased.stderr}`).toBe(0);
    expect(swept.code, `iteration ${iteration}: sweep: ${swept.stderr}${swept.stdout}`).toBe(0);
    // They overlapped: the erasure began after the sweep's first batch and ended before the sweep did.
    const entries = await demo.auditEntries();
    const at = (action: string, phase: string) => entries.find((e) => e.action === action && e.phase === phase)?.id ?? Number.NaN;
    expect(at('sweep-batch', 'intent'), `iteration ${iteration}: the sweep's first batch comes before the erasure`).toBeLessThan(at('anonymize', 'intent'));
    expect(at('anonymize', 'outcome'), `iteration ${iteration}: the erasure ends before the sweep`).toBeLessThan(at('sweep', 'outcome'));

    expect((await demo.query(herLeaks)).map((leak) => `iteration ${iteration}: ${leak.found}`)).toEqual([]);
  });
});

/** Rows added to her newest conversation by the trickle, with what its own transaction saw. */
interface Inserted {
  id: number;
  /** Her users row was anonymized already when this insert's transaction read it, just after inserting. */
  sawErasure: boolean;
}

/** Her messages added before the erasure, so that it runs long enough for many inserts. */
const MORE_MESSAGES = 5000;

describeEachDatabase('inserts of her messages while she is erased', (target) => {
  const current = useDemoWorkspace(target, 60);

  /** The trickle's own connection, patient: it waits for the erasure's locks (SQLite: its write lock). */
  async function trickleConnection(database: TestDatabase, demo: DemoWorkspace): Promise<Knex> {
    if (database.client !== 'sqlite') return openDatabase({ client: database.client, connection: database.connection });
    const knex = openDatabase({ client: 'sqlite', connection: path.join(demo.dir, 'demo.db') });
    await knex.raw('PRAGMA busy_timeout = 10000');
    return knex;
  }

  it('a message with her e-mail every 10 ms during anonymize: it exits 0 and only rows written after it committed hold her data', async () => {
    const { demo, database } = current;
    const { conversation, nextId } = await demo.query(async (db) => {
      const newest = await db('conversations').where('user_id', JANE_DOE.id).orderBy('started_at', 'desc').first();
      const last = await db('messages').where('conversation_id', newest.id).orderBy('id', 'desc').first();
      const body = (i: number) => `${JANE_DOE.fullName} again (${i}): ${JANE_DOE.email}, ${JANE_DOE.phone}`;
      await db.batchInsert(
        'messages',
        Array.from({ length: MORE_MESSAGES }, (_, i) => ({ conversation_id: newest.id, sender: 'customer', body: body(i), created_at: last.created_at })),
        100,
      );
      return { conversation: { id: newest.id as number, created_at: last.created_at as unknown }, nextId: (await lastMessageId(db)) + 1 };
    });

    const writer = await trickleConnection(database, demo);
    const inserted: Inserted[] = [];
    let erasing = true;
    const insert = (id: number) =>
      writer.transaction(async (trx) => {
        await trx('messages').insert({
          id,
          conversation_id: conversation.id,
          sender: 'customer',
          body: `${JANE_DOE.fullName} once more (${id}): ${JANE_DOE.email}, ${JANE_DOE.phone}`,
          created_at: conversation.created_at,
        });
        const user = await trx('users').where('id', JANE_DOE.id).first('email');
        return { id, sawErasure: user.email !== JANE_DOE.email };
      });
    const trickle = (async () => {
      for (let id = nextId; erasing; id += 1) {
        for (;;) {
          try {
            inserted.push(await insert(id));
            break;
          } catch (error) {
            // InnoDB locks the new row before its foreign key check waits for the erasure's lock
            // on the conversation, so it may pick this insert as a deadlock victim, rolled back
            // whole; an application retries it, as this one does.
            if ((error as { code?: string }).code !== 'ER_LOCK_DEADLOCK') throw error;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    onTestFinished(async () => {
      erasing = false;
      await trickle.catch(() => undefined);
      await writer.destroy();
    });
    await waitUntil('the first inserts', () => inserted.length >= 3);
    // Spawned on every dialect: in this process the erasure's redaction (synchronous work)
    // would stop the trickle for as long as it runs, and the two would barely overlap.
    const erased = await startJob(demo, database, ['anonymize', JANE_DOE.email, '--yes'], 'spawned').done;
    erasing = false;
    await trickle;

    expect(erased.code, erased.stderr).toBe(0);
    const leaks = await demo.query(herLeaks);
    // A row written after the erasure committed is new data: it may hold her e-mail, and a
    // later erasure deals with it. So the rows that still identify her must be exactly the
    // last ones the trickle wrote (a suffix of its sequence, by id), and every row whose
    // insert came before the erasure's commit (its transaction still saw her row as it was)
    // must be redacted: the erasure waited for it, or it waited for the erasure.
    const leaking = [...new Set(leaks.map((leak) => leak.id))];
    const written = inserted.map((row) => row.id);
    expect(leaks.filter((leak) => !(leak.table === 'messages' && written.includes(leak.id))).map((leak) => leak.found)).toEqual([]);
    expect(leaking).toEqual(written.slice(written.length - leaking.length));
    const missed = inserted.filter((row) => !row.sawErasure && leaking.includes(row.id));
    expect(missed.map((row) => leaks.find((leak) => leak.id === row.id)!.found)).toEqual([]);
    // The trickle overlapped the erasure: some of its rows were there to be redacted.
    expect(leaking.length).toBeLessThan(written.length);
  });
});
