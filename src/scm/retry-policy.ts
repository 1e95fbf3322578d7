import type { HttpMethod } from './types.js';

export interface RetryOptions {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A longer `Retry-After` is cut to this. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: Readonly<RetryOptions> = {
  maxRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  maxRetryAfterMs: 60_000,
};

export function resolveRetryOptions(partial: Partial<RetryOptions> = {}): RetryOptions {
  const pick = (key: keyof RetryOptions) => {
    const value = partial[key];
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_RETRY[key];
  };
  return {
    maxRetries: Math.floor(pick('maxRetries')),
    baseDelayMs: pick('baseDelayMs'),
    maxDelayMs: pick('maxDelayMs'),
    maxRetryAfterMs: pick('maxRetryAfterMs'),
  };
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

// Failures where the request cannot have reached the server: safe to repeat even for POST.
// A connect timeout qualifies too: undici writes nothing before the connection (and TLS) is up.
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** A failure that proves the request never reached the server. */
export function neverSent(code: string): boolean {
  return NEVER_SENT_CODES.has(code);
}

// Failures after which the server may or may not have acted: safe to repeat only when idempotent.
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export interface Failure {
  /** HTTP status of an answer, when there was one. */
  status?: number;
  /** Error code of a failed connection, when there was no answer. */
  code?: string;
}

/**
 * Whether a failed attempt may be repeated. GET, PUT and DELETE: on 429/5xx and connection errors.
 * POST creates things, so only when it never left, or on 429: SCM rate-limits before it processes
 * anything, so a 429 proves nothing was created. `repeatable` marks a POST without side effects
 * (the token request).
 */
export function isRetryable(method: HttpMethod, failure: Failure, repeatable = false): boolean {
  // PATCH is not idempotent either (RFC 5789): retried like POST.
  const idempotent = repeatable || (method !== 'POST' && method !== 'PATCH');
  if (failure.status !== undefined) {
    return RETRY_STATUSES.has(failure.status) && (idempotent || failure.status === 429);
  }
  if (failure.code === undefined) return false;
  return NEVER_SENT_CODES.has(failure.code) || (idempotent && TRANSIENT_CODES.has(failure.code));
}

/** `Retry-After` as milliseconds from now (seconds or an HTTP date), or undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its day and month; Date.parse would also take "-5" as a year.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Delay before retry number `retry` (1-based): the server's Retry-After when given (capped),
 * else exponential backoff capped at maxDelayMs, minus up to 25% jitter so clients spread out.
 */
export function retryDelayMs(
  retry: number,
  opts: RetryOptions,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, opts.maxRetryAfterMs);
  const backoff = Math.min(opts.baseDelayMs * 2 ** (retry - 1), opts.maxDelayMs);
  return Math.round(backoff * (1 - 0.25 * random()));
}
