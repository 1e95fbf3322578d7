import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningSandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';
import type { IrOperation } from '../../src/spec/ir.js';
import { loadIr } from '../../src/spec/load-ir.js';
import { readOverlay } from '../../src/spec/overlay.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

let ir: Promise<IrOperation[]> | undefined;

/**
 * The IR built from the synced specs. Building takes ~2 s of CPU; the test files share one copy on
 * disk, keyed by the spec and overlay files, so the whole run stays fast on small machines.
 */
export function operations(): Promise<IrOperation[]> {
  ir ??= (async () => {
    const specDir = resolve(root, 'specs/upstream/prisma-access-config');
    const key = createHash('sha256');
    for (const f of readdirSync(specDir).sort()) {
      const st = statSync(join(specDir, f));
      key.update(`${f}:${st.size}:${st.mtimeMs};`);
    }
    key.update(readFileSync(resolve(root, 'specs/overlay.yaml')));
    for (const f of readdirSync(resolve(root, 'src/spec')).sort())
      key.update(readFileSync(resolve(root, 'src/spec', f)));
    const cache = join(tmpdir(), `prisma-access-mcp-ir-${key.digest('hex').slice(0, 16)}.json`);
    if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8')) as IrOperation[];
    const ops = await loadIr(specDir, {
      overlay: readOverlay(resolve(root, 'specs')),
      withDescriptions: false,
    });
    const tmp = `${cache}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(ops));
    renameSync(tmp, cache);
    return ops;
  })();
  return ir;
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
