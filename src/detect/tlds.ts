import { createRequire } from 'node:module';

// The IANA root zone list, shipped by the `tlds` package (JSON main, hence require).
const require = createRequire(import.meta.url);
const TLDS: ReadonlySet<string> = new Set(require('tlds') as string[]);

/**
 * Names reserved for tests, documentation and private networks (RFC 2606, RFC 6761, RFC 6762,
 * ICANN's .internal): never delegated, but people's addresses on company networks and in
 * examples end in them all the same ("jane@corp.internal", "support@shop.example").
 */
const RESERVED: ReadonlySet<string> = new Set(['example', 'test', 'invalid', 'localhost', 'local', 'internal', 'lan', 'corp', 'home']);

/** Whether `label` (any case, Unicode form) is a delegated top-level domain. */
export function isTld(label: string): boolean {
  return TLDS.has(label.toLowerCase());
}

/** Whether an e-mail address may end in `label`: a delegated top-level domain or a reserved one (a host name may not: "notes.local" is a file). */
export function isMailTld(label: string): boolean {
  return isTld(label) || RESERVED.has(label.toLowerCase());
}
