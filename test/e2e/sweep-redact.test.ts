import { expect, it } from 'vitest';
import { detect } from '../../src/detect/index.js';
import { describeEachDatabase } from '../support/databases.js';
import { useDemoWorkspace } from '../support/demo-workspace.js';

interface Message {
  id: number;
  body: string | null;
  created_at: unknown;
}

function time(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  return new Date(`${String(value).replace(' ', 'T')}Z`).getTime();
}

const LEFT_BEHIND = ['PERSON', 'PHONE', 'STREET_ADDRESS', 'EMAIL'] as const;

/** What redact's detectors would still find in a body: names, phones, addresses, e-mails. */
function personalIn(body: string | null): string[] {
  if (!body) return [];
  return detect(body, { purpose: 'redact', types: [...LEFT_BEHIND] }).map((span) => `${span.type} ${JSON.stringify(body.slice(span.start, span.end))}`);
}

/**
 * The demo's nightly sweep (issue 17): every message body past its anonymization period (24
 * months) is redacted, and what redact's detectors find in it afterwards is nothing, while
 * before the sweep they found names, phones and addresses in those bodies.
 */
describeEachDatabase('the demo sweep redacts the chats past their period', (target) => {
  const current = useDemoWorkspace(target, 200);

  it('leaves no detectable name, phone, address or e-mail in any message body past its anonymization period', async () => {
    const now = new Date();
    const cutoff = new Date(now);
    cutoff.setUTCMonth(cutoff.getUTCMonth() - 24);
    const due = (messages: Message[]) => messages.filter((m) => time(m.created_at) < cutoff.getTime() - 86_400_000);
    const read = () => current.demo.query((knex) => knex('messages').select('id', 'body', 'created_at').orderBy('id') as Promise<Message[]>);

    const before = due(await read());
    const foundBefore = before.flatMap((m) => personalIn(m.body));
    // The demo's chats hold people's data to begin with, of every kind the sweep must remove.
    for (const type of ['PERSON', 'PHONE', 'EMAIL']) expect(foundBefore.filter((f) => f.startsWith(type)).length, type).toBeGreaterThan(5);

    const run = await current.demo.run(['sweep', '--yes', '--table', 'messages', '--now', now.toISOString()]);
    expect(run.code, run.stderr).toBe(0);

    const after = due(await read());
    expect(after.length).toBeGreaterThan(0);
    const left = after.flatMap((m) => personalIn(m.body).map((found) => `message ${m.id}: ${found}`));
    expect(left).toEqual([]);
  });
});
