import { describe, expect, it } from 'vitest';
import { createStrategy, MaskingError } from '../../../src/masking/index.js';
import { maskingContext } from './masking-context.js';

const random = createStrategy({ kind: 'random' });

describe('random', () => {
  it('replaces a UUID with a new UUID, keeping its case', () => {
    const old = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
    const fresh = random.apply(old, maskingContext());
    expect(fresh).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(fresh).not.toBe(old);
    expect(random.apply(old.toUpperCase(), maskingContext())).toMatch(/^[0-9A-F-]{36}$/);
  });

  it('replaces digits with as many digits, without a leading zero', () => {
    for (let i = 0; i < 50; i++) {
      const fresh = random.apply('0012345678', maskingContext());
      expect(fresh).toMatch(/^[1-9]\d{9}$/);
    }
    expect(random.apply('7', maskingContext())).toMatch(/^\d$/);
  });

  it('replaces numbers with positive safe integers that fit an INT when the old one did', () => {
    for (let i = 0; i < 50; i++) {
      const small = random.apply(1234, maskingContext({ column: { type: 'integer' } }));
      expect(Number.isSafeInteger(small)).toBe(true);
      expect(small).toBeGreaterThan(0);
      expect(small).toBeLessThanOrEqual(2 ** 31 - 1);
      const large = random.apply(2 ** 40, maskingContext({ column: { type: 'integer' } }));
      expect(Number.isSafeInteger(large)).toBe(true);
      expect(large).toBeGreaterThan(0);
    }
  });

  it('replaces text with lowercase alphanumerics of the same length, at least 12', () => {
    expect(random.apply('janedoe_1987', maskingContext())).toMatch(/^[a-z0-9]{12}$/);
    expect(random.apply('ab', maskingContext())).toMatch(/^[a-z0-9]{12}$/);
    expect(random.apply('x'.repeat(40), maskingContext())).toMatch(/^[a-z0-9]{40}$/);
    expect(random.apply('ab', maskingContext({ column: { maxLength: 8 } }))).toMatch(/^[a-z0-9]{8}$/);
  });

  it('gives a different value each time', () => {
    const values = new Set(Array.from({ length: 100 }, () => random.apply('jane-doe-handle', maskingContext())));
    expect(values.size).toBe(100);
  });

  it('keeps NULL and refuses values it cannot shape without showing them', () => {
    expect(random.apply(null, maskingContext())).toBeNull();
    const apply = () => random.apply(new Date(0), maskingContext({ column: { name: 'born' } }));
    expect(apply).toThrow(MaskingError);
    expect(apply).toThrow(/users\.born/);
    expect(random.describe()).toBe('random');
    expect(random.pseudonymous).toBe(false);
  });
});
