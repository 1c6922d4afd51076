import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { useDemoWorkspace } from '../support/demo-workspace.js';

interface Entry {
  id: number;
  action: string;
  phase: string;
  outcome: string | null;
  intentId: number | null;
  detail: Record<string, unknown> | null;
}

/**
 * What only a real process shows: the prompt on a terminal, and a record's erasure killed
 * around its commit (the commit marker decides, as for a person's).
 */
describeEachDatabase('anonymize --record as a process', (target) => {
  const current = useDemoWorkspace(target, 20);
  // Read in-process: each spawned lethe costs a second or more on a busy machine.
  const entries = async (): Promise<Entry[]> => {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(current.demo.auditPath, { readonly: true, timeout: 5000 });
    try {
      const rows = db.prepare('SELECT id, action, phase, outcome, intent_id, detail FROM audit_entry ORDER BY id').all() as (Omit<
        Entry,
        'intentId' | 'detail'
      > & { intent_id: number | null; detail: string | null })[];
      return rows.map(({ intent_id, detail, ...rest }) => ({ ...rest, intentId: intent_id, detail: detail ? (JSON.parse(detail) as Entry['detail']) : null }));
    } finally {
      db.close();
    }
  };
  const bodies = (conversation: number) => current.demo.query((db) => db('messages').where({ conversation_id: conversation }).orderBy('id').pluck('body'));
  const lastIntent = async () => (await entries()).filter((e) => e.action === 'anonymize-record' && e.phase === 'intent').at(-1)!;

  it('asks on a terminal: "n" changes nothing (exit 130), "y" anonymizes the record', async () => {
    const demo = current.demo;
    const before = await bodies(25);
    const no = await demo.runInTerminal(['anonymize', '--record', 'conversations:25'], { prompt: /cannot be undone/, answer: 'n\r' });
    expect(no.screen).toMatch(/Anonymize this record\? This cannot be undone\. \(y\/N\)/);
    expect(no.code).toBe(130);
    expect(await bodies(25)).toEqual(before);
    const yes = await demo.runInTerminal(['anonymize', '--record', 'conversations:25'], { prompt: /cannot be undone/, answer: 'y\r' });
    expect(yes.screen).toMatch(/Anonymized the record conversations 25/);
    expect(yes.code).toBe(0);
    expect((await bodies(25)).join('\n')).not.toMatch(/jane|7946/i);
  });

  it('killed after the commit: the next command records the outcome, and a rerun has nothing to do', async () => {
    const demo = current.demo;
    const before = await bodies(2);
    const killed = await demo.run(['anonymize', '--record', 'conversations:2', '--yes'], { env: { LETHE_TEST_CRASH: 'after-commit' } });
    expect(killed.code).toBe(137);
    const intent = await lastIntent();
    expect((await entries()).some((e) => e.intentId === intent.id)).toBe(false);
    expect(await bodies(2)).not.toEqual(before);

    const again = await demo.run(['anonymize', '--record', 'conversations:2', '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/already anonymized on \d{4}-\d\d-\d\d, audit entry \d+; nothing to do/);
    const outcome = (await entries()).find((e) => e.intentId === intent.id)!;
    expect(outcome).toMatchObject({ phase: 'outcome', outcome: 'ok', detail: { reconciled: true, record: 'conversations', key: 2 } });
    expect((await demo.run(['audit', 'verify'])).code).toBe(0);
  });

  it('killed before the commit: nothing changed, and the intent is completed as not applied', async () => {
    const demo = current.demo;
    const before = await bodies(11);
    const killed = await demo.run(['anonymize', '--record', 'conversations:11', '--yes'], { env: { LETHE_TEST_CRASH: 'before-commit' } });
    expect(killed.code).toBe(137);
    const intent = await lastIntent();
    expect(await bodies(11)).toEqual(before);
    const next = await demo.run(['anonymize', '--record', 'conversations:11', '--dry-run']);
    expect(next.code, next.stderr).toBe(0);
    expect((await entries()).find((e) => e.intentId === intent.id)).toMatchObject({ outcome: 'failed', detail: { reconciled: true, applied: false } });
  });
});
