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
import { handleSetup, SETUP_PREFIX } from './setup.js';

const API_PREFIX = '/sse/config/v1/';
// The tenancy API (TSG tree); the simulated tenants share one configuration.
const TENANCY_PATH = '/tenancy/v1/tenant_service_groups';
const TOKEN_PATHS = new Set(['/oauth2/access_token', '/am/oauth2/access_token']);
const MAX_BODY = 10 * 1024 * 1024;

export interface HttpDeps {
  core: Core;
  issuer: TokenIssuer;
  faults: FaultInjector;
  foldersForbidden: () => boolean;
  record: (r: RecordedRequest) => void;
  log: (msg: string) => void;
  logRequests?: boolean;
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
    const isApi = path.startsWith(API_PREFIX) || path.startsWith(SETUP_PREFIX) || path === TENANCY_PATH;
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
      rec.body = isToken ? recordedForm(raw) : safeJson(raw);
      let reply: Reply;
      if (tokenFault) {
        if (tokenFault.delayMs) await sleep(tokenFault.delayMs);
        if (tokenFault.answer) reply = tokenFault.answer;
        else if (method !== 'POST') throw methodNotSupported();
        else reply = deps.issuer.issue(req.headers.authorization, new URLSearchParams(raw));
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
        const principal = deps.issuer.verify(req.headers.authorization);
        if (path === TENANCY_PATH && method === 'GET') {
          reply = deps.issuer.tenancy(req.headers.authorization);
        } else if (path.startsWith(SETUP_PREFIX)) {
          reply = handleSetup(deps.core, method, path, url.searchParams, deps.foldersForbidden());
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
          reply = handleCall(deps.core, { ...match, query: url.searchParams, body, principal });
        }
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

function safeJson(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
