import { describe, expect, it } from 'vitest';
import { executeAnonymization, planAnonymization, recordDryRun } from '../../../src/core/anonymize.js';
import { findPerson } from '../../../src/core/find.js';
import { InterruptedError, LetheError, NothingMatchedError } from '../../../src/errors.js';
import { failUpdatesOf, useShopSession } from '../../support/workspace.js';
import { describeEachDatabase } from '../../support/databases.js';

describeEachDatabase('anonymize', (target) => {
  const shop = useShopSession(target);

  async function snapshot() {
    const db = shop.workspace.knex;
    return {
      users: await db('users').orderBy('id'),
      notes: await db('notes').orderBy('id'),
      tickets: await db('tickets').orderBy('id'),
      ticket_events: await db('ticket_events').orderBy('id'),
      orders: await db('orders').orderBy('id'),
    };
  }

  describe('planAnonymization', () => {
    it('says per table what happens to how many rows, and flags hash as pseudonymisation', async () => {
      const plan = await planAnonymization(shop.session, 'jane.doe@example.com');
      const byTable = Object.fromEntries(plan.tables.map((t) => [t.table, t]));
      expect(byTable.users).toMatchObject({ action: 'anonymize', rows: 1, keys: [1] });
      expect(byTable.users!.columns.map((c) => c.name)).toEqual(['email', 'full_name', 'phone', 'birth_date']);
      expect(byTable.tickets).toMatchObject({ action: 'delete', rows: 1, columns: [] });
      expect(byTable.ticket_events).toMatchObject({ action: 'delete', rows: 2 });
      expect(byTable.orders).toMatchObject({ action: 'anonymize', rows: 2 });
      expect(plan.pseudonymousColumns).toEqual(['orders.shipping_name']);
    });

    it('writes nothing, and a dry run is audited as one', async () => {
      const before = await snapshot();
      const plan = await planAnonymization(shop.session, 'jane.doe@example.com');
      recordDryRun(shop.session, plan);
      expect(await snapshot()).toEqual(before);
      expect(shop.session.audit.list({ action: 'anonymize' })).toMatchObject([{ dryRun: true, phase: 'event', outcome: 'ok' }]);
    });
  });

  describe('executeAnonymization', () => {
    it('rewrites personal columns, deletes what onErase says, keeps the rest, and the person is no longer findable', async () => {
      const before = await snapshot();
      const plan = await planAnonymization(shop.session, 'jane.doe@example.com');
      const receipt = await executeAnonymization(shop.session, plan);
      const after = await snapshot();

      expect(after.users[0]).toEqual({
        id: 1,
        email: 'user-1@anonymized.invalid',
        full_name: 'User #1',
        phone: null,
        birth_date: '1987-01-01',
        country: 'GB',
        created_at: '2020-01-02 10:00:00',
      });
      expect(after.notes[0].body).toBe('Call [NAME] back on [PHONE] or write to [EMAIL] about ORD-2024-001234 (£49.99).');
      expect(after.notes[1]).toEqual(before.notes[1]);
      expect(after.tickets.map((t: { id: number }) => t.id)).toEqual([2]);
      expect(after.ticket_events.map((t: { id: number }) => t.id)).toEqual([3]);
      expect(after.orders[0].total_cents).toBe(4999);
      expect(after.orders[0].shipping_name).toMatch(/^[0-9a-f]{32}$/);
      expect(after.orders[0].card_number).toBe('************1111');
      // Other people are untouched.
      expect(after.users.slice(1)).toEqual(before.users.slice(1));
      expect(after.notes[2]).toEqual(before.notes[2]);
      expect(after.orders[2]).toEqual(before.orders[2]);

      await expect(findPerson(shop.session, 'jane.doe@example.com')).rejects.toBeInstanceOf(NothingMatchedError);
      await expect(findPerson(shop.session, '+44 20 7946 0958')).rejects.toBeInstanceOf(NothingMatchedError);
      const byId = await findPerson(shop.session, '1', { by: 'id' });
      expect(byId.anonymized).toMatchObject({ auditEntry: receipt.auditEntry });
    });

    it('writes the intent before and the outcome after, with keys and counts but no personal data', async () => {
      const plan = await planAnonymization(shop.session, 'jane.doe@example.com');
      await executeAnonymization(shop.session, plan);
      const [intent, outcome] = shop.session.audit.list({ action: 'anonymize' });
      expect(intent).toMatchObject({ phase: 'intent', outcome: null, requestId: plan.requestId, dryRun: false });
      expect(outcome).toMatchObject({ phase: 'outcome', intentId: intent!.id, outcome: 'ok' });
      expect(outcome!.tables.notes).toMatchObject({ action: 'anonymize', rows: 2, keys: [1, 2], columns: ['body'] });
      expect(shop.session.audit.interruptedJobs()).toEqual([]);
      expect(JSON.stringify(shop.session.audit.list())).not.toMatch(/jane|doe|7946\W?0958|example\.com/i);
      expect(shop.session.audit.verify()).toMatchObject({ ok: true });
    });

    it('rolls everything back when one statement fails, and audits the failure by code only', async () => {
      await failUpdatesOf(shop.workspace.knex, target.client, 'orders');
      const before = await snapshot();
      const plan = await planAnonymization(shop.session, 'jane.doe@example.com');
      const error = await executeAnonymization(shop.session, plan).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LetheError);
      expect((error as LetheError).message).toMatch(/rolled back.*nothing was changed/);
      expect(await snapshot()).toEqual(before);
      const outcome = shop.session.audit.list({ action: 'anonymize' }).at(-1)!;
      expect(outcome).toMatchObject({ phase: 'outcome', outcome: 'failed', detail: { errorCode: expect.any(String) } });
    });

    it('stops before commit when interrupted, leaving the database as it was', async () => {
      const before = await snapshot();
      const plan = await planAnonymization(shop.session, 'jane.doe@example.com');
      const controller = new AbortController();
      controller.abort();
      await expect(executeAnonymization(shop.session, plan, { signal: controller.signal })).rejects.toBeInstanceOf(InterruptedError);
      expect(await snapshot()).toEqual(before);
      expect(shop.session.audit.list({ action: 'anonymize' }).at(-1)).toMatchObject({ outcome: 'cancelled' });
    });

    it('also anonymizes rows added between the plan and the confirmation', async () => {
      const plan = await planAnonymization(shop.session, 'jane.doe@example.com');
      await shop.workspace.knex('notes').insert({ id: 9, user_id: 1, body: 'Late note from jane.doe@example.com', created_at: '2024-05-01 00:00:00' });
      const receipt = await executeAnonymization(shop.session, plan);
      expect((await shop.workspace.knex('notes').where('id', 9).first()).body).toBe('Late note from [EMAIL]');
      expect(receipt.tables.find((t) => t.table === 'notes')!.rows).toBe(3);
    });
  });
});
