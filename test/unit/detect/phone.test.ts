import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/detect/index.js';

const phonesIn = (text: string) =>
  detect(text, { types: ['PHONE'] }).map((span) => text.slice(span.start, span.end));

describe('phone detection', () => {
  it.each([
    '+44 20 7946 0958',
    '+442079460958',
    '020 7946 0958',
    '(020) 7946 0958',
    '+44 (0)20 7946 0958',
    '0044 20 7946 0958',
    '+44-20-7946-0958',
    '06 12 34 56 78',
    '06.12.34.56.78',
    '0612345678',
    '+33 6 12 34 56 78',
    '030 1234567',
    '+49 30 1234567',
    '612 34 56 78',
    '912 345 678',
    '+351 912 345 678',
    '(201) 555-0123',
    '201-555-0123',
    '1-201-555-0123',
    '800-555-0199',
    '09 12 34 56 78',
  ])('finds %s on its own and inside a sentence', (phone) => {
    expect(phonesIn(phone)).toEqual([phone]);
    expect(phonesIn(`Call me on ${phone}, thanks.`)).toEqual([phone]);
  });

  it('finds several numbers in one text', () => {
    expect(phonesIn('+44 20 7946 0958 / 020 7946 0958, or 06 12 34 56 78')).toEqual([
      '+44 20 7946 0958',
      '020 7946 0958',
      '06 12 34 56 78',
    ]);
  });

  it('leaves brackets around a number out of the span', () => {
    expect(phonesIn('Jane (020 7946 0958) called')).toEqual(['020 7946 0958']);
    expect(phonesIn('Jane [+44 20 7946 0958]')).toEqual(['+44 20 7946 0958']);
  });

  it('keeps the text after a number out of the span (no comma extensions)', () => {
    expect(phonesIn('(201) 555-0123, 06 12 34 56 78')).toEqual(['(201) 555-0123', '06 12 34 56 78']);
  });

  it.each([
    ['an order number', 'order ORD-2024-001234 shipped'],
    ['an order number with digits only', 'order #2024001234'],
    ['a price', 'it cost £49.99 or €1,234.50'],
    ['an ISO date', 'on 2024-03-15'],
    ['an ISO date and time', 'on 2024-03-15 10:30'],
    ['a European date', 'on 15.03.2024 or 15/03/2024'],
    ['a year', 'in 2024'],
    ['a bare id', 'customer 1234567890 and ref 123456789'],
    ['an invalid US number', 'call (555) 010-0199'],
    ['an invalid US number with dashes', 'call 555-010-0199 or 555-123-4567'],
    ['a card number', '4111 1111 1111 1111'],
    ['an IBAN', 'IBAN DE89 3704 0044 0532 0130 00'],
    ['a decimal', 'pi is 3.14159265'],
    ['a time range', 'open 10:30-11:45'],
    ['a version', 'version 10.2.3.4567'],
    ['digits inside an e-mail address', 'jane0612345678@example.com'],
    ['digits glued to letters', 'SKU0612345678X'],
    ['an SSN', 'SSN 536-90-4399 or 536 90 4399'],
    ['an IPv4 address', 'server 192.168.100.20'],
    ['a Portuguese postcode', 'Rua Augusta 120, 1100-053 Lisboa'],
    ['a part number', 'part no. 0800-015-01'],
    ['a file number', 'dossier n° 24-118734'],
    ['a tax number', 'partita IVA 01234567897, NIPC 500 123 456'],
    ['the rest of an invalid IBAN', 'NL91 ABNA 0417 1643 01'],
    ['a large amount', '2 500 000 or 20.000.000 or 250 000 000'],
    ['a code ending in a lone digit', 'pick-up code 88 41 20 3'],
    ['a tracking number', 'BRT 084312345678901'],
    ['a serial number', 'numero di serie 7731992041'],
    ['a digit group Luxembourg would accept', 'call 555-010-0199'],
    ['a year and a number', 'in 2024 1234 items'],
  ])('does not flag %s', (_what, text) => {
    expect(phonesIn(text)).toEqual([]);
  });

  it('reads slashes as separators', () => {
    expect(phonesIn('Handy 0151/23456789')).toEqual(['0151/23456789']);
  });

  it('takes a bare run of digits when the text calls it a phone number', () => {
    expect(phonesIn('llámame al 699123457')).toEqual(['699123457']);
    expect(phonesIn('customer 699123457')).toEqual([]);
  });

  it('reads national numbers of countries without a trunk prefix only when the text says so', () => {
    expect(phonesIn('ring til 20 12 34 56')).toEqual(['20 12 34 56']);
    expect(phonesIn('size 20 12 34 56')).toEqual([]);
  });

  it('uses the regions it is given', () => {
    expect(detect('06 12 34 56 78', { phoneRegions: ['US'] })).toEqual([]);
    expect(detect('06 12 34 56 78', { phoneRegions: ['FR'] }).map((s) => s.type)).toEqual(['PHONE']);
    expect(detect('+33 6 12 34 56 78', { phoneRegions: [] }).map((s) => s.type)).toEqual(['PHONE']);
  });

  it('scores a number the text calls a phone number higher', () => {
    const [plain] = detect('020 7946 0958', { types: ['PHONE'] });
    const [called] = detect('call 020 7946 0958', { types: ['PHONE'] });
    expect(called!.score).toBeGreaterThan(plain!.score);
  });
});
