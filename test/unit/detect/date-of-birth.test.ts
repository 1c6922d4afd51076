import { describe, expect, it } from 'vitest';
import { found } from './helpers.js';

describe('date of birth detection', () => {
  it.each([
    ['born on 14/02/1979', '14/02/1979'],
    ['DOB: 1979-02-14', '1979-02-14'],
    ['D.O.B. 14.02.79', '14.02.79'],
    ['date of birth February 14, 1979', 'February 14, 1979'],
    ['my birthday is 14th February 1979', '14th February 1979'],
    ['née le 14 février 1979', '14 février 1979'],
    ['date de naissance : 14/02/1979', '14/02/1979'],
    ['geboren am 14. Februar 1979', '14. Februar 1979'],
    ['Geburtsdatum 14.02.1979', '14.02.1979'],
    ['nacida el 14 de febrero de 1979', '14 de febrero de 1979'],
    ['fecha de nacimiento: 14-02-1979', '14-02-1979'],
    ['nato il 14 febbraio 1979', '14 febbraio 1979'],
    ['data di nascita 14/02/1979', '14/02/1979'],
    ['geboortedatum 14-02-1979', '14-02-1979'],
    ['nasci a 14 de fevereiro de 1979', '14 de fevereiro de 1979'],
    ['14/02/1979 (date of birth)', '14/02/1979'],
  ])('finds the date in "%s"', (text, date) => {
    expect(found('DATE_OF_BIRTH', text)).toEqual([date]);
  });

  it.each([
    ['a plain date', 'shipped on 14/02/2024'],
    ['an ISO date', 'order placed 2024-05-01'],
    ['a date in another sentence', 'Happy birthday! Your parcel left on 2024-05-01.'],
    ['an impossible date', 'born on 31/02/1979'],
    ['a future date', 'born on 01/01/2999'],
    ['a date in the next line', 'I bought a birthday present.\nIt arrived 03/05/2024 broken'],
    ['a year alone', 'born in 1979'],
  ])('does not flag %s', (_what, text) => {
    expect(found('DATE_OF_BIRTH', text)).toEqual([]);
  });
});
