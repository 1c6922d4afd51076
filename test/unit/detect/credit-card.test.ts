import { describe, expect, it } from 'vitest';
import { cardIssuer, passesLuhn } from '../../../src/detect/credit-card.js';
import { detect } from '../../../src/detect/index.js';
import { found } from './helpers.js';

/** `written` (digits, spaces and dashes) with the Luhn check digit appended. */
function withCheckDigit(written: string): string {
  const digits = written.replace(/\D/g, '');
  for (let check = 0; check <= 9; check++) if (passesLuhn(digits + check)) return written + check;
  throw new Error('unreachable');
}

const scored = (text: string) =>
  detect(text, { types: ['CREDIT_CARD'], purpose: 'redact' }).map((span) => [text.slice(span.start, span.end), span.score] as const);

describe('credit card detection', () => {
  it.each([
    ['Visa', '4111 1111 1111 1111'],
    ['Visa with dashes', '4012-8888-8888-1881'],
    ['Visa without spaces', '4242424242424242'],
    ['Mastercard', '5555 5555 5555 4444'],
    ['Mastercard 2-series', '2223 0031 2200 3222'],
    ['American Express', '3782 822463 10005'],
    ['American Express without spaces', '371449635398431'],
    ['Discover', '6011 1111 1111 1117'],
    ['JCB', '3530 1113 3330 0000'],
    ['Diners Club', '3056 930902 5904'],
    ['Maestro', '6759 6498 2643 8453'],
  ])('finds a %s number', (_issuer, card) => {
    expect(found('CREDIT_CARD', card)).toEqual([card]);
    expect(found('CREDIT_CARD', `my card is ${card}, exp 04/27`)).toEqual([card]);
  });

  it.each([
    ['JCB of 15 digits', withCheckDigit('2131 0045 9876 12')],
    ['JCB of 15 digits from 1800', withCheckDigit('1800 204466 1893')],
    ['UATP', withCheckDigit('1220 33104 87712')],
    ['RuPay', withCheckDigit('6080 1234 5678 901')],
    ['Troy', withCheckDigit('9792 1030 4455 667')],
    ['Mir', withCheckDigit('2201 3820 0000 002')],
    ['Elo', withCheckDigit('5067 2211 4400 912')],
    ['Hipercard', withCheckDigit('6062 8210 0098 123')],
    ['Maestro of 12 digits', withCheckDigit('5020 4499 387')],
    ['Maestro of 19 digits', withCheckDigit('6304 0000 0000 0000 00')],
    ['UnionPay of 19 digits grouped 6-13', withCheckDigit('621483 123456789012')],
    ['Visa of 13 digits grouped 4-3-3-3', withCheckDigit('4556 082 917 34')],
  ])('finds a %s number after a card word', (_issuer, card) => {
    expect(found('CREDIT_CARD', `please charge the card ${card} today`)).toEqual([card]);
    expect(found('CREDIT_CARD', `Kartennummer: ${card}`)).toEqual([card]);
  });

  it('finds a number in a narrow issuer range without any card word', () => {
    expect(found('CREDIT_CARD', 'use 4111 1111 1111 1111 for it')).toEqual(['4111 1111 1111 1111']);
    const jcb = withCheckDigit('18001234567890');
    expect(scored(`here: ${jcb}`).map(([text]) => text)).toEqual([jcb]);
  });

  it('scores a run of digits in a wide range (Maestro "6", UATP "1") without a card word for redact only', () => {
    for (const number of [withCheckDigit('671022334455667'), withCheckDigit('12203310487771')]) {
      const [span] = scored(`here it is ${number}`);
      expect(span?.[0]).toBe(number);
      expect(span![1]).toBeLessThan(0.5);
      expect(scored(`Maestro or UATP: ${number}`)[0]![1]).toBeGreaterThanOrEqual(0.5);
    }
  });

  it('takes a number outside every issuer range only after a card word, for redact', () => {
    const unknown = withCheckDigit('7012 3456 7890 123');
    expect(scored(`ref ${unknown}`)).toEqual([]);
    expect(scored(`see ${unknown}`)).toEqual([]);
    const [span] = scored(`Kreditkarte ${unknown}`);
    expect(span?.[0]).toBe(unknown);
    expect(span![1]).toBeLessThan(0.5);
  });

  it('leaves an expiry date or a security code after the number out', () => {
    expect(found('CREDIT_CARD', 'Visa 4111 1111 1111 1111 12/27')).toEqual(['4111 1111 1111 1111']);
    expect(found('CREDIT_CARD', 'tarjeta 5555-5555-5555-4444-123')).toEqual(['5555-5555-5555-4444']);
  });

  it.each([
    ['a Luhn failure', '4111 1111 1111 1112'],
    ['no issuer for the prefix', '9111 1111 1111 1115'],
    ['a wrong length for the issuer', '3782 8224 6310 0051'],
    ['mixed separators', '4111 1111-1111 1111'],
    ['an order number that passes Luhn', 'order #4111111111111111'],
    ['a tracking number', 'tracking 1Z999AA10123456784'],
    ['a long digit run', 'ref 41111111111111111111'],
    ['a price', 'total 4111.11 EUR'],
    ['a bar code number', `EAN ${withCheckDigit('590123412345')} on the box`],
    ['a bar code number passing Luhn too', 'the box says 5601234567892'],
    ['an IMEI', `IMEI ${withCheckDigit('30123456789012')}`],
    ['a gift card', `gift card ${withCheckDigit('6006 4912 3456 789')}`],
    ['a loyalty card', `carte de fidélité ${withCheckDigit('6345 2298 117')}`],
    ['the rest of an IBAN', 'IBAN GB33 BUKB 2020 1555 5555 55'],
    ['a phone number with a country code', '+49 5221 69 83 12 or +36 1 234 5678 9012'],
    ['the tail of a longer run of groups', `12 ${withCheckDigit('4111 1111 1111 111')}`],
  ])('does not flag %s', (_what, text) => {
    expect(scored(text)).toEqual([]);
  });

  it('knows the issuers and the Luhn check', () => {
    expect(cardIssuer('2720990000000007')).toBe('Mastercard');
    expect(cardIssuer('2721000000000004')).toBeUndefined();
    expect(cardIssuer('6221260000000000')).toBe('Discover');
    expect(cardIssuer('180012345678905')).toBe('JCB');
    expect(cardIssuer('119025098563047')).toBe('UATP');
    expect(cardIssuer('9792547627974168')).toBe('Troy');
    expect(cardIssuer('2203563678883628')).toBe('Mir');
    expect(cardIssuer('7023458799012341')).toBeUndefined();
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
  });
});
