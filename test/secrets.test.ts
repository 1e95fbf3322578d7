import { describe, expect, it } from 'vitest';
import { redactDeep, redactSecrets, registerSecret, unregisterSecret } from '../src/secrets.js';

const S = 'Zq"9\\k/é+Secret&=';

describe('redactSecrets: one implementation, every form', () => {
  registerSecret(S);
  const forms: [string, string][] = [
    ['raw', S],
    ['JSON-escaped', JSON.stringify(S).slice(1, -1)],
    ['\\u-escaped', JSON.stringify(S).slice(1, -1).replace(/é/g, '\\u00e9')],
    ['JSON inside JSON', JSON.stringify(JSON.stringify(S).slice(1, -1)).slice(1, -1)],
    ['URL-encoded', encodeURIComponent(S)],
    ['form-encoded, lower-case hex', encodeURIComponent(S).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
  ];
  it.each(forms)('hides the %s form', (_, form) => {
    expect(redactSecrets(`before ${form} after`)).toBe('before [redacted] after');
  });

  it.each([0, 1, 2, 3])('hides it inside base64 and base64url at any alignment (%i bytes before)', (lead) => {
    const blob = Buffer.from(`${'p'.repeat(lead)}${S}tail`);
    for (const enc of ['base64', 'base64url'] as const) {
      const out = redactSecrets(blob.toString(enc));
      expect(out).toContain('[redacted]');
      for (let i = 0; i < 4; i++) expect(Buffer.from(out.slice(i), 'base64').toString()).not.toContain(S);
    }
  });

  it('walks values, keys included, and ignores values too short to be secrets', () => {
    expect(redactDeep({ [S]: [{ v: `x${S}` }], n: 1 })).toEqual({
      '[redacted]': [{ v: 'x[redacted]' }],
      n: 1,
    });
    registerSecret('short');
    expect(redactSecrets('a short word')).toBe('a short word');
  });

  it.each(forms)('finds the %s form deep in a value, in a value or a key', (_, form) => {
    const out = JSON.stringify(redactDeep({ list: [{ a: 1, v: `x ${form} y` }], [`k${form}`]: true }));
    expect(out).not.toContain(form);
    expect(out).toContain('x [redacted] y');
    expect(out).toContain('"k[redacted]":true');
  });

  it('returns a value holding no secret as it is, and still redacts values JSON cannot serialize', () => {
    const clean = { data: [{ name: 'web', ip: '10.0.0.1' }], total: 1 };
    expect(redactDeep(clean)).toBe(clean);
    expect(redactDeep({ big: 1n, s: { again: `${S}!` } })).toEqual({ big: 1n, s: { again: '[redacted]!' } });
  });

  it('forgets an unregistered value', () => {
    const t = 'temporary-token-value-123';
    registerSecret(t);
    expect(redactSecrets(t)).toBe('[redacted]');
    unregisterSecret(t);
    expect(redactSecrets(t)).toBe(t);
  });
});
