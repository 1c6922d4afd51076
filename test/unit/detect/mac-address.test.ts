import { describe, expect, it } from 'vitest';
import { found } from './helpers.js';

describe('MAC address detection', () => {
  it.each(['00:1A:2B:3C:4D:5E', '00-1a-2b-3c-4d-5e', '001a.2b3c.4d5e'])('finds %s', (mac) => {
    expect(found('MAC_ADDRESS', `the router shows ${mac} as blocked`)).toEqual([mac]);
  });

  it.each([
    ['mixed separators', '00:1A-2B:3C:4D:5E'],
    ['seven groups', '00:1A:2B:3C:4D:5E:6F'],
    ['all zeros', '00:00:00:00:00:00'],
    ['digits only without context', 'code 12-34-56-78-90-12'],
    ['a time', '10:30:45'],
  ])('does not flag %s', (_what, text) => {
    expect(found('MAC_ADDRESS', text)).toEqual([]);
  });

  it('takes a digits-only MAC when the text says so', () => {
    expect(found('MAC_ADDRESS', 'MAC address 12-34-56-78-90-12')).toEqual(['12-34-56-78-90-12']);
  });
});
