import { describe, expect, it } from 'vitest';
import { quasiIdentifierVerdict, readQuasiIdentifier, type QuasiContext } from '../../../src/init/quasi-identifiers.js';

const customer: QuasiContext = { table: 'Customer', people: true, hasAddress: true };
const invoice: QuasiContext = { table: 'Invoice', people: false, hasAddress: true };
const orders: QuasiContext = { table: 'orders', people: false, hasAddress: false };

describe('readQuasiIdentifier', () => {
  it.each<[string, QuasiContext, string]>([
    ['Company', customer, 'company'],
    ['employer', customer, 'company'],
    ['State', customer, 'region'],
    ['province', customer, 'region'],
    ['Country', customer, 'country'],
    ['country_code', customer, 'country'],
    ['HireDate', customer, 'employment_date'],
    ['date_hired', customer, 'employment_date'],
    ['Title', customer, 'job'],
    ['job_title', customer, 'job'],
    ['BillingState', invoice, 'region'],
    ['BillingCountry', invoice, 'country'],
    ['shipping_country', orders, 'country'],
    ['customer_company', orders, 'company'],
  ])('reads %s as a quasi-identifier', (name, context, kind) => {
    expect(readQuasiIdentifier(name, context)?.kind).toBe(kind);
  });

  it.each<[string, QuasiContext]>([
    // A state without an address beside it is a status; an order's state is one anyway.
    ['state', orders],
    ['order_state', invoice],
    ['status', customer],
    // A title is a job's only in a table of people: elsewhere a ticket's or an album's.
    ['Title', invoice],
    // Keys and facts about the thing, not the thing.
    ['CountryId', customer],
    ['company_id', customer],
    ['phone_country', customer],
    ['product_country', invoice],
    ['FirstName', customer],
  ])('does not read %s as one', (name, context) => {
    expect(readQuasiIdentifier(name, context)).toBeUndefined();
  });

  it('makes a verdict that says where the column stands and why it counts', () => {
    const verdict = quasiIdentifierVerdict('HireDate', readQuasiIdentifier('HireDate', customer)!, customer);
    expect(verdict).toMatchObject({ personal: true, kind: 'employment_date', category: 'employment' });
    expect(verdict.reason).toBe('name "HireDate" means a date of hire, in a table of people (Customer): with other facts it can single a person out');
    expect(quasiIdentifierVerdict('BillingState', readQuasiIdentifier('BillingState', invoice)!, invoice).reason).toMatch(/in rows that belong to a person/);
  });
});
