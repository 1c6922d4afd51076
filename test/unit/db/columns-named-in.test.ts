import { describe, expect, it } from 'vitest';
import { columnsNamedIn } from '../../../src/db/schema-snapshot.js';

describe('columnsNamedIn', () => {
  const columns = ['id', 'email', 'Mail', 'first', 'last', 'text'];

  it('finds the columns an index key or a generated column reads, as the table spells them', () => {
    expect(columnsNamedIn('lower((email)::text)', columns)).toEqual(['email', 'text']);
    expect(columnsNamedIn('lower(EMAIL)', columns)).toEqual(['email']);
    expect(columnsNamedIn('lcase(`email`)', columns)).toEqual(['email']);
    expect(columnsNamedIn('concat(lower(`first`),`last`)', columns)).toEqual(['first', 'last']);
    expect(columnsNamedIn('lower([first]) || "last"', columns)).toEqual(['first', 'last']);
  });

  it('matches quoted names exactly, bare ones in any case, and skips string literals', () => {
    expect(columnsNamedIn('lower("Mail")', columns)).toEqual(['Mail']);
    expect(columnsNamedIn('lower("MAIL")', columns)).toEqual([]);
    expect(columnsNamedIn('lower(mail)', columns)).toEqual(['Mail']);
    expect(columnsNamedIn("coalesce(nick, 'email ''first'' id')", columns)).toEqual([]);
    expect(columnsNamedIn('"a""b"', ['a"b', 'a', 'b'])).toEqual(['a"b']);
  });
});
