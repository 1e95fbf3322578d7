import { dropNulls } from './drop-nulls.js';
import { redactedBody, ScmApiError, ScmTimeoutError } from './errors.js';
import { buildPath, buildQuery } from './path.js';
import { resolveRetryOptions, type RetryOptions } from './retry-policy.js';
import { TokenSource } from './token-source.js';
import {
  defaultSleep,
  type LazyDispatcher,
  type RawResponse,
  type SendContext,
  send,
  sharedAgent,
} from './transport.js';
import type { HttpMethod, ScmLogger, Sleep } from './types.js';

export interface ScmClientOptions {
  clientId: string;
  clientSecret: string;
  tsgId: string;
  /** Config API, e.g. https://api.sase.paloaltonetworks.com */
  apiUrl: string;
  /** Setup API (folders), e.g. https://api.strata.paloaltonetworks.com */
  setupUrl: string;
  /**
   * Upstream host (an operation's `base.host`, from its spec's `servers[0].url`) -> the configured URL its calls
   * go to. Default: the Prisma Access host to apiUrl, the Strata host to setupUrl.
   */
  hosts?: Record<string, string>;
  authUrl: string;
  retry?: Partial<RetryOptions>;
  /** Per attempt: headers and then each body chunk must arrive within this (default 60 s). */
  timeoutMs?: number;
  /** The whole call, token fetch, attempts and waits between retries included (default 60 s). */
  callTimeoutMs?: number;
  userAgent?: string;
  /** A dispatcher, or a function giving one on the first request. */
  dispatcher?: LazyDispatcher;
  /** Connections per host in the shared pool (ignored with `dispatcher`); default 64. */
  maxConnections?: number;
  sleep?: Sleep;
  logger?: ScmLogger;
  /** Clock for token expiry and Retry-After dates. */
  now?: () => number;
}

export interface ScmRequest {
  method: HttpMethod;
  /** Template such as `/sse/config/v1/addresses/{id}`. */
  path: string;
  pathParams?: Record<string, string | number>;
  query?: Record<string, unknown>;
  body?: unknown;
  base?: 'api' | 'setup';
  /** The operation's upstream host (IR `base.host`): wins over `base`, mapped through `hosts`. */
  host?: string;
  /** Key such as `address.create`, used in messages. */
  operation?: string;
  /** Another TSG the service account may reach; default the configured one. */
  tsgId?: string;
  signal?: AbortSignal;
}

export interface ScmResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, else the raw text, else undefined when empty. */
  body: unknown;
  requestId?: string;
  /** Said to the caller and the audit log when the answer is not what the status alone suggests. */
  note?: string;
}

export const ALREADY_DELETED =
  'already deleted by the earlier attempt: its answer was lost (connection dropped), and the retry found the object gone (404)';

interface Base {
  origin: string;
  prefix: string;
}

function toBase(url: string, name: string): Base {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`${name} is not a valid URL: ${url}`);
  }
  return { origin: parsed.origin, prefix: parsed.pathname.replace(/\/+$/, '') };
}

/** The upstream hosts the specs name, each sent to a configured URL. */
export const UPSTREAM_HOSTS = {
  prismaAccess: 'https://api.sase.paloaltonetworks.com',
  strata: 'https://api.strata.paloaltonetworks.com',
} as const;

const defaultHosts = (apiUrl: string, setupUrl: string): Record<string, string> => ({
  [UPSTREAM_HOSTS.prismaAccess]: apiUrl,
  [UPSTREAM_HOSTS.strata]: setupUrl,
});

/** The SCM configuration API over undici: bearer tokens, retries, and errors that say what to do. */
export class ScmClient {
  readonly tokens: TokenSource;
  readonly #bases: Record<'api' | 'setup', Base>;
  readonly #hosts: Map<string, Base>;
  readonly #timeoutMs: number;
  readonly #callTimeoutMs: number;
  readonly #userAgent: string;
  readonly #ctx: SendContext;

  constructor(opts: ScmClientOptions) {
    this.#bases = { api: toBase(opts.apiUrl, 'apiUrl'), setup: toBase(opts.setupUrl, 'setupUrl') };
    const hosts = { ...defaultHosts(opts.apiUrl, opts.setupUrl), ...opts.hosts };
    this.#hosts = new Map(Object.entries(hosts).map(([host, url]) => [host, toBase(url, `hosts[${host}]`)]));
    this.#timeoutMs = opts.timeoutMs ?? 60_000;
    this.#callTimeoutMs = opts.callTimeoutMs ?? 60_000;
    this.#userAgent = opts.userAgent ?? 'prisma-access-mcp';
    const now = opts.now ?? Date.now;
    this.#ctx = {
      dispatcher: opts.dispatcher ?? (() => sharedAgent(opts.maxConnections)),
      retry: resolveRetryOptions(opts.retry),
      sleep: opts.sleep ?? defaultSleep,
      now,
      logger: opts.logger,
    };
    this.tokens = new TokenSource({
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      tsgId: opts.tsgId,
      authUrl: opts.authUrl,
      now,
      dispatcher: this.#ctx.dispatcher,
      timeoutMs: Math.min(this.#timeoutMs, 30_000),
      // A fetch shared by waiting calls ends too: never longer than one call may wait.
      deadlineMs: this.#callTimeoutMs,
      userAgent: this.#userAgent,
      retry: this.#ctx.retry,
      sleep: this.#ctx.sleep,
      ...(opts.logger ? { logger: opts.logger } : {}),
    });
  }

  /**
   * Sends one call; resolves on 2xx, throws ScmApiError, TokenError, ScmNetworkError, or ScmTimeoutError
   * when the call's deadline passes (token fetch and retries included).
   */
  async request(req: ScmRequest): Promise<ScmResponse> {
    const deadline = AbortSignal.timeout(this.#callTimeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    const phase = { waitingFor: 'token' as 'token' | 'api' };
    try {
      return await this.#request(req, signal, phase);
    } catch (err) {
      if (deadline.aborted && !req.signal?.aborted) {
        throw new ScmTimeoutError({
          operation: req.operation ?? `${req.method} ${req.path}`,
          deadlineMs: this.#callTimeoutMs,
          waitingFor: phase.waitingFor,
        });
      }
      throw err;
    }
  }

  async #request(
    req: ScmRequest,
    signal: AbortSignal,
    phase: { waitingFor: 'token' | 'api' },
  ): Promise<ScmResponse> {
    const base = req.host !== undefined ? this.#hostBase(req.host, req) : this.#bases[req.base ?? 'api'];
    const path = `${base.prefix}${buildPath(req.path, req.pathParams)}${buildQuery(req.query)}`;
    const operation = req.operation ?? `${req.method} ${req.path}`;
    const body = req.body === undefined ? undefined : JSON.stringify(dropNulls(req.body));
    const tsgId = req.tsgId ?? this.tokens.defaultTsgId;
    const started = this.#ctx.now();

    let token = await this.tokens.getToken(tsgId, signal);
    phase.waitingFor = 'api';
    let res = await this.#send(base, path, req, body, token, operation, signal);
    if (res.status === 401) {
      // Tokens can be revoked or expire early: one fresh token, one more try.
      this.tokens.invalidate(token);
      phase.waitingFor = 'token';
      token = await this.tokens.getToken(tsgId, signal);
      phase.waitingFor = 'api';
      res = await this.#send(base, path, req, body, token, operation, signal);
    }

    const answer = redactedBody(res.text);
    const parsed = answer.parsed;
    const bodyRequestId =
      parsed !== null && typeof parsed === 'object'
        ? (parsed as { _request_id?: unknown })._request_id
        : undefined;
    const requestId = typeof bodyRequestId === 'string' ? bodyRequestId : res.headers['x-request-id'];
    this.#ctx.logger?.debug(`${req.method} ${path} -> ${res.status}`, {
      operation,
      status: res.status,
      attempts: res.attempts,
      ms: this.#ctx.now() - started,
      requestId,
    });
    if (req.method === 'DELETE' && res.status === 404 && res.retriedAfterLostAnswer) {
      // The first attempt deleted it; only its answer was lost. Never for a 404 on a first attempt.
      this.#ctx.logger?.warn(`${operation}: ${ALREADY_DELETED}`, { operation, requestId });
      return {
        status: res.status,
        headers: res.headers,
        body: { deleted: true, note: ALREADY_DELETED },
        note: ALREADY_DELETED,
        ...(requestId ? { requestId } : {}),
      };
    }
    if (res.status < 200 || res.status >= 300) {
      throw new ScmApiError({
        status: res.status,
        text: answer.text,
        operation,
        ...(requestId ? { requestId } : {}),
      });
    }
    const out: ScmResponse = { status: res.status, headers: res.headers, body: parsed };
    if (requestId) out.requestId = requestId;
    return out;
  }

  #hostBase(host: string, req: ScmRequest): Base {
    const base = this.#hosts.get(host.replace(/\/+$/, ''));
    // Never send a token to a host nobody configured.
    if (!base)
      throw new TypeError(
        `no URL is configured for the upstream host ${host} of ${req.operation ?? req.path}: known hosts are ${[...this.#hosts.keys()].join(', ')}`,
      );
    return base;
  }

  #send(
    base: Base,
    path: string,
    req: ScmRequest,
    body: string | undefined,
    token: string,
    operation: string,
    signal: AbortSignal,
  ): Promise<RawResponse> {
    // No x-panw-region: /sse/config/v1 fails when it is present.
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      'user-agent': this.#userAgent,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return send(this.#ctx, {
      origin: base.origin,
      path,
      method: req.method,
      headers,
      body,
      signal,
      timeoutMs: this.#timeoutMs,
      operation,
    });
  }
}
