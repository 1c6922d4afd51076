import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/detect/index.js';

/** Business text from support chats that holds no personal data at all. */
const CLEAN = [
  'Order ORD-2024-001234 shipped on 2024-05-01.',
  'Your order #12345678 is on its way, tracking 1Z999AA10123456784.',
  'Sendungsnummer 00340434161094042557, Rechnung Nr. 2024-00815 über 129,95 €.',
  'Commande n° 4002-7731 expédiée, colis 6A12345678901.',
  'Pedido 2024/55123 enviado, importe 1.234,50 EUR.',
  'Ordine 88231 spedito il 15/03/2024 alle 14:30, totale 49,90 €.',
  'Bestelling 77812 wordt morgen tussen 09:00 en 12:00 bezorgd.',
  'It costs £12.50, or $1,299.00 for the bundle, or 49.99 EUR.',
  'Please allow 5-7 working days; we ship 2 x 35.00 EUR items.',
  'The app is at version 2.3.1.4 (build 20240501), on Android 14.',
  'Error code E-4031 at 10:30:45 on 03.05.2024.',
  'SKU AB-1234-XY, EAN 4006381333931, model XJ-900.',
  'Invoice INV-000123 dated 01/02/2024, due 2024-03-01.',
  'We have 1 500 000 customers and 2.500.000 orders a year.',
  'Ticket #88231 escalated; case 2024-05-000123.',
  'Voucher code SPRING24 gives 10% off until 31.05.2024.',
  'Temperature 21.5 °C, humidity 45 %, 3.5 kg, 120x80 cm.',
  'Pick-up code 88 41 20 3 at point 1187.',
  'Le numéro de TVA est FR40303265045.',
  'Hi Team, thanks for the quick reply!',
  'Happy birthday to our shop: 10 years on 2024-05-01!',
  'Mark the order as paid. Will it ship in May?',
];

describe('hard negatives', () => {
  it.each(CLEAN)('finds nothing in %j', (text) => {
    expect(detect(text).map((span) => [span.type, text.slice(span.start, span.end)])).toEqual([]);
  });
});
