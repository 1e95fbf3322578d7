import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TOKENS = { alice: 'alice-approver-token-0123456789', bob: 'bob-approver-token-9876543210' };
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
/** PRISMA_MCP_APPROVERS for alice and bob. */
export const APPROVERS_ENV = Object.entries(TOKENS)
  .map(([name, token]) => `${name}:${sha(token)}`)
  .join(',');

/** A person at the inbox without a browser: keeps the cookie, reads the CSRF token, sends Origin. */
export class InboxVisitor {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}

  /** A path under the inbox's own (`/login` on an inbox at /approvals is /approvals/login); its redirects as given. */
  url(path: string): URL {
    const base = new URL(this.base);
    const prefix = base.pathname.replace(/\/$/, '');
    return new URL(path.startsWith(`${prefix}/`) ? path : prefix + path, base.origin);
  }

  async get(path = '/'): Promise<{ status: number; html: string; headers: Headers }> {
    const res = await fetch(this.url(path), {
      headers: this.cookie ? { cookie: this.cookie } : {},
      redirect: 'manual',
    });
    this.#keep(res);
    const html = await res.text();
    this.csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? this.csrf;
    return { status: res.status, html, headers: res.headers };
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    const res = await fetch(this.url(path), {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: new URL(this.base).origin,
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: new URLSearchParams({ csrf: this.csrf, ...form }).toString(),
    });
    this.#keep(res);
    return { status: res.status, location: res.headers.get('location'), html: await res.text() };
  }

  async signIn(token: string) {
    await this.get('/');
    const r = await this.post('/login', { token });
    await this.get('/');
    return r;
  }

  #keep(res: Response) {
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
  }
}

/** A loopback webhook receiver: every JSON body posted to it. */
export async function startReceiver(): Promise<{
  url: string;
  bodies: Record<string, any>[];
  close(): Promise<void>;
}> {
  const bodies: Record<string, any>[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook/secret-path`,
    bodies,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export async function until<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}
