import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/detect/index.js';
import { found } from './helpers.js';

const addresses = (text: string) => found('STREET_ADDRESS', text, { purpose: 'redact' });

describe('street address detection', () => {
  it.each([
    // number first, street word after, postcode and town following
    ['Send it to 48 Queen Street, Edinburgh EH2 3NH please', '48 Queen Street, Edinburgh EH2 3NH'],
    ['I live at 12b Mulberry Road', '12b Mulberry Road'],
    ['ship to 500 Oak Ave, Austin, TX 78701', '500 Oak Ave, Austin, TX 78701'],
    ['Flat 3, 9 Kings Terrace, Bath', 'Flat 3, 9 Kings Terrace, Bath'],
    ['new place: 742 Evergreen Terrace, Springfield, OR 97403-1234 from Monday', '742 Evergreen Terrace, Springfield, OR 97403-1234'],
    ['office moved to 900 Harbor Blvd, Suite 410, Oakland, CA 94607', '900 Harbor Blvd, Suite 410, Oakland, CA 94607'],
    ['our depot is at 18 Sussex Drive, Ottawa, ON K1M 1M4.', '18 Sussex Drive, Ottawa, ON K1M 1M4'],
    ['deliver to 7 Quarry Lane, Ballina, Co. Mayo F26 X2Y3 tomorrow', '7 Quarry Lane, Ballina, Co. Mayo F26 X2Y3'],
    ['Unit 7, 45 King Street, Newtown NSW 2042', 'Unit 7, 45 King Street, Newtown NSW 2042'],
    ['Shop 3/45 Beach Road, Bondi NSW 2026 is the pickup point', 'Shop 3/45 Beach Road, Bondi NSW 2026'],
    ['Blk 123 Ang Mo Kio Ave 3, #05-67, Singapore 560123', 'Blk 123 Ang Mo Kio Ave 3, #05-67, Singapore 560123'],
    ["j'habite 4 impasse des Lilas, 31000 Toulouse", '4 impasse des Lilas, 31000 Toulouse'],
    ['livrez au 17 ter boulevard Gambetta', '17 ter boulevard Gambetta'],
    ['12 bis, rue des Acacias, 13006 Marseille', '12 bis, rue des Acacias, 13006 Marseille'],
    ['1234, rue Sainte-Catherine O, Montréal (Québec) H3G 1P1', '1234, rue Sainte-Catherine O, Montréal (Québec) H3G 1P1'],
    // street word glued to the name or after it, number after
    ['Anschrift: Goethestraße 21, 80336 München', 'Goethestraße 21, 80336 München'],
    ['Lieferung an Kölner Straße 7a', 'Kölner Straße 7a'],
    ['An der Alster 12, 20099 Hamburg', 'An der Alster 12, 20099 Hamburg'],
    ['Wohnung: Lerchenweg 5, Whg. 12, 24103 Kiel', 'Lerchenweg 5, Whg. 12, 24103 Kiel'],
    ['Neue Adresse: Favoritenstraße 101/3/12, Top 5, 1100 Wien', 'Favoritenstraße 101/3/12, Top 5, 1100 Wien'],
    ['mijn adres is Herengracht 210, 1016 BS Amsterdam', 'Herengracht 210, 1016 BS Amsterdam'],
    ['Stuur het naar Molenweide 4, 3311 CD Dordrecht', 'Molenweide 4, 3311 CD Dordrecht'],
    ['Bezorgen op Kerkstraat 12-2 hoog, 1017 GC Amsterdam graag', 'Kerkstraat 12-2 hoog, 1017 GC Amsterdam'],
    ['Kontakt: Bahnhofstrasse 12, 8001 Zürich', 'Bahnhofstrasse 12, 8001 Zürich'],
    ['Postadres Sveavägen 44, 111 34 Stockholm', 'Sveavägen 44, 111 34 Stockholm'],
    ['the office is at Andrássy út 12, 1061 Budapest', 'Andrássy út 12, 1061 Budapest'],
    // street word first, number after
    ['dirección: calle de Toledo 33, 2º A, 28005 Madrid', 'calle de Toledo 33, 2º A, 28005 Madrid'],
    ['Calle Mayor 12, 3º B, 28013 Madrid', 'Calle Mayor 12, 3º B, 28013 Madrid'],
    ['C/ Mayor, 5, 1º 2ª, 28013 Madrid', 'C/ Mayor, 5, 1º 2ª, 28013 Madrid'],
    ['recoger en Cra. 15 # 88-64, Oficina 301, Bogotá', 'Cra. 15 # 88-64, Oficina 301, Bogotá'],
    ['Calle Reforma 222, Col. Juárez, C.P. 06600, Ciudad de México', 'Calle Reforma 222, Col. Juárez, C.P. 06600, Ciudad de México'],
    ['abito in via Garibaldi 5, 20121 Milano', 'via Garibaldi 5, 20121 Milano'],
    ['Spedire a Via Verdi 12/A, 20121 Milano (MI), grazie', 'Via Verdi 12/A, 20121 Milano (MI)'],
    ['piazza del Duomo 1', 'piazza del Duomo 1'],
    ['Strada Nuova 45 - 16124 Genova GE', 'Strada Nuova 45 - 16124 Genova GE'],
    ['morada: Rua do Carmo 45, 1200-093 Lisboa', 'Rua do Carmo 45, 1200-093 Lisboa'],
    ['Av. da Liberdade 110, 1200-195 Lisboa', 'Av. da Liberdade 110, 1200-195 Lisboa'],
    ['moro na Rua Augusta, 123, cj. 1204, Consolação, São Paulo - SP, 01310-100, ok?', 'Rua Augusta, 123, cj. 1204, Consolação, São Paulo - SP, 01310-100'],
    ['Avenida Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200', 'Avenida Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200'],
    ['Rue du Marché 14 bus 3, 1000 Bruxelles', 'Rue du Marché 14 bus 3, 1000 Bruxelles'],
    ['Avenida Libertador 2200, Piso 5, Depto. B, C1425AAN CABA', 'Avenida Libertador 2200, Piso 5, Depto. B, C1425AAN CABA'],
    ['ul. Mokotowska 14/3, 00-561 Warszawa', 'ul. Mokotowska 14/3, 00-561 Warszawa'],
    // post office boxes
    ['Remit to PO Box 4410, Boise, ID 83711-4410 by Friday', 'PO Box 4410, Boise, ID 83711-4410'],
    ['Schreib an Postfach 10 02 33, 20002 Hamburg', 'Postfach 10 02 33, 20002 Hamburg'],
    ['Postbus 123, 3500 AC Utrecht', 'Postbus 123, 3500 AC Utrecht'],
    ['Envoyez à BP 1234, 75001 Paris Cedex 01', 'BP 1234, 75001 Paris Cedex 01'],
    ['Case postale 45, 1211 Genève 3', 'Case postale 45, 1211 Genève 3'],
    ['Apartado de Correos 45, 28080 Madrid', 'Apartado de Correos 45, 28080 Madrid'],
    ['Caixa Postal 200, 01031-970 São Paulo - SP', 'Caixa Postal 200, 01031-970 São Paulo - SP'],
    ['P.O. Box 555, Hamilton HM 11', 'P.O. Box 555, Hamilton HM 11'],
    // military and rural
    ['Mailing: PSC 1234, Box 5678, APO AE 09204', 'PSC 1234, Box 5678, APO AE 09204'],
    ['Unit 2050 Box 4190, DPO AP 96522 is my address now', 'Unit 2050 Box 4190, DPO AP 96522'],
    ['Address: USNS Comfort, FPO AA 34055', 'USNS Comfort, FPO AA 34055'],
    ['RR 1 Box 22, Millbrook, AL 36054', 'RR 1 Box 22, Millbrook, AL 36054'],
    ['Rural Route 4, Sussex, NB E4E 2N6', 'Rural Route 4, Sussex, NB E4E 2N6'],
    // East and South Asia
    ['guest address 1-2-3 Nishi-Shinjuku, Shinjuku-ku, Tokyo 160-0023, call first', '1-2-3 Nishi-Shinjuku, Shinjuku-ku, Tokyo 160-0023'],
    ['Room 1203, 88 Century Avenue, Pudong, Shanghai 200120', 'Room 1203, 88 Century Avenue, Pudong, Shanghai 200120'],
    ['Apt 502, 21 Nonhyeon-ro 85-gil, Gangnam-gu, Seoul 06234', 'Apt 502, 21 Nonhyeon-ro 85-gil, Gangnam-gu, Seoul 06234'],
    ['No. 1 Jianguomenwai Dajie, Chaoyang District, Beijing 100004', 'No. 1 Jianguomenwai Dajie, Chaoyang District, Beijing 100004'],
    ['H.No. 12-5-34, Vijay Nagar Colony, Hyderabad, Telangana 500057', 'H.No. 12-5-34, Vijay Nagar Colony, Hyderabad, Telangana 500057'],
    ['Flat 302, Sai Krupa Apartments, MG Road, Pune - 411001', 'Flat 302, Sai Krupa Apartments, MG Road, Pune - 411001'],
    ['D-12, Sector 15, Noida, Uttar Pradesh 201301', 'D-12, Sector 15, Noida, Uttar Pradesh 201301'],
    ['Plot 77, Industrial Area Phase 2, Chandigarh', 'Plot 77, Industrial Area Phase 2, Chandigarh'],
    ['Tokyo-to, Minato-ku, Roppongi 6-10-1', 'Tokyo-to, Minato-ku, Roppongi 6-10-1'],
    ['Seoul, Gangnam-gu, Teheran-ro 152', 'Seoul, Gangnam-gu, Teheran-ro 152'],
    ['45 Nguyen Trai, Ward 2, District 5, Ho Chi Minh City', '45 Nguyen Trai, Ward 2, District 5, Ho Chi Minh City'],
    // British and Irish houses with a name instead of a number
    ['Rose Cottage, Church Lane, Little Snoring, Norfolk NR21 0AA', 'Rose Cottage, Church Lane, Little Snoring, Norfolk NR21 0AA'],
    ['The Old Rectory, Main Street, Ballymore, Co. Westmeath N91 X2K4', 'The Old Rectory, Main Street, Ballymore, Co. Westmeath N91 X2K4'],
    // in capitals, in lowercase, without commas
    ['SHIP TO: JOHN DOE, 123 MAIN ST, SPRINGFIELD IL 62704', '123 MAIN ST, SPRINGFIELD IL 62704'],
    ['i live at 12 mill lane, leeds', '12 mill lane, leeds'],
    ['hola vivo en calle san bernardo 45, sevilla', 'calle san bernardo 45, sevilla'],
    ['ship to 2401 E Camelback Rd Ste 200 Phoenix AZ 85016', '2401 E Camelback Rd Ste 200 Phoenix AZ 85016'],
    ['1600 Pennsylvania Avenue NW, Washington, D.C. 20500', '1600 Pennsylvania Avenue NW, Washington, D.C. 20500'],
    // a country in capitals on the envelope's last line is part of it, in ordinary case it is not
    ['21 Rue des Écoles\n75005 Paris\nFRANCE', '21 Rue des Écoles\n75005 Paris\nFRANCE'],
    ['PO Box 8810, Doha, QATAR', 'PO Box 8810, Doha, QATAR'],
    ['Via Roma 10, 10121 Torino, Italia', 'Via Roma 10, 10121 Torino'],
  ])('finds the address in %j', (text, address) => {
    expect(addresses(text)).toEqual([address]);
  });

  it('keeps a multi-line address in one span, without the name above it or the phone below it', () => {
    const text = 'Best,\nMaria Keller\nLindenstraße 14\n04109 Leipzig\nTel. 0341 1234567';
    expect(addresses(text)).toEqual(['Lindenstraße 14\n04109 Leipzig']);
  });

  it('leaves a person named before the address out of it', () => {
    expect(addresses('Please ship to Tom Baxter, 14 Elm Grove, Bristol BS8 1AB.')).toEqual(['14 Elm Grove, Bristol BS8 1AB']);
  });

  it('leaves a first name written after the town out of it', () => {
    expect(addresses('ship it to 14 Elm Grove, Bristol, Jennifer will sign')).toEqual(['14 Elm Grove, Bristol']);
  });

  it('finds two addresses in one line', () => {
    expect(addresses('old: Rosenweg 3, 50667 Köln, new: Tulpenweg 8, 53111 Bonn')).toEqual(['Rosenweg 3, 50667 Köln', 'Tulpenweg 8, 53111 Bonn']);
  });

  it('scores a street with its town as sure, a flat with a district alone as likely only', () => {
    const sure = detect('12 Mill Lane, Leeds LS6 2AB', { types: ['STREET_ADDRESS'] })[0]!;
    expect(sure.score).toBeGreaterThanOrEqual(0.5);
    const text = 'Plot 77, Industrial Area Phase 2, Chandigarh';
    expect(detect(text, { types: ['STREET_ADDRESS'], purpose: 'find' })).toEqual([]);
    expect(detect(text, { types: ['STREET_ADDRESS'], purpose: 'redact' })).toHaveLength(1);
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
    ['a year after "Im"', 'Im Jahr 2024, 10115 Berlin'],
    ['an order number before a postcode', 'Bestelling 12345, 1012 AB Amsterdam'],
    ['a postcode and town alone', 'Do you deliver to 80331 München?'],
    ['a UK postcode alone', 'Is delivery to BT1 5GS possible?'],
    ['a date and a town', 'we met on 12 March in London'],
    ['a quantity before a postcode', 'Paid 45 Euro for 2 Items, London SW1A 1AA'],
    ['a promotion before a postcode', 'Buy 2 Get 1 Free, London SE1 9SG'],
    ['a room booking', 'Room 12 is booked for 3 nights'],
    ['a production unit', 'Unit 4 failed QA, Batch 12, Line 3'],
    ['a blood pressure', 'bp 120/80 this morning'],
    ['a version', 'Version 2.3.1 of the app crashes'],
    ['a street in a time', 'Meeting at 10:30 on Main Street tomorrow'],
    ['a route number', 'Take Route 66 west'],
    ['a bare PO box word', 'the box 3 was damaged'],
    ['an order with a quantity', 'Bestellung 4711, 3 Stück à 19,99 €'],
    ['a citation with a year', 'Chapter 3, Section 2, Page 45, Springer Verlag 2019'],
    ['a street word in a plural', 'Invoice INV-2024-0012 for 3 Baker Streets'],
    ['a date with a street', 'we moved on 2024-05-01 to the High Street'],
    ['a lowercase street without an address word', 'we have 2 cars in the road'],
  ])('does not flag %s', (_what, text) => {
    expect(addresses(text)).toEqual([]);
  });
});
