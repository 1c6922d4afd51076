import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { executeAnonymization, planAnonymization } from '../../../src/core/anonymize.js';
import { findPerson } from '../../../src/core/find.js';
import { executeReapply, planReapply } from '../../../src/core/reapply.js';
import { NothingMatchedError } from '../../../src/errors.js';
import { describeEachDatabase } from '../../support/databases.js';
import { shopMap, useShopSession } from '../../support/workspace.js';

const withTombstones = shopMap.replace('    name: full_name\n', '    name: full_name\n    tombstones: true\n');

describeEachDatabase('tombstones', (target) => {
  const shop = useShopSession(target, withTombstones);

  async function anonymizeJane() {
    const before = { users: await shop.workspace.knex('users').where('id', 1), notes: await shop.workspace.knex('notes').where('user_id', 1) };
    const receipt = await executeAnonymization(shop.session, await planAnonymization(shop.session, 'jane.doe@example.com'));
    return { before, receipt };
  }

  it('say that a person was erased, instead of "nothing matched", by e-mail and by phone', async () => {
    const { receipt } = await anonymizeJane();
    for (const value of ['jane.doe@example.com', '020 7946 0958']) {
      const error = await findPerson(shop.session, value).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NothingMatchedError);
      expect((error as Error).message).toMatch(new RegExp(`erased on \\d{4}-\\d\\d-\\d\\d \\(audit entry ${receipt.auditEntry}\\)`));
    }
    const stranger = await findPerson(shop.session, 'nobody@example.com').catch((e: unknown) => e);
    expect((stranger as Error).message).toMatch(/^No customer matches/);
  });

  it('hold none of the identifiers in clear', async () => {
    await anonymizeJane();
    const file = await readFile(shop.workspace.auditPath);
    for (const needle of ['jane.doe@example.com', 'Jane Doe', '7946 0958', '+442079460958', 'Jane.Doe@Example.com'])
      expect(file.includes(Buffer.from(needle)), needle).toBe(false);
  });

  it('find the person again after a restore, warn, and reapply erases them again', async () => {
    const { before, receipt } = await anonymizeJane();
    // A restore: her rows as they were before the erasure.
    await shop.workspace.knex('users').where('id', 1).update(before.users[0]);
    for (const note of before.notes) await shop.workspace.knex('notes').where('id', note.id).update(note);

    const found = await findPerson(shop.session, 'jane.doe@example.com');
    expect(found.erased).toMatchObject({ auditEntry: receipt.auditEntry });

    const comeBacks = await planReapply(shop.session);
    expect(comeBacks.map((c) => c.plan.subject.key)).toEqual([1]);
    const result = await executeReapply(shop.session, comeBacks);
    expect(result.anonymized).toHaveLength(1);
    expect((await shop.workspace.knex('users').where('id', 1).first()).email).toBe('user-1@anonymized.invalid');
    expect((await shop.workspace.knex('notes').where('id', 1).first()).body).not.toContain('jane');
    await expect(findPerson(shop.session, 'jane.doe@example.com')).rejects.toThrow(/erased on/);
    expect(await planReapply(shop.session)).toEqual([]);
    const reapplied = shop.session.audit.list({ command: 'reapply', action: 'anonymize' });
    expect(reapplied.at(-1)).toMatchObject({ phase: 'outcome', outcome: 'ok', detail: { reappliedErasure: receipt.auditEntry } });
  });

  it("hold the person's own identifiers, never the placeholders: anonymizing twice raises no restore alarm", async () => {
    await anonymizeJane();
    const again = await planAnonymization(shop.session, '1', { by: 'id', countChanges: true });
    // Nothing of hers would change: the CLI says "already anonymized" and stops there.
    expect(again.changes).toBe(0);
    // Even applied a second time (as the core allows), the placeholders are not tombstoned.
    await executeAnonymization(shop.session, again);
    const found = await findPerson(shop.session, '1', { by: 'id' });
    expect(found.erased).toBeUndefined();
    expect(found.anonymized).toBeDefined();
    expect(await planReapply(shop.session)).toEqual([]);
  });

  it('leave other people alone', async () => {
    await anonymizeJane();
    expect((await findPerson(shop.session, 'max@example.org')).erased).toBeUndefined();
    expect(await planReapply(shop.session)).toEqual([]);
  });
});
