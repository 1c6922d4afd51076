import { describe, expect, it } from 'vitest';
import { executeBatch, planBatch, readBatchRequests } from '../../../src/core/anonymize-many.js';
import { failUpdatesOf, useShopSession } from '../../support/workspace.js';
import { describeEachDatabase } from '../../support/databases.js';

describeEachDatabase('anonymize --from', (target) => {
  const shop = useShopSession(target);

  const subject = () => shop.session.map.subjects.get('customer')!;

  describe('readBatchRequests', () => {
    it('reads one value per line, skipping blanks and comments, keeping line numbers', () => {
      expect(readBatchRequests('# requests\njane.doe@example.com\n\n  max@example.org  \n', subject())).toEqual([
        { line: 2, value: 'jane.doe@example.com' },
        { line: 4, value: 'max@example.org' },
      ]);
    });

    it('reads a CSV whose header names an identifier', () => {
      const csv = 'ticket,email,note\nT-1,jane.doe@example.com,"urgent, please"\nT-2,max@example.org,\n';
      expect(readBatchRequests(csv, subject())).toEqual([
        { line: 2, value: 'jane.doe@example.com', by: 'email' },
        { line: 3, value: 'max@example.org', by: 'email' },
      ]);
      expect(readBatchRequests('phone,email\n+442079460958,x@y.z\n', subject(), 'email')).toEqual([{ line: 2, value: 'x@y.z', by: 'email' }]);
    });
  });

  describe('planBatch and executeBatch', () => {
    it('runs one transaction per person, goes on past failures, and reports each line without its value', async () => {
      const requests = readBatchRequests('jane.doe@example.com\nnobody@example.com\n+1 202 555 0143\nmax@example.org\n+44 20 7946 0958\n', subject());
      const batch = await planBatch(shop.session, requests);
      expect(batch.items.map((i) => [i.line, i.status])).toEqual([
        [1, 'planned'],
        [2, 'not-found'],
        [3, 'ambiguous'],
        [4, 'planned'],
        [5, 'duplicate'],
      ]);
      const result = await executeBatch(shop.session, batch);
      expect(result).toMatchObject({ anonymized: 2, failed: 2 });
      expect(result.items.map((i) => i.status)).toEqual(['anonymized', 'not-found', 'ambiguous', 'anonymized', 'duplicate']);
      expect(JSON.stringify(result.items.map((i) => i.message))).not.toMatch(/nobody|555|7946/);
      const users = await shop.workspace.knex('users').orderBy('id');
      expect(users.map((u: { email: string }) => u.email)).toEqual([
        'user-1@anonymized.invalid',
        'user-2@anonymized.invalid',
        'twin-a@example.net',
        'twin-b@example.net',
      ]);
      const outcomes = shop.session.audit.list({ action: 'anonymize' }).filter((e) => e.phase === 'outcome');
      expect(outcomes.map((o) => o.detail)).toEqual([
        { batchId: batch.batchId, line: 1 },
        { batchId: batch.batchId, line: 4 },
      ]);
    });

    it('a failing person does not stop the others', async () => {
      // Max's order update fails; Jane's succeeds.
      await failUpdatesOf(shop.workspace.knex, target.client, 'orders', 2);
      const batch = await planBatch(shop.session, readBatchRequests('max@example.org\njane.doe@example.com\n', subject()));
      const result = await executeBatch(shop.session, batch);
      expect(result.items.map((i) => i.status)).toEqual(['failed', 'anonymized']);
      expect((await shop.workspace.knex('users').where('id', 2).first()).email).toBe('max@example.org');
    });
  });
});
