import { describe, expect, it } from 'vitest';
import { malformedValues, subjectName } from '../../../src/init/subjects.js';

describe('malformedValues', () => {
  it('counts the sampled phones libphonenumber rejects, and those find still reaches by their digits', () => {
    const phones = ['+44 20 7946 0958', '+1 (514) 555-0111', '+453 3331 9991', '+91 0124 39883988', '12-34', '', '  ', null];
    expect(malformedValues('phone', phones)).toEqual({ sampled: 5, invalid: 3, findable: 2 });
    // Numbers as an integer column holds them are read as text.
    expect(malformedValues('phone', [442079460958, 4530]).sampled).toBe(2);
  });

  it('counts the sampled e-mail addresses that are none', () => {
    expect(malformedValues('email', ['ann.lee@example.com', 'n/a', 'bob@', null, 'cy.lam@example.net'])).toEqual({ sampled: 4, invalid: 2, findable: 0 });
  });
});

describe('subjectName', () => {
  it('names a subject after its table, in the singular', () => {
    expect(subjectName('Customer')).toBe('customer');
    expect(subjectName('users')).toBe('user');
    expect(subjectName('companies')).toBe('company');
    expect(subjectName('staff_address')).toBe('staff_address');
  });
});
