import { describe, expect, it } from 'vitest';
import { columnsNamedIn } from '../../../src/db/schema-snapshot.js';

describe('columnsNamedIn', () => {
  const columns = ['id', 'email', 'Mail', 'first', 'last', 'text', 'lower', 'straße'];

  it('finds the columns an index key or a generated column reads, as the table spells them', () => {
    expect(columnsNamedIn('lcase(`email`)', columns)).toEqual(['email']);
    expect(columnsNamedIn('concat(lower(`first`),`last`)', columns)).toEqual(['first', 'last']);
    expect(columnsNamedIn('lower([first]) || "last"', columns)).toEqual(['first', 'last']);
    expect(columnsNamedIn('lower(straße)', columns)).toEqual(['straße']);
  });

  it('does not take type names (after :: or AS) or function names for columns, even where a column has that name', () => {
    // PostgreSQL prints a varchar key as lower((email)::text), whatever the table's columns are.
    expect(columnsNamedIn('lower((email)::text)', columns)).toEqual(['email']);
    expect(columnsNamedIn('lower(CAST(email AS text))', columns)).toEqual(['email']);
    expect(columnsNamedIn('lower(lower)', columns)).toEqual(['lower']);
  });

  it('matches quoted names exactly on PostgreSQL and whatever their case elsewhere; bare names in any case', () => {
    expect(columnsNamedIn('lower("Mail")', columns, { quotedExact: true })).toEqual(['Mail']);
    expect(columnsNamedIn('lower("MAIL")', columns, { quotedExact: true })).toEqual([]);
    expect(columnsNamedIn('lower("MAIL")', columns)).toEqual(['Mail']);
    expect(columnsNamedIn('lower(EMAIL)', columns)).toEqual(['email']);
    expect(columnsNamedIn('"a""b"', ['a"b', 'a', 'b'], { quotedExact: true })).toEqual(['a"b']);
  });

  it('skips string literals and comments', () => {
    expect(columnsNamedIn("coalesce(nick, 'email ''first'' id')", columns)).toEqual([]);
    expect(columnsNamedIn('lower(email) /* first */ -- last', columns)).toEqual(['email']);
    // MariaDB escapes a quote with a backslash in GENERATION_EXPRESSION.
    expect(columnsNamedIn("concat(email,'it\\'s last')", columns, { backslashEscapes: true })).toEqual(['email']);
    expect(columnsNamedIn("concat(email,'a\\')", columns)).toEqual(['email']);
  });
});
