import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, isRetryable, parseRetryAfterMs, retryDelayMs } from '../../src/scm/retry-policy.js';

describe('isRetryable', () => {
  it.each([
    ['GET', 503, true],
    ['PUT', 500, true],
    ['DELETE', 504, true],
    ['GET', 429, true],
    ['POST', 429, true],
    ['POST', 503, false],
    ['POST', 500, false],
    ['GET', 501, false],
    ['GET', 404, false],
    ['GET', 401, false],
  ] as const)('%s answered %i -> %s', (method, status, expected) => {
    expect(isRetryable(method, { status })).toBe(expected);
  });

  it.each([
    ['POST', 'ECONNREFUSED', true],
    ['POST', 'ENOTFOUND', true],
    ['POST', 'EAI_AGAIN', true],
    ['POST', 'UND_ERR_CONNECT_TIMEOUT', true],
    ['POST', 'ECONNRESET', false],
    ['POST', 'UND_ERR_SOCKET', false],
    ['POST', 'UND_ERR_HEADERS_TIMEOUT', false],
    ['GET', 'ECONNRESET', true],
    ['DELETE', 'UND_ERR_HEADERS_TIMEOUT', true],
    ['GET', 'UND_ERR_ABORTED', false],
  ] as const)('%s failed with %s -> %s', (method, code, expected) => {
    expect(isRetryable(method, { code })).toBe(expected);
  });

  it('treats a repeatable POST like GET', () => {
    expect(isRetryable('POST', { status: 503 }, true)).toBe(true);
    expect(isRetryable('POST', { code: 'ECONNRESET' }, true)).toBe(true);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfterMs('1', now)).toBe(1000);
    expect(parseRetryAfterMs('0', now)).toBe(0);
    expect(parseRetryAfterMs('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfterMs('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs('-5', now)).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  it('backs off exponentially, capped, with up to 25% jitter', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, DEFAULT_RETRY, undefined, () => 0))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
    expect(retryDelayMs(1, DEFAULT_RETRY, undefined, () => 1)).toBe(375);
  });
  it('prefers Retry-After, capped at maxRetryAfterMs', () => {
    expect(retryDelayMs(3, DEFAULT_RETRY, 1000)).toBe(1000);
    expect(retryDelayMs(1, DEFAULT_RETRY, 3_600_000)).toBe(60_000);
  });
});
