import { describe, expect, it } from 'vitest';
import { createStrategy, type SubjectTraits } from '../../../src/masking/index.js';
import { maskingContext } from './masking-context.js';

const redact = createStrategy({ kind: 'redact' });
const jane: SubjectTraits = {
  identifiers: ['1', 'jane.doe@example.com', '+44 20 7946 0958', 'CUST-00042'],
  names: ['Jane Doe'],
};
const aboutJane = maskingContext({ subject: jane, column: { name: 'body' } });

describe('redact', () => {
  it('redacts a realistic chat message and leaves the business facts alone', () => {
    const message =
      "Hi, I'm Jane Doe, write to jane.doe@example.com or call +44 20 7946 0958 / 020 7946 0958 " + 'about order ORD-2024-001234 of £49.99 on 2024-03-15';
    expect(redact.apply(message, aboutJane)).toBe(
      "Hi, I'm [NAME], write to [EMAIL] or call [PHONE] / [PHONE] about order ORD-2024-001234 of £49.99 on 2024-03-15",
    );
  });

  it("catches the person's phone however it is written", () => {
    expect(redact.apply('reach me at +442079460958 or 020-7946-0958', aboutJane)).toBe('reach me at [PHONE] or [PHONE]');
  });

  it('redacts e-mails and phones of anyone, with or without a subject', () => {
    expect(redact.apply('ask bob@example.org on 06 12 34 56 78', maskingContext())).toBe('ask [EMAIL] on [PHONE]');
  });

  it("redacts the subject's identifiers, case-insensitively and as whole tokens", () => {
    expect(redact.apply('my customer number is cust-00042.', aboutJane)).toBe('my customer number is [ID].');
    expect(redact.apply('ref XCUST-000421 is not mine', aboutJane)).toBe('ref XCUST-000421 is not mine');
    expect(redact.apply('JANE.DOE@EXAMPLE.COM', aboutJane)).toBe('[EMAIL]');
  });

  it('redacts identifiers the detector does not recognise, and labels each by its kind', () => {
    const subject = { identifiers: ['612345678', 'jane@corp'], names: [] };
    expect(redact.apply('ref 612345678, login jane@corp', maskingContext({ subject }))).toBe('ref [ID], login [ID]');
    const withPhone = { identifiers: ['0612345678'], names: [] };
    expect(redact.apply('tel 0612345678', maskingContext({ subject: withPhone }))).toBe('tel [PHONE]');
  });

  it('does not redact every digit for a short numeric id', () => {
    expect(redact.apply('1 item, 10 days, user 1', aboutJane)).toBe('1 item, 10 days, user 1');
  });

  it('redacts full names, then name parts of three letters or more as whole words', () => {
    expect(redact.apply('JANE   DOE called; Jane said Doe was her maiden name', aboutJane)).toBe('[NAME] called; [NAME] said [NAME] was her maiden name');
    // Only whole words: "Janet" and "Doerte" are not the subject (with the PERSON detector off, nothing else is redacted).
    const namesOnly = createStrategy({ kind: 'redact', types: ['EMAIL'] });
    expect(namesOnly.apply('Janet and Doerte are colleagues', aboutJane)).toBe('Janet and Doerte are colleagues');
    const shortName = { identifiers: [], names: ['Li Wu'] };
    expect(redact.apply('Li Wu wrote; Li agreed, Wu left', maskingContext({ subject: shortName }))).toBe('[NAME] wrote; Li agreed, Wu left');
  });

  it('handles names with accents and hyphens', () => {
    const subject = { identifiers: [], names: ['José Müller-Lüdenscheidt'] };
    expect(redact.apply('Signed: müller-lüdenscheidt, josé', maskingContext({ subject }))).toBe('Signed: [NAME], [NAME]');
    expect(redact.apply('Frau Müller and Lüdenscheidt', maskingContext({ subject }))).toBe('Frau [NAME] and [NAME]');
  });

  it('treats regular-expression characters in identifiers literally', () => {
    const subject = { identifiers: ['a.b*c+(d)'], names: [] };
    expect(redact.apply('id a.b*c+(d) vs aXbbc+(d)', maskingContext({ subject }))).toBe('id [ID] vs aXbbc+(d)');
  });

  it('can use one placeholder for everything', () => {
    const generic = createStrategy({ kind: 'redact', placeholders: false });
    expect(generic.apply('Jane Doe: jane.doe@example.com', aboutJane)).toBe('[REDACTED]: [REDACTED]');
  });

  it('leaves NULL, non-text and text without PII unchanged', () => {
    expect(redact.apply(null, aboutJane)).toBeNull();
    expect(redact.apply(42, aboutJane)).toBe(42);
    expect(redact.apply('The parcel arrived.', aboutJane)).toBe('The parcel arrived.');
    expect(redact.pseudonymous).toBe(false);
    expect(redact.describe()).toMatch(/^redact/);
  });
});
