import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createStrategy, MaskingError } from '../../../src/masking/index.js';
import { maskingContext } from './masking-context.js';

const hmac = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');

describe('hash', () => {
  const hash = createStrategy({ kind: 'hash' });
  const keyed = maskingContext({ key: 'secret' });

  it('is a keyed HMAC-SHA256 in hex, 32 characters by default', () => {
    expect(hash.apply('jane@example.com', keyed)).toBe(hmac('secret', 'jane@example.com').slice(0, 32));
  });

  it('is deterministic for a key and differs between keys', () => {
    expect(hash.apply('jane@example.com', keyed)).toBe(hash.apply('jane@example.com', keyed));
    expect(hash.apply('jane@example.com', maskingContext({ key: 'other' }))).not.toBe(hash.apply('jane@example.com', keyed));
  });

  it('hashes the string form of numbers', () => {
    expect(hash.apply(42, keyed)).toBe(hmac('secret', '42').slice(0, 32));
  });

  it('is cut to the configured length and to the column', () => {
    expect(createStrategy({ kind: 'hash', length: 16 }).apply('x', keyed)).toHaveLength(16);
    expect(createStrategy({ kind: 'hash', length: 64 }).apply('x', keyed)).toBe(hmac('secret', 'x'));
    expect(hash.apply('x', maskingContext({ key: 'secret', column: { maxLength: 10 } }))).toHaveLength(10);
  });

  it('refuses to hash without a key', () => {
    const context = maskingContext({ column: { name: 'email' } });
    expect(() => hash.apply('jane@example.com', context)).toThrow(MaskingError);
    expect(() => hash.apply('jane@example.com', context)).toThrow('hash for users.email needs a key and none is set');
    expect(() => hash.apply('jane@example.com', maskingContext({ key: '' }))).toThrow(MaskingError);
  });

  it('keeps NULL', () => {
    expect(hash.apply(null, maskingContext())).toBeNull();
  });

  it('says it is pseudonymisation', () => {
    expect(hash.pseudonymous).toBe(true);
    expect(createStrategy({ kind: 'hash', length: 16 }).describe()).toBe('hash (HMAC-SHA256, 16 hex chars): pseudonymisation, not anonymisation');
  });
});
