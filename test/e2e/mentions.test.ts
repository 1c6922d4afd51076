import { beforeEach, expect, it } from 'vitest';
import { detect, normalizeEmail, toE164 } from '../../src/detect/index.js';
import { describeEachDatabase } from '../support/databases.js';
import { useDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

describeEachDatabase('mentions on the demo', (target) => {
  const current = useDemoWorkspace(target, 60);
  let demo: DemoWorkspace;
  beforeEach(async () => {
    demo = current.demo;
    await demo.regenerate();
  });

  it('find lists the mentions; after anonymize --mentions no row holds her e-mail or phone in any form the detectors find', async () => {
    const found = await demo.run(['find', 'jane.doe@example.com', '--json']);
    expect(JSON.parse(found.stdout).mentions.length).toBeGreaterThanOrEqual(3);

    expect((await demo.run(['anonymize', 'jane.doe@example.com', '--mentions', '--yes'])).code).toBe(0);
    const leftovers: string[] = [];
    await demo.query(async (db) => {
      for (const table of ['users', 'conversations', 'messages', 'orders', 'consents']) {
        for (const row of await db(table)) {
          for (const value of Object.values(row)) {
            if (typeof value !== 'string') continue;
            for (const span of detect(value, { types: ['EMAIL', 'PHONE'] })) {
              const text = value.slice(span.start, span.end);
              if ((span.type === 'EMAIL' && normalizeEmail(text) === 'jane.doe@example.com') || (span.type === 'PHONE' && toE164(text) === '+442079460958')) {
                leftovers.push(`${table}: ${span.type}`);
              }
            }
          }
        }
      }
    });
    expect(leftovers).toEqual([]);
  });
});
