import { describe, expect, it } from 'vitest';
import { createLogger, redactSecrets, registerSecret } from '../src/log.js';

describe('logging', () => {
  it('never prints a registered secret, raw or JSON-escaped', () => {
    const secret = 'p@ss"word\\with-quote';
    registerSecret(secret);
    const lines: string[] = [];
    const log = createLogger('debug', (l) => lines.push(l));
    log.error(`token fetch failed for ${secret}`, { body: secret });
    const text = lines.join('');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(redactSecrets(JSON.stringify({ secret }))).toBe('{"secret":"[redacted]"}');
  });

  it('writes nothing below its level', () => {
    const lines: string[] = [];
    const log = createLogger('warn', (l) => lines.push(l));
    log.info('quiet');
    log.warn('loud');
    expect(lines).toEqual(['prisma-access-mcp warn: loud\n']);
  });
});
