import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/detect/index.js';

const emailsIn = (text: string) => detect(text, { types: ['EMAIL'] }).map((span) => text.slice(span.start, span.end));

describe('e-mail detection', () => {
  it('finds addresses in running text without the sentence punctuation around them', () => {
    expect(emailsIn('Write to jane.doe@example.com.')).toEqual(['jane.doe@example.com']);
    expect(emailsIn('(mailto:j.o+news@mail.example.co.uk), ok')).toEqual(['j.o+news@mail.example.co.uk']);
    expect(emailsIn('a@b.io and B_C@sub.domain.org')).toEqual(['a@b.io', 'B_C@sub.domain.org']);
  });

  it('finds internationalised addresses', () => {
    expect(emailsIn('contact: josé.müller@exämple.de')).toEqual(['josé.müller@exämple.de']);
  });

  it('reports UTF-16 offsets', () => {
    const text = '😀 jane@example.com';
    const [span] = detect(text);
    expect(span).toMatchObject({ type: 'EMAIL', start: 3, end: 19 });
  });

  it('rejects what only looks like an address', () => {
    expect(emailsIn('user@localhost')).toEqual([]);
    expect(emailsIn('user@example.c')).toEqual([]);
    expect(emailsIn('user@example.123')).toEqual([]);
    expect(emailsIn('@example.com and user@ and @ alone')).toEqual([]);
    expect(emailsIn('price 10@3.50')).toEqual([]);
    expect(emailsIn('jane.@example.com')).toEqual([]);
  });

  it('needs a delegated top-level domain', () => {
    expect(emailsIn('shop@example.berlin and info@example.co.uk')).toEqual(['shop@example.berlin', 'info@example.co.uk']);
    expect(emailsIn('user@example.notatld')).toEqual([]);
    expect(emailsIn('logo@2x.png and icon@3x.webp')).toEqual([]);
    expect(emailsIn('пример@пример.рф')).toEqual(['пример@пример.рф']);
  });

  it('takes the top-level domains reserved for examples and private networks, which people’s addresses end in too', () => {
    expect(emailsIn('Kontakt: lektorat@verlag.example, jane@corp.internal, ops@build.local')).toEqual([
      'lektorat@verlag.example',
      'jane@corp.internal',
      'ops@build.local',
    ]);
    expect(emailsIn('user@example.notreserved')).toEqual([]);
  });

  it('stops at the real TLD when a word is glued after the address', () => {
    expect(emailsIn('mail jane@example.com.Thanks')).toEqual(['jane@example.com']);
  });

  it('leaves separators before the address out', () => {
    expect(emailsIn('email=jane@example.com')).toEqual(['jane@example.com']);
    expect(emailsIn("'jane@example.com'")).toEqual(['jane@example.com']);
  });

  it('drops leading dots that belong to the sentence', () => {
    expect(emailsIn('see...jane@example.com')).toEqual(['jane@example.com']);
    expect(emailsIn('.jane@example.com')).toEqual(['jane@example.com']);
  });
});
