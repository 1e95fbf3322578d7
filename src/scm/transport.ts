import { setTimeout as delay } from 'node:timers/promises';
import type { Agent, Dispatcher, RetryHandler } from 'undici';
import { errorCodeOf, ScmNetworkError } from './errors.js';
import {
  type Failure,
  isRetryable,
  neverSent,
  parseRetryAfterMs,
  type RetryOptions,
  retryDelayMs,
} from './retry-policy.js';
import type { HttpMethod, ScmLogger, Sleep } from './types.js';

// Enough for the in-flight cap of the stdio transport plus token fetches; SCM documents no rate limit
// but answers 429 under load, which the retry policy absorbs, so more sockets would only queue there.
export const DEFAULT_MAX_CONNECTIONS = 64;

// Loaded on the first request, not at start: undici is most of a cold start's module loading (issue 14).
type Undici = typeof import('undici');
let undici: Promise<Undici> | undefined;
// A CommonJS package: Node's loader gives named exports, a bundle's chunk only the default (module.exports).
const loadUndici = () =>
  (undici ??= import('undici').then((m) => ((m as { default?: Undici }).default ?? m) as Undici));

const shared = new Map<number, Promise<Agent>>();

/** One keep-alive pool per size for every client in the process (token and API hosts alike), made on first use. */
export function sharedAgent(connections: number = DEFAULT_MAX_CONNECTIONS): Promise<Agent> {
  let agent = shared.get(connections);
  if (!agent) {
    agent = loadUndici().then(
      ({ Agent }) =>
        new Agent({
          keepAliveTimeout: 10_000,
          keepAliveMaxTimeout: 60_000,
          // Per origin: the API, setup and token hosts each get this many.
          connections,
          connect: { timeout: 10_000 },
        }),
    );
    shared.set(connections, agent);
  }
  return agent;
}

/** A dispatcher, or how to get one when the first request needs it (the shared pool). */
export type LazyDispatcher = Dispatcher | (() => Promise<Dispatcher>);

export const defaultSleep: Sleep = async (ms, signal) => {
  await delay(ms, undefined, signal ? { signal } : undefined);
};

export interface SendContext {
  dispatcher: LazyDispatcher;
  retry: RetryOptions;
  sleep: Sleep;
  now: () => number;
  logger?: ScmLogger | undefined;
}

export interface SendInput {
  /** `https://host[:port]`, no path. */
  origin: string;
  /** Already encoded path and query; sent as is. */
  path: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs: number;
  /** Names the call in logs and errors, e.g. `address.create`. */
  operation: string;
  /** A POST that is safe to repeat (no side effects). */
  repeatable?: boolean;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  attempts: number;
  /** An earlier attempt lost its connection after the request may have been processed. */
  retriedAfterLostAnswer: boolean;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * Sends one request through undici's RetryAgent, with our retry rules in its `retry` callback.
 * A RetryAgent per call so the callback sees this call's signal, method and attempt count.
 * With throwOnError off, the last answer (body included) comes back when retries run out.
 */
export async function send(ctx: SendContext, input: SendInput): Promise<RawResponse> {
  let attempts = 1;
  let retriedAfterLostAnswer = false;
  const retry: RetryHandler.RetryCallback = (err, _state, done) => {
    const statusCode = (err as { statusCode?: unknown }).statusCode;
    const failure: Failure =
      typeof statusCode === 'number' ? { status: statusCode } : { code: errorCodeOf(err) ?? 'unknown' };
    if (
      input.signal?.aborted ||
      attempts > ctx.retry.maxRetries ||
      !isRetryable(input.method, failure, input.repeatable)
    ) {
      done(err);
      return;
    }
    const headers = (err as { headers?: Record<string, string | string[] | undefined> }).headers;
    const retryAfter = headers?.['retry-after'];
    const retryAfterMs =
      failure.status !== undefined
        ? parseRetryAfterMs(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, ctx.now())
        : undefined;
    const ms = retryDelayMs(attempts, ctx.retry, retryAfterMs);
    ctx.logger?.warn(
      `retrying ${input.operation} after ${failure.status ?? failure.code} in ${ms} ms (retry ${attempts} of ${ctx.retry.maxRetries})`,
      {
        operation: input.operation,
        status: failure.status,
        code: failure.code,
        delayMs: ms,
        retry: attempts,
      },
    );
    attempts++;
    if (failure.code !== undefined && !neverSent(failure.code)) retriedAfterLostAnswer = true;
    ctx.sleep(ms, input.signal).then(
      () => done(input.signal?.aborted ? (input.signal.reason ?? err) : null),
      (sleepErr: unknown) => done(sleepErr instanceof Error ? sleepErr : err),
    );
  };

  const { RetryAgent } = await loadUndici();
  const base = typeof ctx.dispatcher === 'function' ? await ctx.dispatcher() : ctx.dispatcher;
  const dispatcher = new RetryAgent(base, { throwOnError: false, retry });
  try {
    // dispatcher.request with origin + path, not request(url): WHATWG URL parsing would turn %2E%2E back into "..".
    const res = await dispatcher.request({
      origin: input.origin,
      path: input.path,
      method: input.method,
      headers: input.headers,
      body: input.body ?? null,
      signal: input.signal ?? null,
      headersTimeout: input.timeoutMs,
      bodyTimeout: input.timeoutMs,
    });
    const text = await res.body.text();
    return {
      status: res.statusCode,
      headers: flattenHeaders(res.headers),
      text,
      attempts,
      retriedAfterLostAnswer,
    };
  } catch (err) {
    if (input.signal?.aborted) throw input.signal.reason ?? err;
    // Bad arguments are bugs in the caller, not network trouble.
    if (errorCodeOf(err) === 'UND_ERR_INVALID_ARG') throw err;
    throw new ScmNetworkError({ operation: input.operation, attempts, cause: err });
  }
}
