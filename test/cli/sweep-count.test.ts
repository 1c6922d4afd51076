import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { useDemoWorkspace } from '../support/demo-workspace.js';
import { runMain } from '../support/streams.js';

interface TaskDocument {
  table: string;
  action: string;
  due: number | null;
  rows: number;
  looked: number;
  people?: number;
}

describeEachDatabase('sweep: the up-front count', (target) => {
  const current = useDemoWorkspace(target);
  const env = () => (current.database.client === 'sqlite' ? {} : { DATABASE_URL: current.database.connection });
  const lethe = (args: string[]) => runMain(['--config', current.demo.config, ...args], { env: env() });

  it('a dry run counts what is due; a --yes run does not, and does exactly that', async () => {
    const dry = JSON.parse((await lethe(['sweep', '--dry-run', '--json'])).stdout) as { tasks: TaskDocument[]; totals: { due: number | null } };
    expect(dry.tasks.every((t) => typeof t.due === 'number')).toBe(true);
    expect(dry.totals.due).toBeGreaterThan(0);
    const run = await lethe(['sweep', '--yes', '--json']);
    expect(run.code).toBe(0);
    const done = JSON.parse(run.stdout) as { tasks: TaskDocument[]; totals: { due: number | null; rows: number } };
    // Rows and people are counted as they are done.
    for (const task of done.tasks) expect(task.due).toBeNull();
    expect(done.totals.due).toBeNull();
    for (const task of done.tasks.filter((t) => t.action === 'anonymize')) {
      expect(task.looked).toBe(dry.tasks.find((t) => t.table === task.table && t.action === task.action)!.due);
    }
    const inactive = done.tasks.find((t) => t.action === 'inactive')!;
    expect(inactive.people).toBe(dry.tasks.find((t) => t.table === inactive.table && t.action === 'inactive')!.due);
    // The next night's dry run finds nothing left.
    const after = JSON.parse((await lethe(['sweep', '--dry-run', '--json'])).stdout) as { totals: { due: number } };
    expect(after.totals.due).toBe(0);
  });
});
