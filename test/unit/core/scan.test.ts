import { expect, it } from 'vitest';
import { scanDatabase } from '../../../src/core/scan.js';
import { describeEachDatabase } from '../../support/databases.js';
import { useShopSession } from '../../support/workspace.js';

describeEachDatabase('find --scan', (target) => {
  const shop = useShopSession(target);

  it('reports per text column what it holds, flags what the map does not declare, and prints no value unless asked', async () => {
    await shop.workspace.knex.schema.dropTableIfExists('callbacks');
    await shop.workspace.knex.schema.createTable('callbacks', (t) => {
      t.increments('id');
      t.string('note', 200);
    });
    await shop.workspace.knex('callbacks').insert([{ note: 'call back on +44 20 7946 0123' }, { note: 'mail sam@example.net' }, { note: 'no answer' }]);
    const results = await scanDatabase(shop.session, { sample: 100 });
    const byColumn = Object.fromEntries(results.map((r) => [`${r.table}.${r.column}`, r]));
    expect(byColumn['notes.body']).toMatchObject({ declared: 'personal', flagged: false, found: { EMAIL: 1, PHONE: 1 } });
    expect(byColumn['users.email']).toMatchObject({ declared: 'personal', found: { EMAIL: 4 } });
    expect(byColumn['callbacks.note']).toMatchObject({ declared: 'unmapped', flagged: true, sampled: 3, found: { PHONE: 1, EMAIL: 1 } });
    expect(byColumn['tickets.subject']).toMatchObject({ declared: 'keep', flagged: false, found: {} });
    expect(JSON.stringify(results)).not.toMatch(/sam@example|7946/);
    const audit = shop.session.audit.list({ action: 'scan' });
    expect(audit[0]!.detail).toMatchObject({ flagged: ['callbacks.note'] });

    const shown = await scanDatabase(shop.session, { sample: 100, showValues: true });
    expect(shown.find((r) => r.column === 'note')!.examples).toEqual(expect.arrayContaining(['EMAIL: sam@example.net']));
    await shop.workspace.knex.schema.dropTable('callbacks');
  });
});
