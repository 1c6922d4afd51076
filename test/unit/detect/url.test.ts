import { describe, expect, it } from 'vitest';
import { found } from './helpers.js';

describe('URL detection', () => {
  it('finds links with a scheme or www., without the sentence punctuation after them', () => {
    expect(found('URL', 'see https://example.com/users/jane?id=3.')).toEqual(['https://example.com/users/jane?id=3']);
    expect(found('URL', '(www.example.org/profile)')).toEqual(['www.example.org/profile']);
    expect(found('URL', 'https://en.wikipedia.org/wiki/Foo_(bar), ok')).toEqual(['https://en.wikipedia.org/wiki/Foo_(bar)']);
    expect(found('URL', 'http://192.168.1.1/admin and ftp://files.example.net')).toEqual(['http://192.168.1.1/admin', 'ftp://files.example.net']);
  });

  it('needs a real host', () => {
    expect(found('URL', 'http://example.notatld/x')).toEqual([]);
    expect(found('URL', 'www.nothing')).toEqual([]);
    expect(found('URL', 'a bare example.com in a sentence')).toEqual([]);
  });
});
