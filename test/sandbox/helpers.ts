import { type RunningSandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';
import type { IrOperation } from '../../src/openapi/ir.js';
import { loadCatalog } from '../../src/catalog/load.js';

/** The IR from the built catalogue (npm test builds it first): no test file parses YAML again. */
export async function operations(): Promise<IrOperation[]> {
  return loadCatalog().operations;
}

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON (read field by field in tests), else the raw text. */
  body: any;
}

export interface TestSandbox extends RunningSandbox {
  token(): Promise<string>;
  /** A config API call (`path` below /sse/config/v1, or absolute) with a valid token. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  /** The id of a demo object, by resource and name. */
  idOf(resource: string, name: string): string;
}

export async function fetchToken(sb: RunningSandbox, secret = sb.clientSecret, scope = `tsg_id:${sb.tsgId}`) {
  return fetch(sb.authUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${sb.clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: `grant_type=client_credentials&scope=${encodeURIComponent(scope)}`,
  });
}

export async function read(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body };
}

export async function start(opts: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  const sb = await startSandbox({ operations: await operations(), pushDurationMs: 300, ...opts });
  let token: string | undefined;
  const t: TestSandbox = Object.assign(sb, {
    async token() {
      if (!token) token = ((await (await fetchToken(sb)).json()) as { access_token: string }).access_token;
      return token;
    },
    async api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const url = `${sb.url}${path.startsWith('/') ? path : `/sse/config/v1/${path}`}`;
      const res = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${await t.token()}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return read(res);
    },
    idOf(resource: string, name: string) {
      const found = sb.state.objects(resource).find((o) => o.data.name === name);
      if (!found) throw new Error(`no ${resource} ${name} in the sandbox`);
      return found.id;
    },
  });
  return t;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A minimal valid security rule body. */
export const rule = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  from: ['any'],
  to: ['any'],
  source: ['any'],
  source_user: ['any'],
  destination: ['any'],
  application: ['any'],
  service: ['any'],
  category: ['any'],
  action: 'allow',
  ...extra,
});

/** Why an answer shows the sandbox does not serve an operation (no route, a crash), or undefined when it does. */
export function notServed(key: string, method: string, path: string, res: Answer): string | undefined {
  const message = res.body?._errors?.[0]?.message ?? '';
  const details = JSON.stringify(res.body?._errors?.[0]?.details ?? '');
  if ([405, 500, 501].includes(res.status) || details.includes('no API at') || message === 'Internal Error')
    return `${key} ${method} ${path}: ${res.status} ${message}`;
  return undefined;
}
