import { isIPv6 } from 'node:net';
import { hasContext, isLabelledAsReference, raise, wordsPattern } from './context.js';
import type { Detector, Span } from './types.js';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
// Not part of a longer dotted number on either side ("1.2.3.4.5", "v1.2.3.4"); a port or a
// CIDR suffix may follow and stays out of the span.
// Not after `Name/`: that is a product version in a user agent (Chrome/124.0.0.0), not an address.
const IPV4 = new RegExp(`(?<![\\p{L}\\p{N}_.\\-])(?<!\\p{L}/)${OCTET}(?:\\.${OCTET}){3}(?![\\p{L}\\p{N}_\\-]|\\.\\d)`, 'gu');
// Hex groups and colons, at least two colons; validated by node:net.
const IPV6 = /(?<![\p{L}\p{N}_:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?(?![\p{L}\p{N}_]|:[0-9A-Fa-f])/gu;
const CONTEXT = wordsPattern([
  'ip',
  'ipv4',
  'ipv6',
  'ip address',
  'address',
  'addr',
  'host',
  'server',
  'from',
  'login',
  'logged',
  'connection',
  'connected',
  'adresse',
  'adresse ip',
  'ip-adresse',
  'dirección',
  'indirizzo',
  'ip-adres',
  'adres',
  'router',
  'gateway',
]);
// "version 1.2.3.4", "firmware 10.0.0.1": a dotted version, however valid as an address.
const VERSION_BEFORE =
  /(?<![\p{L}\p{N}])(?:version|versión|versão|versione|versie|ver|release|build|firmware|v|vers|patch|update to|upgrade to|updated to)\.?\s*:?\s*$/iu;
const VERSION_SHAPE = /^\d+\.\d+\.\d+\.\d+$/;

export function findIpAddresses(text: string): Span[] {
  const spans: Span[] = [];
  if (text.includes('.')) {
    for (const match of text.matchAll(IPV4)) {
      const start = match.index;
      const end = start + match[0].length;
      if (isLabelledAsReference(text, start) || isVersionOrDate(text, start, end)) continue;
      spans.push({ type: 'IP_ADDRESS', start, end, score: hasContext(text, start, end, CONTEXT, 30) ? 0.95 : 0.85 });
    }
  }
  if (text.includes(':')) {
    for (const match of text.matchAll(IPV6)) {
      let written = match[0];
      // A sentence's colon after the address ("fe80::1: down") is not part of it.
      while (written.endsWith(':') && !written.endsWith('::')) written = written.slice(0, -1);
      if (!isPlausibleIpv6(written)) continue;
      const start = match.index;
      const end = start + written.length;
      spans.push({ type: 'IP_ADDRESS', start, end, score: hasContext(text, start, end, CONTEXT, 30) ? raise(0.9, 0.05) : 0.9 });
    }
  }
  return spans;
}

function isVersionOrDate(text: string, start: number, end: number): boolean {
  if (!VERSION_SHAPE.test(text.slice(start, end))) return false;
  return VERSION_BEFORE.test(text.slice(Math.max(0, start - 20), start));
}

/** A valid IPv6 address with a digit in it and at least three groups or a "::" (not "a:b:c", not a time). */
function isPlausibleIpv6(written: string): boolean {
  if (!isIPv6(written) || !/\d/.test(written)) return false;
  const groups = written.split(':').filter((group) => group !== '');
  return groups.length >= 2 && (written.includes('::') || groups.length >= 8) && !/^\d{1,2}:\d\d(?::\d\d)?$/.test(written);
}

export const ipAddressDetector: Detector = {
  type: 'IP_ADDRESS',
  mayContain: (text) => /\d\.\d|[0-9A-Fa-f]:[0-9A-Fa-f:]/.test(text),
  find: (text) => findIpAddresses(text),
};
