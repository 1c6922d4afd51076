import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { useDemoWorkspace } from '../support/demo-workspace.js';

describeEachDatabase('erasure that survives a restore', (target) => {
  const current = useDemoWorkspace(target, 40);

  it.runIf(target.client === 'sqlite')('restore the demo file from a copy: find warns, reapply --yes erases her again', async () => {
    const demo = current.demo;
    const file = path.join(demo.dir, 'demo.db');
    await copyFile(file, `${file}.backup`);
    expect((await demo.run(['anonymize', 'jane.doe@example.com', '--yes'])).code).toBe(0);
    const gone = await demo.run(['find', 'jane.doe@example.com']);
    expect(gone.code).toBe(4);
    expect(gone.stderr).toMatch(/This customer was erased on \d{4}-\d\d-\d\d \(audit entry \d+\)/);

    await copyFile(`${file}.backup`, file);
    const back = await demo.run(['find', 'jane.doe@example.com']);
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(/Warning: this customer was erased on \d{4}-\d\d-\d\d \(audit entry \d+\), yet their data is here again/);
    expect(back.stdout).toContain('jane.doe@example.com');

    expect((await demo.run(['reapply'])).code).toBe(2);
    const dry = await demo.run(['reapply', '--dry-run', '--json']);
    expect(JSON.parse(dry.stdout).people).toMatchObject([{ subject: { key: 1 } }]);
    const reapply = await demo.run(['reapply', '--yes']);
    expect(reapply.code).toBe(0);
    expect(reapply.stdout).toMatch(/Erased again: 1; failed: 0/);
    expect((await demo.run(['find', 'jane.doe@example.com'])).code).toBe(4);
    expect((await demo.run(['find', '+44 20 7946 0958'])).code).toBe(4);
    expect((await demo.run(['reapply', '--yes'])).stdout).toMatch(/Nobody whose erasure lethe recorded is back/);
  });
});
