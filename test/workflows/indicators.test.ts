import { describe, expect, it } from 'vitest';
import { classifyIndicators, keyOfAddress, objectNameFor } from '../../src/workflows/indicators.js';

describe('classifyIndicators: given -> normalised', () => {
  it.each([
    ['203.0.113.7', 'ip', '203.0.113.7', 'ip_netmask'],
    [' 203.0.113.8/32 ', 'ip', '203.0.113.8', 'ip_netmask'],
    ['198.51.100.77/24', 'cidr', '198.51.100.0/24', 'ip_netmask'],
    ['2001:DB8:0:0:0:0:0:1', 'ip', '2001:db8::1', 'ip_netmask'],
    ['2001:db8:abcd::/48', 'cidr', '2001:db8:abcd::/48', 'ip_netmask'],
    ['::ffff:192.0.2.1', 'ip', '::ffff:c000:201', 'ip_netmask'],
    ['192.0.2.1 - 192.0.2.9', 'range', '192.0.2.1-192.0.2.9', 'ip_range'],
    ['Evil.Example.COM.', 'fqdn', 'evil.example.com', 'fqdn'],
    ['bücher.example', 'fqdn', 'xn--bcher-kva.example', 'fqdn'],
    ['https://Evil.Example.com/Login?x=1#frag', 'url', 'evil.example.com/Login', undefined],
    ['http://evil.example.com/', 'url', 'evil.example.com', undefined],
    ['evil.example.com/path/a', 'url', 'evil.example.com/path/a', undefined],
    ['*.evil.example', 'url', '*.evil.example', undefined],
  ])('%s -> %s %s', (given, kind, value, field) => {
    const c = classifyIndicators([given]);
    expect(c.invalid).toEqual([]);
    expect(c.refused).toEqual([]);
    expect(c.valid[0]).toMatchObject({ input: given, kind, value });
    expect(c.valid[0]!.addressField).toBe(field);
  });

  it.each([
    ['999.1.1.1', /IP/],
    ['10.0.0.0/33', /longer than \/32/],
    ['192.0.2.9-192.0.2.1', /ends before it starts/],
    ['192.0.2.1-2001:db8::1', /mixes IPv4 and IPv6/],
    ['ftp://evil.example/x', /scheme ftp/],
    ['https://user:pw@evil.example/', /credentials/],
    ['-bad-.example', /not an IP, CIDR/],
    ['evil .example', /spaces/],
    ['', /empty/],
  ])('%s is invalid, with why', (given, why) => {
    const c = classifyIndicators([given]);
    expect(c.valid).toEqual([]);
    expect(c.invalid).toEqual([{ input: given, reason: expect.stringMatching(why) }]);
  });

  it.each(['0.0.0.0/0', '::/0', '10.0.0.0/15', '2001:db8::/47', '*', 'com', '*.com', '10.0.0.0-10.2.0.0'])(
    '%s is refused as broad unless allow_broad',
    (given) => {
      const c = classifyIndicators([given]);
      expect(c.valid).toEqual([]);
      expect(c.refused).toEqual([{ input: given, reason: expect.stringMatching(/allow_broad/) }]);
      const allowed = classifyIndicators([given], { allowBroad: true });
      expect(allowed.valid).toHaveLength(1);
      expect(allowed.refused).toEqual([]);
    },
  );

  it.each([
    ['10.1.2.3', /private/],
    ['127.0.0.1', /loopback/],
    ['169.254.1.1', /link-local/],
    ['fe80::1', /link-local/],
    ['192.168.1.0/24', /private/],
    ['10.1.2.3/24', /host bits set: normalised to 10.1.2.0\/24/],
  ])('%s is blocked with a warning', (given, warning) => {
    const c = classifyIndicators([given]);
    expect(c.valid[0]!.warnings).toEqual(expect.arrayContaining([expect.stringMatching(warning)]));
  });

  it('reports duplicates by normalised value, keeping the first', () => {
    const c = classifyIndicators([
      '203.0.113.7',
      '203.0.113.7/32',
      'EVIL.example',
      'evil.example',
      'x.example',
    ]);
    expect(c.valid.map((i) => i.input)).toEqual(['203.0.113.7', 'EVIL.example', 'x.example']);
    expect(c.duplicates).toEqual([
      { input: '203.0.113.7/32', same_as: '203.0.113.7' },
      { input: 'evil.example', same_as: 'EVIL.example' },
    ]);
  });

  it('never stops the batch for bad ones', () => {
    const c = classifyIndicators(['nope nope', 1 as unknown as string, '203.0.113.1', '0.0.0.0/0']);
    expect(c.valid.map((i) => i.value)).toEqual(['203.0.113.1']);
    expect(c.invalid.map((i) => i.input)).toEqual(['nope nope', '1']);
    expect(c.refused.map((i) => i.input)).toEqual(['0.0.0.0/0']);
  });
});

describe('object names', () => {
  it('are deterministic, valid and at most 63 characters, distinct for distinct values', () => {
    const values = [
      ['ip', '203.0.113.7'],
      ['cidr', '2001:db8::/64'],
      ['ip', '2001:db8::64'],
      ['range', '192.0.2.1-192.0.2.9'],
      ['fqdn', `${'a'.repeat(60)}.${'b'.repeat(60)}.example`],
      ['fqdn', `${'a'.repeat(60)}.${'b'.repeat(60)}.example2`],
    ] as const;
    const names = values.map(([k, v]) => objectNameFor(k, v));
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) {
      expect(n.length).toBeLessThanOrEqual(63);
      expect(n).toMatch(/^[A-Za-z0-9._-]+$/);
    }
    expect(objectNameFor('ip', '203.0.113.7')).toBe('ioc-ip-203.0.113.7');
    expect(objectNameFor('cidr', '198.51.100.0/24')).toBe('ioc-net-198.51.100.0--24');
    expect(names).toEqual(values.map(([k, v]) => objectNameFor(k, v)));
  });
});

describe('keyOfAddress', () => {
  it('matches existing objects however their value is written', () => {
    const [ip] = classifyIndicators(['203.0.113.7']).valid;
    expect(keyOfAddress({ ip_netmask: '203.0.113.7/32' })).toBe(ip!.key);
    expect(keyOfAddress({ fqdn: 'Evil.Example' })).toBe('fqdn:evil.example');
    expect(keyOfAddress({ ip_wildcard: '10.0.0.0/0.0.255.255' })).toBeUndefined();
  });
});
