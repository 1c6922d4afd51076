import { isEmail } from './email.js';
import { DEFAULT_PHONE_REGIONS, parsePhone } from './phone.js';

export function normalizeEmail(s: string): string {
  return s.trim().toLowerCase();
}

/**
 * The E.164 form of a phone number ("+442079460958"), or undefined when `s` is not a valid
 * number. International forms are read as such; otherwise each region is tried in order,
 * so the first region whose national format fits wins.
 */
export function toE164(s: string, defaultRegions: readonly string[] = DEFAULT_PHONE_REGIONS): string | undefined {
  return parsePhone(s, defaultRegions)?.number;
}

export function looksLikeEmail(s: string): boolean {
  return isEmail(s);
}

export function looksLikePhone(s: string): boolean {
  return toE164(s) !== undefined;
}
