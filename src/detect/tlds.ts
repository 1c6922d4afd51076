import { createRequire } from 'node:module';

// The IANA root zone list, shipped by the `tlds` package (JSON main, hence require).
const require = createRequire(import.meta.url);
const TLDS: ReadonlySet<string> = new Set(require('tlds') as string[]);

/** Whether `label` (any case, Unicode form) is a delegated top-level domain. */
export function isTld(label: string): boolean {
  return TLDS.has(label.toLowerCase());
}
