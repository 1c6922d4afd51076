import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { useDemoWorkspace } from '../support/demo-workspace.js';
import { runMain } from '../support/streams.js';

describeEachDatabase('explore', (target) => {
  const current = useDemoWorkspace(target, 60);
  const env = () => (current.database.client === 'sqlite' ? {} : { DATABASE_URL: current.database.connection });
  const lethe = (...args: string[]) => runMain(['--config', current.demo.config, ...args], { env: env() });
  const hers = () => current.demo.query((db) => db('messages').join('conversations', 'conversations.id', 'messages.conversation_id').where('conversations.user_id', 1).select('messages.id', 'messages.body', 'messages.created_at').orderBy('messages.id'));
  it('shows', async () => {
    let t = Date.now();
    await current.demo.regenerate();
    console.log(target.client, 'regen ms', Date.now() - t);
    console.log(await current.demo.query(async (db) => ({ m: (await db('messages').count({ n: '*' }))[0], c: (await db('conversations').count({ n: '*' }))[0] })));
    console.log(JSON.stringify(await hers(), null, 1));
    t = Date.now();
    const s = await lethe('sweep', '--yes', '--json');
    console.log('sweep ms', Date.now() - t, s.code, s.stderr, s.stdout.slice(0, 1500));
    console.log(JSON.stringify(await hers(), null, 1));
    await current.demo.regenerate();
    t = Date.now();
    const a = await lethe('anonymize', 'jane.doe@example.com', '--yes');
    console.log('anon ms', Date.now() - t, a.code, a.stderr, a.stdout);
    console.log(JSON.stringify(await hers(), null, 1));
    t = Date.now();
    const r = await current.demo.run(['anonymize', 'jane.doe@example.com', '--yes']);
    console.log('spawned anon ms', Date.now() - t, r.code);
  }, 120000);
});
