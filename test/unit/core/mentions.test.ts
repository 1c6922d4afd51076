import { describe, expect, it } from 'vitest';
import { executeAnonymization, planAnonymization } from '../../../src/core/anonymize.js';
import { findPerson } from '../../../src/core/find.js';
import { findMentions, redactMentions } from '../../../src/masking/mentions.js';
import { describeEachDatabase } from '../../support/databases.js';
import { useShopSession } from '../../support/workspace.js';

const jane = { identifiers: ['1', 'Jane.Doe@Example.com ', '+44 20 7946 0958'], names: ['Jane Doe'] };

describe('findMentions', () => {
  it("finds one person's e-mail, phone and full name in any written form, and nothing else", () => {
    const text = 'Ask JANE.DOE@EXAMPLE.COM or jane doe on 020-7946-0958; not max@example.org, not Jane Smith, not 020 7946 0000, order 1.';
    expect(findMentions(text, jane).map((m) => [m.kind, text.slice(m.start, m.end)])).toEqual([
      ['EMAIL', 'JANE.DOE@EXAMPLE.COM'],
      ['NAME', 'jane doe'],
      ['PHONE', '020-7946-0958'],
    ]);
    expect(redactMentions(text, jane)).toBe('Ask [EMAIL] or [NAME] on [PHONE]; not max@example.org, not Jane Smith, not 020 7946 0000, order 1.');
  });
});

describeEachDatabase('mentions', (target) => {
  const shop = useShopSession(target);

  async function mentionJane() {
    await shop.workspace.knex('notes').insert([
      { id: 20, user_id: 2, body: 'Max was referred by JANE.DOE@EXAMPLE.COM (call +442079460958), give him the discount.', created_at: '2024-06-01 00:00:00' },
      { id: 21, user_id: 2, body: 'Nothing about anyone else here, just max@example.org.', created_at: '2024-06-02 00:00:00' },
    ]);
  }

  it('find reports rows of other people whose free text mentions the person, by kind, without values', async () => {
    await mentionJane();
    const result = await findPerson(shop.session, 'jane.doe@example.com');
    expect(result.mentions).toEqual([{ table: 'notes', column: 'body', key: 20, kinds: ['EMAIL', 'PHONE'] }]);
    expect(JSON.stringify(shop.session.audit.list({ action: 'find' }))).not.toMatch(/jane|7946/i);
  });

  it('anonymize --mentions redacts only the person in those rows; without it they stay', async () => {
    await mentionJane();
    const plan = await planAnonymization(shop.session, 'jane.doe@example.com', { mentions: true });
    expect(plan.mentions.map((m) => m.key)).toEqual([20]);
    const receipt = await executeAnonymization(shop.session, plan, { mentions: true });
    expect(receipt.mentionsRedacted).toBe(1);
    const notes = await shop.workspace.knex('notes').whereIn('id', [20, 21]).orderBy('id');
    expect(notes.map((n: { body: string }) => n.body)).toEqual([
      'Max was referred by [EMAIL] (call [PHONE]), give him the discount.',
      'Nothing about anyone else here, just max@example.org.',
    ]);
    expect(shop.session.audit.list({ action: 'anonymize' }).at(-1)!.detail).toMatchObject({ mentions: ['notes.body:20'] });
  });

  it('leaves mentions alone without --mentions', async () => {
    await mentionJane();
    await executeAnonymization(shop.session, await planAnonymization(shop.session, 'jane.doe@example.com'));
    expect((await shop.workspace.knex('notes').where('id', 20).first()).body).toContain('JANE.DOE@EXAMPLE.COM');
  });

  it('finds and redacts a name in any script and case: SQLite folds more than ASCII too', async () => {
    await shop.workspace.knex('users').where('id', 1).update({ full_name: 'Élodie Dubois' });
    await shop.workspace.knex('notes').insert([
      { id: 30, user_id: 2, body: 'Escalated by ÉLODIE DUBOIS yesterday.', created_at: '2024-06-01 00:00:00' },
      { id: 31, user_id: 2, body: 'élodie dubois said the parcel was late.', created_at: '2024-06-02 00:00:00' },
    ]);
    const found = await findPerson(shop.session, 'jane.doe@example.com');
    expect(found.mentions.filter((m) => m.kinds.includes('NAME')).map((m) => m.key)).toEqual([30, 31]);
    await executeAnonymization(shop.session, await planAnonymization(shop.session, 'jane.doe@example.com', { mentions: true }), { mentions: true });
    const notes = await shop.workspace.knex('notes').whereIn('id', [30, 31]).orderBy('id');
    expect(notes.map((n: { body: string }) => n.body)).toEqual(['Escalated by [NAME] yesterday.', '[NAME] said the parcel was late.']);
  });

  it('finds a person by an e-mail stored with non-ASCII capitals', async () => {
    await shop.workspace.knex('users').where('id', 1).update({ email: 'ÉLODIE@EXAMPLE.COM' });
    expect((await findPerson(shop.session, 'élodie@example.com')).subject.key).toBe(1);
  });
});
