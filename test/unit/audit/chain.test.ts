import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, digestKeys } from '../../../src/audit/index.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"e":2,"f":1}]},"b":1}');
  });

  it('does not depend on insertion order, including integer-like keys', () => {
    expect(canonicalJson({ '10': 1, '2': 2, x: 3 })).toBe(canonicalJson({ x: 3, '2': 2, '10': 1 }));
    expect(canonicalJson({ '10': 1, '2': 2 })).toBe('{"10":1,"2":2}');
  });

  it('writes dates as JSON.stringify does', () => {
    expect(canonicalJson({ at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
  });
});

describe('digestKeys', () => {
  it('is a stable hex SHA-256 of the key list', () => {
    expect(digestKeys([1, 2, 3])).toMatch(/^[0-9a-f]{64}$/);
    expect(digestKeys([1, 2, 3])).toBe(digestKeys([1, 2, 3]));
    expect(digestKeys([1, 2, 3])).not.toBe(digestKeys(['1', '2', '3']));
  });

  it('is the SHA-256 of the canonical JSON of the list, which an auditor can recompute', () => {
    const keys = [7, 'a"b', 'é', -0.5, 'x\u2028y'];
    expect(digestKeys(keys)).toBe(createHash('sha256').update(canonicalJson(keys), 'utf8').digest('hex'));
  });
});
