import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Knex } from 'knex';
import { afterAll, beforeAll, beforeEach, expect, it, onTestFinished } from 'vitest';
import { describeEachDatabase, type TestDatabase } from '../support/databases.js';
import { repoRoot, runLethe, startLethe } from '../support/cli.js';
import { createWorkspace, type Workspace } from '../support/workspace.js';

/**
 * Stop means stop, on every dialect: better-sqlite3 never yields to the event loop on its
 * own, so before each batch boundary gave it a turn, a signal or a time budget was only
 * seen when the whole sweep was over. The table is big enough that a sweep takes many
 * batches; the tests wait for a state (an audit entry, a progress line), never a time.
 */
const ROWS = 20_000;
const BATCH = '250';

const linesMap = `
subjects:
  person:
    table: people
    identifiers: { email: { column: email, type: email } }
tables:
  people:
    columns: { email: { strategy: { template: "person-{id}@anonymized.invalid" } } }
  lines:
    belongsTo: { people: person_id }
    columns:
      person_id: keep
      body: { strategy: { template: "line {id}" } }
      created_at: keep
    retention: { timestamp: created_at, anonymizeAfter: 30 days }
`;

async function buildLines(knex: Knex): Promise<void> {
  for (const table of ['lines', 'people', 'lethe_sweep_state']) await knex.schema.dropTableIfExists(table);
  await knex.schema.createTable('people', (t) => {
    t.increments('id');
    t.string('email', 200).notNullable();
  });
  await knex.schema.createTable('lines', (t) => {
    t.increments('id');
    t.integer('person_id').unsigned().notNullable().references('people.id');
    t.index(['person_id']);
    t.string('body', 200).notNullable();
    t.datetime('created_at').notNullable();
  });
  await knex('people').insert({ id: 1, email: 'someone@example.org' });
  const rows = Array.from({ length: ROWS }, (_, i) => ({ id: i + 1, person_id: 1, body: `original text ${i + 1}`, created_at: '2020-01-01 00:00:00' }));
  await knex.batchInsert('lines', rows, 200);
}

async function changedRows(knex: Knex): Promise<number> {
  const [row] = await knex('lines').where('body', 'like', 'line %').count({ n: '*' });
  return Number(row?.n ?? 0);
}

/** Polls the audit file (read-only) until an entry satisfies `check`. */
async function waitForAudit(auditPath: string, check: (rows: { action: string; phase: string }[]) => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1200; i += 1) {
    try {
      const db = new Database(auditPath, { readonly: true, fileMustExist: true, timeout: 5000 });
      try {
        if (check(db.prepare('SELECT action, phase FROM audit_entry').all() as { action: string; phase: string }[])) return;
      } finally {
        db.close();
      }
    } catch {
      // Not created yet.
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describeEachDatabase('stopping a sweep', (target) => {
  let database: TestDatabase;
  let workspace: Workspace;
  beforeAll(async () => {
    database = await target.create();
  });
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(async () => {
    await buildLines(database.knex);
    await workspace?.cleanup();
    workspace = await createWorkspace(database, linesMap);
  });

  const args = () => ['--config', workspace.configPath, 'sweep', '--yes', '--json', '--batch-size', BATCH];

  it('SIGTERM stops at the next batch boundary with exit 130 and says why; a rerun finishes the rest', async () => {
    const run = startLethe(args(), { cwd: workspace.dir });
    onTestFinished(() => {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    });
    await waitForAudit(workspace.auditPath, (rows) => rows.some((r) => r.action === 'sweep-batch' && r.phase === 'outcome'), 'the first batch');
    run.child.kill('SIGTERM');
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    const summary = JSON.parse(stopped.stdout);
    expect(summary.stopped).toMatchObject({ reason: 'signal', table: 'lines', action: 'anonymize' });
    const changed = await changedRows(database.knex);
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(ROWS);
    expect(summary.totals.rows).toBe(changed);
    // Whole batches only: each one is a transaction.
    expect(changed % Number(BATCH)).toBe(0);

    const rerun = await runLethe(args(), { cwd: workspace.dir });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ stopped: null, totals: { rows: ROWS - changed } });
    expect(await changedRows(database.knex)).toBe(ROWS);
  });

  it('--max-duration stops at a batch boundary with exit 3 and work left', async () => {
    const run = await runLethe([...args(), '--max-duration', '1s', '--batch-size', '50'], { cwd: workspace.dir });
    expect(run.code, run.stderr).toBe(3);
    const summary = JSON.parse(run.stdout);
    expect(summary.stopped.reason).toBe('max-duration');
    expect(summary.left.length).toBeGreaterThan(0);
    expect(await changedRows(database.knex)).toBeLessThan(ROWS);
  });

  it('a budget spent before the first batch (by connecting and planning) stops with nothing changed', async () => {
    const done = await runLethe([...args(), '--max-duration', '0s'], { cwd: workspace.dir });
    expect(done.code, done.stderr).toBe(3);
    expect(JSON.parse(done.stdout).stopped.reason).toBe('max-duration');
    expect(await changedRows(database.knex)).toBe(0);
  });

  it('Ctrl-C on a terminal: the progress line moves, the key stops the sweep at a boundary, exit 130', async () => {
    const command = [process.execPath, path.join(repoRoot, 'bin', 'lethe.js'), '--config', workspace.configPath, 'sweep', '--yes', '--batch-size', '200']
      .map((a) => `'${a.replaceAll("'", "'\\''")}'`)
      .join(' ');
    // A pseudo-terminal of a real size (script gives 0 columns where its own stdin is a pipe).
    const child = spawn('script', ['-qefc', `stty cols 120 rows 40; ${command}`, '/dev/null'], {
      cwd: workspace.dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', TERM: 'xterm', LETHE_OPERATOR: 'e2e' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let pressed = false;
    // A --yes run does not count up front: the line shows rows done and the rate (no bar).
    const progressSeen = () => new Set([...screen.matchAll(/lines anonymize (?:\[[#.]+\] )?(\d+)[/ ]/g)].map((m) => m[1])).size;
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    const onData = (d: Buffer) => {
      screen += d.toString();
      if (!pressed && progressSeen() >= 2) {
        pressed = true;
        child.stdin.write('\x03');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    // Never leave the pseudo-terminal's process behind, whatever happens to this test.
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const code = await exit;
    expect(pressed, screen.slice(-2000)).toBe(true);
    expect(code).toBe(130);
    expect(screen).toMatch(/Sweep stopped \(interrupted\) at a batch boundary/);
    const changed = await changedRows(database.knex);
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(ROWS);
  });
});
