import { isIP } from 'node:net';
import { isTld } from './tlds.js';
import type { Detector, Span } from './types.js';

// A scheme or "www.", then everything up to whitespace or a quote; trailing punctuation is
// trimmed afterwards.
const CANDIDATE = /(?<![\p{L}\p{N}_@.])(?:(?:https?|ftp|sftp):\/\/|www\.)[^\s<>"'`]+/giu;
const TRAILING = /[.,;:!?'"»)\]}*]+$/u;
const HOST = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^@/?#\s]*@)?(\[[0-9a-f:.]+\]|[^:/?#\s]+)/iu;

function trimTrailing(url: string): string {
  let trimmed = url;
  for (;;) {
    const punctuation = TRAILING.exec(trimmed)?.[0];
    if (!punctuation) return trimmed;
    // Keep a closing bracket the URL itself opened (Wikipedia-style "Foo_(bar)").
    const closing = punctuation.indexOf(')');
    if (closing !== -1 && count(trimmed, '(') >= count(trimmed, ')')) {
      const keep = trimmed.length - punctuation.length + closing + 1;
      if (keep === trimmed.length) return trimmed;
      trimmed = trimmed.slice(0, keep);
      continue;
    }
    return trimmed.slice(0, -punctuation.length);
  }
}

function count(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) n++;
  return n;
}

function hasRealHost(url: string): boolean {
  const host = HOST.exec(url)?.[1];
  if (!host) return false;
  if (host.startsWith('[')) return isIP(host.slice(1, -1)) === 6;
  if (isIP(host) === 4 || host.toLowerCase() === 'localhost') return true;
  const labels = host.split('.');
  return labels.length >= 2 && labels.every((label) => label.length > 0) && isTld(labels.at(-1)!);
}

export function findUrls(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    const url = trimTrailing(match[0]);
    if (!hasRealHost(url)) continue;
    // Links with a path, query or fragment more often point at a person (profiles, shares, tokens).
    const bare = !/[/?#]./u.test(url.replace(/^[a-z]+:\/\//iu, ''));
    spans.push({ type: 'URL', start: match.index, end: match.index + url.length, score: bare ? 0.7 : 0.8 });
  }
  return spans;
}

export const urlDetector: Detector = {
  type: 'URL',
  mayContain: (text) => text.includes('://') || /www\./i.test(text),
  find: (text) => findUrls(text),
};
