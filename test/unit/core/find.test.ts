import { describe, expect, it } from 'vitest';
import { findPerson } from '../../../src/core/find.js';
import { AmbiguousSubjectError } from '../../../src/core/subject-lookup.js';
import { NothingMatchedError, UsageError } from '../../../src/errors.js';
import { useShopSession } from '../../support/workspace.js';
import { describeEachDatabase } from '../../support/databases.js';

describeEachDatabase('find', (target) => {
  const shop = useShopSession(target);

  const rowsOf = (result: Awaited<ReturnType<typeof findPerson>>, table: string) => result.tables.find((t) => t.table === table)?.rows ?? [];

  describe('findPerson', () => {
    it('finds a person by e-mail whatever its case and surrounding spaces, and follows belongsTo down to grandchildren', async () => {
      const result = await findPerson(shop.session, '  JANE.DOE@example.COM');
      expect(result.subject).toMatchObject({ name: 'customer', table: 'users', key: 1, matchedBy: ['email'] });
      expect(rowsOf(result, 'users')).toHaveLength(1);
      expect(rowsOf(result, 'notes').map((r) => r.id)).toEqual([1, 2]);
      expect(rowsOf(result, 'tickets').map((r) => r.id)).toEqual([1]);
      expect(rowsOf(result, 'ticket_events').map((r) => r.id)).toEqual([1, 2]);
      expect(rowsOf(result, 'orders').map((r) => r.id)).toEqual([1, 2]);
      expect(result.tables.find((t) => t.table === 'users')!.personalColumns).toEqual(['email', 'full_name', 'phone', 'birth_date']);
    });

    it('compares phones as E.164, whatever format they were stored or typed in', async () => {
      for (const typed of ['+442079460958', '020 7946 0958', '+44 (0)20 7946-0958']) {
        const result = await findPerson(shop.session, typed);
        expect(result.subject.key).toBe(1);
        expect(result.subject.matchedBy).toEqual(['phone']);
      }
    });

    it('finds by id only when asked or when the value looks like one', async () => {
      expect((await findPerson(shop.session, '2', { by: 'id' })).subject.key).toBe(2);
      expect((await findPerson(shop.session, '2')).subject.matchedBy).toEqual(['id']);
    });

    it('never guesses between two people: it lists them by key', async () => {
      const error = await findPerson(shop.session, '+1 202-555-0143').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AmbiguousSubjectError);
      expect((error as AmbiguousSubjectError).candidates.map((c) => c.key)).toEqual([3, 4]);
      expect((error as Error).message).not.toContain('555');
    });

    it('says nothing matched (exit 4) without echoing the value', async () => {
      const error = await findPerson(shop.session, 'nobody@example.com').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NothingMatchedError);
      expect((error as NothingMatchedError).exitCode).toBe(4);
      expect((error as Error).message).not.toContain('nobody');
    });

    it('refuses an unknown --by with the known identifiers', async () => {
      await expect(findPerson(shop.session, 'x', { by: 'mail' })).rejects.toThrow(UsageError);
      await expect(findPerson(shop.session, 'x', { by: 'mail' })).rejects.toMatchObject({ hint: expect.stringContaining('id, email, phone') });
    });

    it('audits every lookup, found or not, without the value', async () => {
      await findPerson(shop.session, 'jane.doe@example.com');
      await findPerson(shop.session, 'nobody@example.com').catch(() => undefined);
      const entries = shop.session.audit.list({ action: 'find' });
      expect(entries.map((e) => e.outcome)).toEqual(['ok', 'nothing-matched']);
      expect(entries[0]).toMatchObject({ operator: 'tester', phase: 'event', subject: { name: 'customer', key: 1 } });
      expect(entries[0]!.tables.notes).toMatchObject({ action: 'read', rows: 2, keys: [1, 2] });
      expect(JSON.stringify(entries)).not.toMatch(/jane|nobody|7946/i);
    });
  });
});
