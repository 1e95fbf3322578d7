import { describe, expect, it } from 'vitest';
import { redactedBody } from '../../src/scm/errors.js';
import { registerSecret } from '../../src/secrets.js';

// Every upstream answer passes here before anything reads it: an echoed secret never gets further.
describe('redactedBody', () => {
  const secret = 'echoed-client-secret-0123';
  registerSecret(secret);

  it('redacts a secret echoed verbatim, escaped with \\u, or in a key', () => {
    const plain = redactedBody(JSON.stringify({ detail: `bad secret ${secret}` }));
    expect(plain.parsed).toEqual({ detail: 'bad secret [redacted]' });
    expect(plain.text).not.toContain(secret);
    const escaped = `{"detail":"${secret.replace(/e/g, '\\u0065')}"}`;
    expect(redactedBody(escaped).parsed).toEqual({ detail: '[redacted]' });
    expect(redactedBody(`{"${secret}":1}`).parsed).toEqual({ '[redacted]': 1 });
  });

  it('gives a clean answer back as it came, with and without escapes', () => {
    expect(redactedBody('{"data":[{"name":"web","ip":"10.0.0.1/32"}],"total":1}').parsed).toEqual({
      data: [{ name: 'web', ip: '10.0.0.1/32' }],
      total: 1,
    });
    expect(redactedBody('{"name":"a\\"b"}').parsed).toEqual({ name: 'a"b' });
    expect(redactedBody('not json').parsed).toBe('not json');
  });
});
