import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { useDemoWorkspace } from '../support/demo-workspace.js';
import { runMain } from '../support/streams.js';

/**
 * Never the wrong person: a lookup matches exactly what lethe's own normalisation matches
 * (e-mails trimmed and lowercased), whatever the column's collation. MariaDB's default
 * utf8mb4_general_ci compares case- and accent-insensitively, so its SQL alone took
 * `jäne.doe@` for Jane Doe and erased her.
 */
describeEachDatabase('identity comparisons', (target) => {
  const current = useDemoWorkspace(target, 20);
  const env = () => (current.database.client === 'sqlite' ? {} : { DATABASE_URL: current.database.connection });
  const lethe = (...args: string[]) => runMain(['--config', current.demo.config, ...args], { env: env() });
  const users = () => current.demo.query((db) => db('users').orderBy('id'));

  it('an e-mail with an accent the stored one lacks matches nobody, and nothing changes', async () => {
    const before = await users();
    const run = await lethe('anonymize', 'jäne.doe@example.com', '--yes');
    expect(run.code, run.stderr).toBe(4);
    expect(await users()).toEqual(before);
    expect((await lethe('find', 'jäne.doe@example.com')).code).toBe(4);
  });

  it('case and surrounding spaces still do not matter, as lethe normalises them', async () => {
    const run = await lethe('find', '  JANE.DOE@Example.COM ', '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).subject).toMatchObject({ key: 1, matchedBy: ['email'] });
  });
});
