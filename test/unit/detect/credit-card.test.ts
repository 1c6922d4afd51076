import { describe, expect, it } from 'vitest';
import { cardIssuer, passesLuhn } from '../../../src/detect/credit-card.js';
import { found } from './helpers.js';

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
    ['a Luhn failure', '4111 1111 1111 1112'],
    ['no issuer for the prefix', '9111 1111 1111 1115'],
    ['a wrong length for the issuer', '3782 8224 6310 0051'],
    ['mixed separators', '4111 1111-1111 1111'],
    ['an order number that passes Luhn', 'order #4111111111111111'],
    ['a tracking number', 'tracking 1Z999AA10123456784'],
    ['a long digit run', 'ref 41111111111111111111'],
    ['a price', 'total 4111.11 EUR'],
  ])('does not flag %s', (_what, text) => {
    expect(found('CREDIT_CARD', text)).toEqual([]);
  });

  it('knows the issuers and the Luhn check', () => {
    expect(cardIssuer('2720990000000007')).toBe('Mastercard');
    expect(cardIssuer('2721000000000004')).toBeUndefined();
    expect(cardIssuer('6221260000000000')).toBe('Discover');
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
  });
});
