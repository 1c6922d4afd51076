/**
 * Phone numbers as people store them. A valid number compares as E.164; any number, valid or
 * not (libphonenumber rejects `+453 3331 9991`, a mistyped country code, or `+91 0124
 * 39883988`, a trunk 0 kept after the country code), also compares by its digits: with and
 * without the international prefix (00), a trunk 0 after the country code, and the country
 * code itself. So a stored number is found by its own digits in any formatting.
 */
import { toE164 } from '../detect/normalize.js';

/** Fewer digits than this are not taken for a phone number. */
export const MIN_PHONE_DIGITS = 7;

/** Characters people write phone numbers with. */
const PHONE_TEXT = /^[\d\s+\-().\/]+$/;

/** The value reads as a phone number (valid or not): phone characters only, and enough digits. */
export function looksLikePhoneNumber(value: string): boolean {
  return PHONE_TEXT.test(value.trim()) && digitsOf(value).length >= MIN_PHONE_DIGITS;
}

/** The digits, without a "(0)" (an optional trunk 0 written in parentheses) and without a leading 00 (the international prefix). */
export function digitsOf(value: string): string {
  return value.replace(/\(0\)/g, '').replace(/\D/g, '').replace(/^00/, '');
}

/** The digit forms of a number: as written, and with a trunk 0 dropped after a country code of one to three digits. */
function forms(value: string): string[] {
  const digits = digitsOf(value);
  const all = [digits];
  for (let at = 1; at <= 3; at += 1) {
    if (digits.length > at + MIN_PHONE_DIGITS && digits[at] === '0') all.push(digits.slice(0, at) + digits.slice(at + 1));
  }
  return all;
}

/** `longer` is `shorter` with a country code (and perhaps a trunk 0) before it, or with a trunk 0 before it. */
function withPrefix(longer: string, shorter: string): boolean {
  if (shorter.length < MIN_PHONE_DIGITS || !longer.endsWith(shorter)) return false;
  return /^(\d{1,3}0?|0)$/.test(longer.slice(0, longer.length - shorter.length));
}

/** Whether two written numbers are the same number (see the module's comment). */
export function samePhone(a: string, b: string, regions?: readonly string[]): boolean {
  const e164 = toE164(a, regions);
  if (e164 !== undefined && e164 === toE164(b, regions)) return true;
  const left = forms(a);
  const right = forms(b);
  for (const x of left) {
    for (const y of right) {
      if (x === y) return true;
      const trimmedX = x.replace(/^0/, '');
      const trimmedY = y.replace(/^0/, '');
      if (trimmedX === trimmedY && trimmedX.length >= MIN_PHONE_DIGITS) return true;
      if (x.length > y.length ? withPrefix(x, trimmedY) || withPrefix(x, y) : withPrefix(y, trimmedX) || withPrefix(y, x)) return true;
    }
  }
  return false;
}

/** The last digits every stored form of the number ends with: the SQL prefilter. */
export function phoneTail(value: string): string {
  return digitsOf(value).slice(-MIN_PHONE_DIGITS);
}
