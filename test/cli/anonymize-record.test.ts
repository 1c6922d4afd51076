import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, expect, it } from 'vitest';
import { detect, normalizeEmail, toE164 } from '../../src/detect/index.js';
import { describeEachDatabase } from '../support/databases.js';
import { useDemoWorkspace } from '../support/demo-workspace.js';
import { runMain } from '../support/streams.js';

const TABLES = ['users', 'conversations', 'messages', 'orders', 'consents'] as const;
type Snapshot = Record<(typeof TABLES)[number], Record<string, unknown>[]>;

/**
 * `anonymize --record conversations:<id>` on the demo: Jane Doe's delivery chat, where she
 * writes her name, e-mail and phone and the agent greets her by name. The chat is rewritten;
 * her account, her other chats and everyone else's rows stay byte for byte as they were.
 */
describeEachDatabase('anonymize --record on the demo', (target) => {
  const current = useDemoWorkspace(target, 20);
  const env = () => (current.database.client === 'sqlite' ? {} : { DATABASE_URL: current.database.connection });
  const lethe = (...args: string[]) => runMain(['--config', current.demo.config, ...args], { env: env() });
  const snapshot = () =>
    current.demo.query(async (db) => {
      const out = {} as Snapshot;
      for (const table of TABLES) out[table] = (await db(table).select('*').orderBy('id')) as Record<string, unknown>[];
      return out;
    });
  const lastEntry = async () => (await current.demo.auditEntries()).at(-1)!;

  let jane: { id: number; email: string; phone: string; full_name: string };
  let chat: number;
  let otherChats: number[];

  beforeEach(async () => {
    await current.demo.regenerate();
    await current.demo.query(async (db) => {
      jane = await db('users').where({ email: 'jane.doe@example.com' }).first();
      const chats = (await db('conversations').where({ user_id: jane.id }).orderBy('id')) as { id: number }[];
      // Her chat that quotes her e-mail, her phone and her name.
      const quoting: number[] = [];
      for (const { id } of chats) {
        const bodies = ((await db('messages').where({ conversation_id: id })) as { body: string }[]).map((m) => m.body).join('\n');
        if (bodies.includes(jane.email) && bodies.includes('7946 0958') && bodies.includes('Jane')) quoting.push(id);
      }
      chat = Number(quoting[0]);
      otherChats = chats.map((c) => Number(c.id)).filter((id) => id !== chat);
    });
    expect(chat).toBeGreaterThan(0);
    expect(otherChats.length).toBeGreaterThan(0);
  });

  /** What in `text` is Jane's, or any e-mail or phone the detectors find. */
  const leftovers = (text: string): string[] => {
    const found: string[] = [];
    for (const span of detect(text, { types: ['EMAIL', 'PHONE'] })) found.push(`${span.type}`);
    const lower = text.toLowerCase();
    for (const needle of [jane.email, ...jane.full_name.split(' '), jane.full_name]) if (lower.includes(needle.toLowerCase())) found.push(`name or e-mail`);
    for (const token of text.match(/\+?[\d ()-]{7,}/g) ?? []) if (toE164(token) === toE164(jane.phone)) found.push('phone');
    for (const token of text.match(/\S+@\S+/g) ?? []) if (normalizeEmail(token.replace(/[<>()]|^mailto:/g, '')) === jane.email) found.push('e-mail');
    return found;
  };

  it('rewrites the chat and what belongs to it, and nothing else; the trail names the record and its person', async () => {
    const before = await snapshot();
    const run = await lethe('anonymize', '--record', `conversations:${chat}`, '--yes');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`Anonymized the record conversations ${chat}: \\d+ rows rewritten, 0 deleted\\. Audit entry \\d+`));
    const after = await snapshot();

    const chatMessages = after.messages.filter((m) => Number(m.conversation_id) === chat);
    // Before, the chat held her name, her e-mail and her phone (the check finds them).
    expect(before.messages.filter((m) => Number(m.conversation_id) === chat).flatMap((m) => leftovers(String(m.body)))).toEqual(
      expect.arrayContaining(['EMAIL', 'PHONE', 'e-mail', 'phone', 'name or e-mail']),
    );
    expect(chatMessages.length).toBeGreaterThan(3);
    for (const message of chatMessages) expect(leftovers(String(message.body)), String(message.body)).toEqual([]);
    const chatRow = after.conversations.find((c) => Number(c.id) === chat)!;
    for (const value of Object.values(chatRow)) if (typeof value === 'string') expect(leftovers(value)).toEqual([]);
    // The chat stays for statistics: its kept columns (topic, dates, rating) as they were.
    expect(chatRow).toEqual(before.conversations.find((c) => Number(c.id) === chat));
    expect(chatMessages.map((m) => [m.id, m.sender, m.created_at])).toEqual(
      before.messages.filter((m) => Number(m.conversation_id) === chat).map((m) => [m.id, m.sender, m.created_at]),
    );

    // Everything outside the chat is untouched: her account, her other chats, everyone else.
    expect(after.users).toEqual(before.users);
    expect(after.orders).toEqual(before.orders);
    expect(after.consents).toEqual(before.consents);
    expect(after.conversations).toEqual(before.conversations);
    expect(after.messages.filter((m) => Number(m.conversation_id) !== chat)).toEqual(before.messages.filter((m) => Number(m.conversation_id) !== chat));
    expect(before.messages.filter((m) => otherChats.includes(Number(m.conversation_id))).length).toBeGreaterThan(0);

    const { stdout } = await lethe('audit', 'list', '--json', '--action', 'anonymize-record');
    const entries = JSON.parse(stdout) as {
      phase: string;
      outcome: string | null;
      subject: unknown;
      detail: Record<string, unknown>;
      tables: Record<string, { rows: number }>;
    }[];
    const outcome = entries.find((e) => e.phase === 'outcome')!;
    expect(outcome).toMatchObject({ outcome: 'ok', subject: { name: 'customer', key: jane.id }, detail: { record: 'conversations', key: chat } });
    expect(outcome.tables.messages!.rows).toBe(chatMessages.length);
    expect(entries.some((e) => e.phase === 'intent')).toBe(true);
    const text = JSON.stringify(entries);
    for (const value of [jane.email, jane.full_name, 'Jane', jane.phone]) expect(text).not.toContain(value);
    // The person was not erased: find says nothing of an anonymization, and still finds her.
    const found = await lethe('find', jane.email, '--json');
    expect(found.code, found.stderr).toBe(0);
    expect(JSON.parse(found.stdout).anonymized ?? null).toBeNull();

    // Twice is fine: the second run changes nothing and says so.
    const again = await lethe('anonymize', '--record', `conversations:${chat}`, '--yes', '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      dryRun: false,
      record: { table: 'conversations', key: chat },
      alreadyAnonymized: { auditEntry: expect.any(Number) },
    });
    expect(await snapshot()).toEqual(after);
  });

  it('--dry-run prints the plan and changes nothing; without --yes and a terminal it refuses, exit 2', async () => {
    const before = await snapshot();
    const dry = await lethe('anonymize', '--record', `conversations:${chat}`, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`Plan: anonymize the record conversations ${chat}`);
    expect(dry.stdout).toContain(`it belongs to customer users ${jane.id}`);
    expect(dry.stdout).toMatch(/messages\s+anonymize\s+\d+\s+body: redact/);
    expect(dry.stdout).toContain('Dry run: nothing was changed');
    const json = await lethe('anonymize', '--record', `conversations:${chat}`, '--dry-run', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      dryRun: true,
      record: { table: 'conversations', key: chat },
      owners: [{ subject: 'customer', table: 'users', key: jane.id }],
    });

    const refused = await lethe('anonymize', '--record', `conversations:${chat}`);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    expect(await lastEntry()).toMatchObject({ action: 'anonymize-record', outcome: 'refused' });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses what is not a record of the map (exit 2) and says when a key matches nothing (exit 4)', async () => {
    const before = await snapshot();
    const cases: [string[], number, RegExp][] = [
      [['--record', 'convresations:1'], 2, /no table convresations.*\n.*Did you mean conversations/s],
      [['--record', 'users:1'], 2, /a row of users is a customer.*lethe anonymize <key> --by id/is],
      [['--record', 'conversations:abc'], 2, /conversations\.id holds whole numbers/],
      [['--record', 'conversations'], 2, /table:key/],
      [['--record', 'conversations:1,2'], 2, /keyed by id alone/],
      [['--record', 'conversations:999999'], 4, /No row of conversations has id = 999999/],
      [['--record', `conversations:${chat}`, '--mentions'], 2, /--mentions is for a person/],
      [['jane.doe@example.com', '--record', `conversations:${chat}`], 2, /not a value and --record/],
    ];
    for (const [args, code, message] of cases) {
      const run = await lethe('anonymize', ...args, '--yes');
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(code);
      expect(run.stderr).toMatch(message);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('--records FILE anonymizes each listed record in a transaction of its own; a bad line refuses the whole list', async () => {
    const list = path.join(current.demo.dir, 'records.txt');
    const before = await snapshot();
    await writeFile(list, `# chats to anonymize\nconversations:${otherChats[0]}\nconversation:${chat}\n`);
    const bad = await lethe('anonymize', '--records', list, '--yes');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 3: There is no table conversation/);
    expect(await snapshot()).toEqual(before);

    await writeFile(list, `conversations:${otherChats[0]}\n\nconversations:${chat}\nconversations:${otherChats[0]}\nconversations:999999\n`);
    const run = await lethe('anonymize', '--records', list, '--yes', '--json');
    expect(run.code, run.stderr).toBe(3);
    const result = JSON.parse(run.stdout) as { anonymized: number; items: { line: number; status: string }[] };
    expect(result.anonymized).toBe(2);
    expect(result.items.map((i) => [i.line, i.status])).toEqual([
      [1, 'anonymized'],
      [3, 'anonymized'],
      [4, 'duplicate'],
      [5, 'not-found'],
    ]);
    const after = await snapshot();
    expect(after.users).toEqual(before.users);
    for (const message of after.messages.filter((m) => [chat, otherChats[0]].includes(Number(m.conversation_id)))) {
      expect(leftovers(String(message.body))).toEqual([]);
      // Anyone's name, not only hers: the agent who signed the chat is found by the detectors.
      const agent = String(after.conversations.find((c) => c.id === message.conversation_id)!.agent_name);
      expect(String(message.body)).not.toContain(agent);
    }
    // The agent's full name was in a body before (the sign-off), so that check had work to do.
    expect(
      before.messages.some(
        (m) =>
          [chat, otherChats[0]].includes(Number(m.conversation_id)) &&
          String(m.body).includes(String(before.conversations.find((c) => c.id === m.conversation_id)!.agent_name)),
      ),
    ).toBe(true);
    const untouched = (s: Snapshot) => s.messages.filter((m) => ![chat, otherChats[0]].includes(Number(m.conversation_id)));
    expect(untouched(after)).toEqual(untouched(before));
  });
});
