import { describe, expect, it } from 'vitest';
import { found } from './helpers.js';

const addresses = (text: string) => found('STREET_ADDRESS', text);

describe('street address detection', () => {
  it.each([
    ['Send it to 48 Queen Street, Edinburgh EH2 3NH please', '48 Queen Street, Edinburgh EH2 3NH'],
    ['I live at 12b Mulberry Road', '12b Mulberry Road'],
    ['ship to 500 Oak Ave, Austin, TX 78701', '500 Oak Ave, Austin, TX 78701'],
    ['Flat 3, 9 Kings Terrace, Bath', 'Flat 3, 9 Kings Terrace, Bath'],
    ["j'habite 4 impasse des Lilas, 31000 Toulouse", '4 impasse des Lilas, 31000 Toulouse'],
    ['livrez au 17 ter boulevard Gambetta', '17 ter boulevard Gambetta'],
    ['Anschrift: Goethestraße 21, 80336 München', 'Goethestraße 21, 80336 München'],
    ['Lieferung an Kölner Straße 7a', 'Kölner Straße 7a'],
    ['An der Alster 12, 20099 Hamburg', 'An der Alster 12, 20099 Hamburg'],
    ['dirección: calle de Toledo 33, 2º A, 28005 Madrid', 'calle de Toledo 33, 2º A, 28005 Madrid'],
    ['abito in via Garibaldi 5, 20121 Milano', 'via Garibaldi 5, 20121 Milano'],
    ['piazza del Duomo 1', 'piazza del Duomo 1'],
    ['mijn adres is Herengracht 210, 1016 BS Amsterdam', 'Herengracht 210, 1016 BS Amsterdam'],
    ['morada: Rua do Carmo 45, 1200-093 Lisboa', 'Rua do Carmo 45, 1200-093 Lisboa'],
    ['Stuur het naar Molenweide 4, 3311 CD Dordrecht', 'Molenweide 4, 3311 CD Dordrecht'],
  ])('finds the address in %j', (text, address) => {
    expect(addresses(text)).toEqual([address]);
  });

  it.each([
    ['a quantity and a word', 'I need 2 days to find my Way'],
    ['a carrier after "via"', 'sent via Amazon 3 days ago'],
    ['a date after "Am"', 'Am Montag 3 Pakete'],
    ['a price', 'the Road Bike costs 499 EUR'],
    ['a ring size', 'Ireland ring 01 498 7654'],
    ['an order line', 'Order 21 Street Lamps'],
    ['an everyday word before a postcode', 'Order 21, 75011 Paris'],
    ['a month before a number', 'Im Mai 2024, 10115 Berlin'],
  ])('does not flag %s', (_what, text) => {
    expect(addresses(text)).toEqual([]);
  });
});
