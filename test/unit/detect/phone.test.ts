import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/detect/index.js';

const phonesIn = (text: string) => detect(text, { types: ['PHONE'] }).map((span) => text.slice(span.start, span.end));

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
    expect(phonesIn('+44 20 7946 0958 / 020 7946 0958, or 06 12 34 56 78')).toEqual(['+44 20 7946 0958', '020 7946 0958', '06 12 34 56 78']);
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

const scored = (text: string, purpose: 'find' | 'redact' = 'redact') =>
  detect(text, { types: ['PHONE'], purpose }).map((span) => [text.slice(span.start, span.end), span.score] as const);

describe('phone numbers the text calls phone numbers', () => {
  it.each([
    ['Tel.: (12) 345-678 (the form says so)', '(12) 345-678'],
    ['WhatsApp: 12 345 678', '12 345 678'],
    ['Handynummer 0000 11 22', '0000 11 22'],
    ['llámame al 11 22 33 4', '11 22 33 4'],
    ['Contact no. 0000 765 432', '0000 765 432'],
  ])('takes %j for redact only, even outside every numbering plan', (text, phone) => {
    const [span] = scored(text);
    expect(span?.[0]).toBe(phone);
    expect(span![1]).toBeGreaterThanOrEqual(0.3);
    expect(span![1]).toBeLessThan(0.5);
    expect(scored(text, 'find')).toEqual([]);
  });

  it('needs the phone word right before the number, without another number or label between', () => {
    expect(scored('phone number of order 12 345 678')).toEqual([]);
    expect(scored('my loyalty number is 6345 2298 1177')).toEqual([]);
    expect(scored('Tel Aviv 6100000 is the postcode')).toEqual([]);
  });

  it('lets a list of numbers share its phone word', () => {
    expect(phonesIn('Tel. 0221 123456, Büro 0221 96 44-0')).toEqual(['0221 123456', '0221 96 44-0']);
  });

  it('reads a number with a country code outside the plan as a weak phone number', () => {
    expect(scored('+1-212-140-4508x769')).toEqual([['+1-212-140-4508x769', 0.4]]);
    expect(scored('reach me: +1 212 140 4508')).toEqual([['+1 212 140 4508', 0.45]]);
    expect(scored('001-212-140-4508')).toEqual([['001-212-140-4508', 0.35]]);
    expect(scored('gained +1 000 000 views, see 0042-3381-2024')).toEqual([]);
  });

  it('reads the North American shape as a weak phone number', () => {
    expect(scored('(212)140-4508')).toEqual([['(212)140-4508', 0.35]]);
    expect(scored('212.140.4508')).toEqual([['212.140.4508', 0.35]]);
    expect(scored('ISBN 212-140-4508')).toEqual([]);
  });
});

describe('phone extensions', () => {
  it.each([
    '+1 212-555-0123 ext. 45',
    '+1 212-555-0123x45',
    '020 7946 0958 x 12',
    '01 44 55 66 77 poste 221',
    '089 123450 Durchwahl 362',
    '(21) 3456-7890 ramal 45',
    '02 1234567 interno 22',
    '020-123 45 67 toestel 14',
  ])('keeps the extension of %s in the span', (phone) => {
    expect(phonesIn(`Telefon: ${phone}, danke`)).toEqual([phone]);
  });

  it('leaves an extension in brackets out', () => {
    expect(phonesIn('Tel. 051 234 5678 (interno 3)')).toEqual(['051 234 5678']);
  });
});

describe('national formats of countries outside the default regions', () => {
  it.each([
    ['Brazil', '(21) 3456-7890'],
    ['Brazil, mobile', '(21) 99876-5432'],
    ['Australia', '(03) 9123 4567'],
    ['Japan', '06-6123-4567'],
    ['Argentina, mobile', '0351 15-423-4567'],
    ['South Korea', '02-2345-6789'],
    ['Venezuela', '0412-555.12.34'],
  ])('finds a number of %s (%s), surely after a phone word', (_country, phone) => {
    expect(scored(phone).map(([text]) => text)).toEqual([phone]);
    expect(scored(`Fone: ${phone}`, 'find').map(([text]) => text)).toEqual([phone]);
  });

  it('reads a country without a trunk prefix only after a phone word', () => {
    expect(scored('Celular: 55 1234 5678').map(([text]) => text)).toEqual(['55 1234 5678']);
    expect(scored('size 55 1234 5678')).toEqual([]);
  });

  it('reads a spaced slash or dash after an area code', () => {
    expect(phonesIn('hotline 0221 / 12 34 56')).toEqual(['0221 / 12 34 56']);
    expect(phonesIn('bel 020 - 412 34 56')).toEqual(['020 - 412 34 56']);
    expect(phonesIn('Zimmer 0412 - 2024-05-01')).toEqual([]);
  });

  it.each([
    ['a Brazilian postcode', 'CEP 01310-100, São Paulo'],
    ['a US ZIP+4 code', 'Atlanta, GA 30311-3420'],
    ['the end of a parcel code', 'label 1Z 9A7 31E 04 4471 2208'],
    ['a reference after a carrier name', 'tracking GLS 068502311427'],
    ['a card number after a phone word', 'Tel. 4111 1111 1111 1111'],
  ])('does not flag %s', (_what, text) => {
    expect(scored(text)).toEqual([]);
  });
});
