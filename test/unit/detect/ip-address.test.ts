import { describe, expect, it } from 'vitest';
import { found } from './helpers.js';

describe('IP address detection', () => {
  it.each([
    '192.168.1.20',
    '10.0.0.1',
    '8.8.8.8',
    '255.255.255.255',
    '2001:db8::1',
    'fe80::1ff:fe23:4567:890a',
    '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
    '::ffff:192.0.2.128',
  ])('finds %s', (ip) => {
    expect(found('IP_ADDRESS', ip)).toEqual([ip]);
    expect(found('IP_ADDRESS', `login from ${ip}, blocked`)).toEqual([ip]);
  });

  it('leaves the port and the prefix length out', () => {
    expect(found('IP_ADDRESS', 'server 192.168.1.20:8080 and net 10.0.0.0/8')).toEqual(['192.168.1.20', '10.0.0.0']);
    expect(found('IP_ADDRESS', 'ping fe80::1: no reply')).toEqual(['fe80::1']);
  });

  it.each([
    ['an octet over 255', '256.100.0.1'],
    ['leading zeros', '010.001.002.003'],
    ['five parts', '1.2.3.4.5'],
    ['a version number with a v', 'app v1.2.3.4'],
    ['a version number', 'version 10.0.0.1 is out'],
    ['a firmware build', 'firmware: 4.1.2.9'],
    ['a time', 'at 10:30:00'],
    ['a MAC address', '00:1A:2B:3C:4D:5E'],
    ['C++ scope', 'std::vector and a::b'],
    ['a date', '2024.05.01'],
    ['a price', '1.234.567,89 EUR'],
  ])('does not flag %s', (_what, text) => {
    expect(found('IP_ADDRESS', text)).toEqual([]);
  });
});

describe('user agents', () => {
  it('does not read a product version as an IPv4 address', async () => {
    const { detect } = await import('../../../src/detect/index.js');
    expect(detect('Mozilla/5.0 (X11) AppleWebKit/537.36 Chrome/124.0.0.0 Safari/537.36', { types: ['IP_ADDRESS'] })).toEqual([]);
    expect(detect('see http://192.168.1.20/admin', { types: ['IP_ADDRESS'] })).toHaveLength(1);
  });
});
