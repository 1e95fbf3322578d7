import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleCall } from './api.js';
import type { TokenIssuer } from './auth.js';
import type { Core, Reply } from './context.js';
import { ApiError, badRequest, errorBody, methodNotSupported, notPresent } from './errors.js';
import type { FaultInjector } from './faults.js';
import type { RecordedRequest } from './options.js';
import { matchRoute } from './routes.js';
import { JWKS_PATH } from './jwt.js';
import { handleSetup, isSetupRead } from './setup.js';
import { isConfigApiPath } from './unified-paths.js';

// The tenancy API (TSG tree); the simulated tenants share one configuration.
const TENANCY_PATH = '/tenancy/v1/tenant_service_groups';
const TOKEN_PATHS = new Set(['/oauth2/access_token', '/am/oauth2/access_token']);
const MAX_BODY = 10 * 1024 * 1024;
// The request log keeps 5000 requests: large bodies are recorded by size, so it stays a few MB at most.
const MAX_RECORDED_BODY = 16 * 1024;

export interface HttpDeps {
  core: Core;
  issuer: TokenIssuer;
  /** The public keys tokens are signed with (`/am/oauth2/connect/jwk_uri`). */
  jwks: () => unknown;
  faults: FaultInjector;
  foldersForbidden: () => boolean;
  record: (r: RecordedRequest) => void;
  log: (msg: string) => void;
  logRequests?: boolean;
  /** Resolves once the tenant as it is now is on disk (state file only): writes answer after it. */
  persist?: () => Promise<void>;
  /** Whether a Host header names this sandbox (host-check.ts); others are answered 421. */
  hostAllowed: (host: string | undefined) => boolean;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new ApiError(413, 'E003', 'Request Entity Too Large', {}));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

function parseJson(raw: string, contentType: string | undefined): unknown {
  if (raw.trim() === '') return undefined;
  if (contentType && !contentType.includes('json'))
    throw badRequest('Input Format Mismatch: input-format=json', [`content-type ${contentType} is not JSON`]);
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw badRequest('Malformed Command', [`the body is not valid JSON: ${(err as Error).message}`]);
  }
}

const safeHeaders = (req: IncomingMessage) =>
  Object.fromEntries(
    Object.entries(req.headers)
      .filter(([k]) => k !== 'authorization')
      .map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]),
  );

/** The recorded form of a token request: never the secret. */
function recordedForm(raw: string): Record<string, string> {
  const form = Object.fromEntries(new URLSearchParams(raw));
  if ('client_secret' in form) form.client_secret = '***';
  return form;
}

/** One HTTP exchange: token endpoint, setup API, or config API, with faults and auth in between. */
export function requestHandler(deps: HttpDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    if (!deps.hostAllowed(req.headers.host)) {
      // Before faults are drawn and before the body is read: such a request never reached the tenant.
      const why = `Host ${JSON.stringify(req.headers.host ?? '')} is not a loopback name of this sandbox`;
      send(res, 421, errorBody('E003', 'Misdirected Request: Host', { message: [why] }, requestId), {
        'x-request-id': requestId,
        connection: 'close',
      });
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://sandbox');
    } catch {
      // An unparsable absolute-form target (`GET http://a:b:c/`): a throw here would end the process.
      const body = errorBody('E003', 'Malformed Command', { message: ['invalid request target'] }, requestId);
      send(res, 400, body, { 'x-request-id': requestId });
      return;
    }
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const method = req.method ?? 'GET';
    const isToken = TOKEN_PATHS.has(path);
    const isApi = isConfigApiPath(path) || path === TENANCY_PATH;
    // Drawn on arrival, not after the body: the n-th request meets the n-th fault however bodies stream.
    const tokenFault = isToken ? deps.faults.token() : undefined;
    const apiFault = isApi ? deps.faults.api() : undefined;
    const rec: RecordedRequest = {
      at: new Date().toISOString(),
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: safeHeaders(req),
      body: undefined,
    };
    deps.record(rec);
    const started = Date.now();
    if (deps.logRequests)
      res.on('close', () =>
        deps.log(
          `${method} ${url.pathname}${url.search} -> ${rec.status || 'dropped'} (${Date.now() - started} ms)`,
        ),
      );
    try {
      const raw = await readBody(req);
      rec.body = isToken
        ? recordedForm(raw)
        : raw.length > MAX_RECORDED_BODY
          ? { omitted: `${Buffer.byteLength(raw)} bytes` }
          : safeJson(raw);
      let reply: Reply;
      if (tokenFault) {
        if (tokenFault.delayMs) await sleep(tokenFault.delayMs);
        if (tokenFault.answer) reply = tokenFault.answer;
        else if (method !== 'POST') throw methodNotSupported();
        else reply = await deps.issuer.issue(req.headers.authorization, new URLSearchParams(raw));
      } else if (apiFault) {
        if (apiFault.delayMs) await sleep(apiFault.delayMs);
        if (apiFault.drop) {
          rec.status = 0;
          req.socket.destroy();
          return;
        }
        if (apiFault.answer) {
          rec.status = apiFault.answer.status;
          res.writeHead(apiFault.answer.status, apiFault.answer.headers);
          res.end(apiFault.answer.body);
          return;
        }
        const principal = await deps.issuer.verify(req.headers.authorization);
        if (path === TENANCY_PATH && method === 'GET') {
          reply = await deps.issuer.tenancy(req.headers.authorization);
        } else if (isSetupRead(path)) {
          const body = method === 'GET' ? undefined : parseJson(raw, req.headers['content-type']);
          reply = handleSetup(deps.core, method, path, url.searchParams, deps.foldersForbidden(), body);
        } else {
          // The config API rejects the monitoring services' region header.
          if (req.headers['x-panw-region'] !== undefined)
            throw badRequest('Invalid Request Header: x-panw-region', [
              'x-panw-region is not accepted by /sse/config/v1',
            ]);
          const match = matchRoute(deps.core.routes, method, path);
          if (!match) throw notPresent(`no API at ${path}`);
          if ('wrongMethod' in match) throw methodNotSupported();
          const body = parseJson(raw, req.headers['content-type']);
          const generation = deps.core.state.generation;
          reply = handleCall(deps.core, { ...match, query: url.searchParams, body, principal });
          // Acknowledge a change only once it is on disk (group commit: concurrent writes share one fsync).
          if (deps.persist && deps.core.state.generation !== generation) await durable(deps.persist);
        }
      } else if (path === JWKS_PATH && method === 'GET') {
        reply = { status: 200, body: deps.jwks() };
      } else {
        throw notPresent(`no API at ${path}`);
      }
      rec.status = reply.status;
      send(res, reply.status, reply.body, { 'x-request-id': requestId, ...reply.headers });
    } catch (err) {
      const e =
        err instanceof ApiError
          ? err
          : err instanceof URIError
            ? badRequest('Malformed Command', ['the path is not valid percent-encoding'])
            : new ApiError(500, 'E000', 'Internal Error', { errorType: 'Internal Error', message: [] });
      if (e.status === 500)
        deps.log(`internal error on ${method} ${path}: ${(err as Error).stack ?? String(err)}`);
      rec.status = e.status;
      send(res, e.status, errorBody(e.code, e.message, e.details, requestId), {
        'x-request-id': requestId,
        ...e.headers,
      });
    }
  };
}

async function durable(persist: () => Promise<void>): Promise<void> {
  try {
    await persist();
  } catch (err) {
    throw new ApiError(500, 'E000', 'Internal Error', {
      errorType: 'Internal Error',
      message: [`the change was made but could not be saved: ${(err as Error).message}`],
    });
  }
}

function safeJson(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
