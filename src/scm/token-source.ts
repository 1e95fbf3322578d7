import { registerSecret, unregisterSecret } from '../secrets.js';
import { redactedBody, TokenError } from './errors.js';
import { resolveRetryOptions, type RetryOptions } from './retry-policy.js';
import { defaultSleep, type LazyDispatcher, type SendContext, send, sharedAgent } from './transport.js';
import type { ScmLogger, Sleep } from './types.js';

export interface TokenSourceOptions {
  clientId: string;
  clientSecret: string;
  /** The TSG used when getToken() is called without one. */
  tsgId: string;
  authUrl: string;
  /** Refresh this long before expiry (default 5 minutes). */
  refreshSkewMs?: number;
  now?: () => number;
  dispatcher?: LazyDispatcher;
  timeoutMs?: number;
  /** A whole fetch, retries included, ends after this (default 60 s). */
  deadlineMs?: number;
  userAgent?: string;
  retry?: Partial<RetryOptions>;
  sleep?: Sleep;
  logger?: ScmLogger;
}

interface CachedToken {
  token: string;
  refreshAt: number;
}

// Tokens kept registered for redaction per source: the live ones and a few just replaced.
const MAX_REGISTERED_TOKENS = 16;

const DEFAULT_REFRESH_SKEW_MS = 5 * 60_000;
// SCM tokens live 15 minutes; used only if the answer omits expires_in.
const DEFAULT_LIFETIME_MS = 900_000;

function lifetimeMs(expiresIn: unknown): number {
  const seconds = typeof expiresIn === 'string' ? Number(expiresIn) : expiresIn;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
    ? seconds * 1000
    : DEFAULT_LIFETIME_MS;
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * OAuth2 client-credentials tokens of one service account, cached per TSG.
 * One fetch in flight per TSG however many callers wait: the token endpoint allows about 10
 * concurrent requests per tenant. Share one instance per service account.
 */
export class TokenSource {
  readonly clientId: string;
  readonly defaultTsgId: string;
  readonly #basic: string;
  readonly #origin: string;
  readonly #path: string;
  readonly #refreshSkewMs: number;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  readonly #deadlineMs: number;
  readonly #userAgent: string;
  readonly #ctx: SendContext;
  readonly #cache = new Map<string, CachedToken>();
  readonly #inflight = new Map<string, Promise<CachedToken>>();
  /** Tokens this source has registered as secrets, with when each expires. */
  readonly #issued = new Map<string, number>();

  constructor(opts: TokenSourceOptions) {
    if (!opts.clientId || !opts.clientSecret) throw new TypeError('clientId and clientSecret are required');
    if (!opts.tsgId) throw new TypeError('tsgId is required');
    const url = new URL(opts.authUrl);
    this.clientId = opts.clientId;
    this.defaultTsgId = opts.tsgId;
    registerSecret(opts.clientSecret);
    // SCM wants the raw id and secret in Basic (ids contain '@', which form-encoding would mangle).
    this.#basic = Buffer.from(`${opts.clientId}:${opts.clientSecret}`).toString('base64');
    this.#origin = url.origin;
    this.#path = `${url.pathname}${url.search}`;
    this.#refreshSkewMs = opts.refreshSkewMs ?? DEFAULT_REFRESH_SKEW_MS;
    this.#now = opts.now ?? Date.now;
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
    this.#deadlineMs = opts.deadlineMs ?? 60_000;
    this.#userAgent = opts.userAgent ?? 'prisma-access-mcp';
    this.#ctx = {
      dispatcher: opts.dispatcher ?? (() => sharedAgent()),
      retry: resolveRetryOptions(opts.retry),
      sleep: opts.sleep ?? defaultSleep,
      now: this.#now,
      logger: opts.logger,
    };
  }

  /**
   * A bearer token for `tsgId` (default: the configured TSG), fetched only when missing or near expiry.
   * `signal` ends this caller's wait; the fetch itself, shared with other callers, goes on.
   */
  async getToken(tsgId: string = this.defaultTsgId, signal?: AbortSignal): Promise<string> {
    const cached = this.#cache.get(tsgId);
    if (cached && this.#now() < cached.refreshAt) return cached.token;
    let pending = this.#inflight.get(tsgId);
    if (!pending) {
      pending = this.#fetch(tsgId).finally(() => this.#inflight.delete(tsgId));
      this.#inflight.set(tsgId, pending);
    }
    return (await untilAborted(pending, signal)).token;
  }

  /** Forgets `token` (the API answered 401 to it), unless it has already been replaced. */
  invalidate(token: string): void {
    for (const [tsgId, cached] of this.#cache) {
      if (cached.token === token) this.#cache.delete(tsgId);
    }
  }

  /** Registers a new token for redaction, and forgets expired ones (and the oldest past the bound). */
  #remember(token: string, expiresAt: number): void {
    const now = this.#now();
    for (const [t, expiry] of this.#issued) {
      if (expiry <= now || this.#issued.size >= MAX_REGISTERED_TOKENS) {
        this.#issued.delete(t);
        unregisterSecret(t);
      }
    }
    this.#issued.set(token, expiresAt);
    registerSecret(token);
  }

  async #fetch(tsgId: string): Promise<CachedToken> {
    const started = this.#now();
    const res = await send(this.#ctx, {
      origin: this.#origin,
      path: this.#path,
      method: 'POST',
      headers: {
        authorization: `Basic ${this.#basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'user-agent': this.#userAgent,
      },
      body: `grant_type=client_credentials&scope=tsg_id:${encodeURIComponent(tsgId)}`,
      timeoutMs: this.#timeoutMs,
      signal: AbortSignal.timeout(this.#deadlineMs),
      operation: 'token.fetch',
      // Asking for a token again has no side effect.
      repeatable: true,
    });
    if (res.status < 200 || res.status >= 300) {
      throw new TokenError({
        status: res.status,
        text: redactedBody(res.text).text,
        tsgId,
      });
    }
    let body: { access_token?: unknown; expires_in?: unknown } | undefined;
    try {
      body = JSON.parse(res.text) as typeof body;
    } catch {
      body = undefined;
    }
    const token = body?.access_token;
    if (typeof token !== 'string' || token === '') {
      // Never echo a 2xx body: it may hold a token under another name.
      throw new TokenError({ status: res.status, text: 'no access_token in the answer', tsgId });
    }
    const lifetime = lifetimeMs(body?.expires_in);
    // A token shorter-lived than the skew would otherwise be refetched on every call.
    const skew = Math.min(this.#refreshSkewMs, lifetime / 2);
    const entry = { token, refreshAt: started + lifetime - skew };
    this.#remember(token, started + lifetime);
    this.#cache.set(tsgId, entry);
    this.#ctx.logger?.debug(`token fetched for TSG ${tsgId}`, { tsgId, expiresInMs: lifetime });
    return entry;
  }
}
