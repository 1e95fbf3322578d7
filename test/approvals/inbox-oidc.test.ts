import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHttpServer } from '../transports/http-harness.js';
import { parseApprovers } from '../../src/approvals/approvers.js';
import { ApprovalInbox } from '../../src/approvals/inbox.js';
import { createInboxHandler } from '../../src/approvals/inbox-http.js';
import { OidcSignIn } from '../../src/approvals/inbox-oidc.js';
import { MemoryApprovalStore } from '../../src/approvals/memory-store.js';
import { loadConfig } from '../../src/config.js';
import { redactSecrets } from '../../src/secrets.js';

const CLIENT_ID = 'inbox-client';
const CLIENT_SECRET = 'inbox-client-secret-0123456789';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

// The stub provider's knobs: who "logs in" at /authorize, and what the next ID token gets wrong.
let user: { sub: string; email?: string };
let tamper: { aud?: string; nonce?: string };
const tokenRequests: URLSearchParams[] = [];

let idp: Server;
let issuer: string;
let app: Server;
let base: string;
const inboxBase = () => base;
let inbox: ApprovalInbox;

const listen = async (s: Server) => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { nonce: string; challenge: string; redirectUri: string }>();
  let n = 0;
  idp = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration')
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
      });
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      expect(q.get('client_id')).toBe(CLIENT_ID);
      expect(q.get('code_challenge_method')).toBe('S256');
      const code = `code-${++n}`;
      codes.set(code, {
        nonce: q.get('nonce')!,
        challenge: q.get('code_challenge')!,
        redirectUri: q.get('redirect_uri')!,
      });
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state')!);
      res.writeHead(302, { location: back.toString() });
      return void res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on(
        'end',
        () =>
          void (async () => {
            const form = new URLSearchParams(text);
            tokenRequests.push(form);
            const grant = codes.get(form.get('code') ?? '');
            codes.delete(form.get('code') ?? '');
            // PKCE: the verifier must hash to the challenge /authorize saw.
            if (
              !grant ||
              createHash('sha256').update(form.get('code_verifier')!).digest('base64url') !==
                grant.challenge ||
              form.get('redirect_uri') !== grant.redirectUri ||
              form.get('client_secret') !== CLIENT_SECRET
            )
              return json(400, { error: 'invalid_grant' });
            const idToken = await new SignJWT({
              nonce: tamper.nonce ?? grant.nonce,
              ...(user.email ? { email: user.email, email_verified: true } : {}),
            })
              .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
              .setIssuer(issuer)
              .setSubject(user.sub)
              .setAudience(tamper.aud ?? CLIENT_ID)
              .setIssuedAt()
              .setExpirationTime('5m')
              .sign(privateKey);
            json(200, { access_token: 'at', token_type: 'Bearer', id_token: idToken });
          })(),
      );
      return;
    }
    json(404, {});
  });
  issuer = await listen(idp);

  inbox = new ApprovalInbox({ store: new MemoryApprovalStore(), baseUrl: () => base });
  const approvers = parseApprovers(
    [
      `alice:${sha('alice-approver-token-0123456789')} oidc=Alice@Example.com`,
      'bob:oidc=bob-sub-42',
      `carol:${sha('carol-approver-token-0123456789')}`,
    ].join('\n'),
    'test',
  );
  app = createServer(
    createInboxHandler({
      inbox,
      approvers,
      basePath: '/approvals',
      oidc: new OidcSignIn({ issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
    }),
  );
  base = `${await listen(app)}/approvals`;
});
afterAll(async () => {
  app?.closeAllConnections();
  idp?.closeAllConnections();
  await new Promise((r) => app?.close(r));
  await new Promise((r) => idp?.close(r));
});
beforeEach(() => {
  user = { sub: 'alice-sub-1', email: 'alice@example.com' };
  tamper = {};
});

/** A browser without a browser: a cookie jar, manual redirects, the page's CSRF token. */
class Browser {
  constructor(readonly base = inboxBase()) {}
  jar = new Map<string, string>();
  csrf = '';
  async fetch(url: string, init: RequestInit = {}) {
    const cookies =
      new URL(url).origin === new URL(this.base).origin ? [...this.jar].map(([k, v]) => `${k}=${v}`) : [];
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        ...(cookies.length ? { cookie: cookies.join('; ') } : {}),
      },
    });
    if (new URL(url).origin === new URL(this.base).origin)
      for (const set of res.headers.getSetCookie()) {
        const [pair] = set.split(';');
        const [k, v] = pair!.split('=') as [string, string];
        if (/Max-Age=0\b/.test(set)) this.jar.delete(k);
        else this.jar.set(k, v);
      }
    const html = await res.text();
    this.csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? this.csrf;
    return { status: res.status, location: res.headers.get('location'), html };
  }
  post(path: string, form: Record<string, string>) {
    return this.fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(this.base).origin },
      body: new URLSearchParams({ csrf: this.csrf, ...form }).toString(),
    });
  }

  /** Sign-in page, the button, the issuer's /authorize, back to the callback (its URL edited by `alter`). */
  async signInWithOidc(alter: (callback: URL) => void = () => {}) {
    const page = await this.fetch(`${this.base}/`);
    expect(page.html).toContain(`Sign in with ${issuer}`);
    const start = await this.post('/oidc/login', {});
    expect(start.status).toBe(303);
    expect(start.location!.startsWith(`${issuer}/authorize?`)).toBe(true);
    const authorize = await this.fetch(start.location!);
    expect(authorize.status).toBe(302);
    const callback = new URL(authorize.location!);
    expect(`${callback.origin}${callback.pathname}`).toBe(`${this.base}/oidc/callback`);
    alter(callback);
    return this.fetch(callback.toString());
  }
}

const pending = () =>
  inbox.open({
    clientName: 'assistant',
    environment: 'sandbox',
    tsgId: '1234567890',
    tool: 'address_delete',
    key: 'address.delete',
    args: { id: 'x' },
    fingerprint: 'fp',
    action: 'delete address x',
    message: 'Delete address x',
    preview: {},
  });

describe('approval inbox: Sign in with the OIDC issuer (--inbox-oidc-client-id)', () => {
  it('a listed approver (by email) signs in with PKCE and approves a pending request as themselves', async () => {
    const record = await pending();
    const b = new Browser();
    const back = await b.signInWithOidc();
    expect(back.status).toBe(200);
    expect(back.html).toContain(`url=/approvals/`);
    const page = await b.fetch(`${base}/`);
    expect(page.html).toContain('Signed in as <b>alice</b>');
    expect(page.html).toContain(record.id);
    const decided = await b.post('/decide', { id: record.id, decision: 'approve' });
    expect(decided.status).toBe(303);
    expect(await inbox.get(record.id)).toMatchObject({ state: 'approved', decidedBy: 'alice' });
    // The code was exchanged with the PKCE verifier and the client secret.
    expect(tokenRequests.at(-1)!.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('an approver listed by sub signs in under their approver name', async () => {
    user = { sub: 'bob-sub-42' };
    const b = new Browser();
    expect((await b.signInWithOidc()).status).toBe(200);
    expect((await b.fetch(`${base}/`)).html).toContain('Signed in as <b>bob</b>');
  });

  it('a user the approvers file does not list is refused and sees nothing', async () => {
    const record = await pending();
    user = { sub: 'mallory-sub', email: 'mallory@example.com' };
    const b = new Browser();
    const back = await b.signInWithOidc();
    expect(back.status).toBe(403);
    const page = await b.fetch(`${base}/`);
    expect(page.html).toContain('Sign in with your approver token');
    expect(page.html).not.toContain(record.id);
    expect((await b.post('/decide', { id: record.id, decision: 'approve' })).status).toBe(403);
    expect((await inbox.get(record.id))!.state).toBe('pending');
  });

  const refused = async (alter?: (callback: URL) => void) => {
    const b = new Browser();
    const back = await b.signInWithOidc(alter);
    expect(back.status).toBe(403);
    expect((await b.fetch(`${base}/`)).html).not.toContain('Signed in as');
  };

  it('a callback with the wrong state is refused', async () => {
    await refused((cb) => cb.searchParams.set('state', 'forged-state'));
  });

  it('an ID token carrying another nonce is refused', async () => {
    tamper = { nonce: 'someone-elses-nonce' };
    await refused();
  });

  it('an ID token issued to another audience is refused', async () => {
    tamper = { aud: 'another-client' };
    await refused();
  });

  it('a callback without the browser that started the flow (no flow cookie) is refused', async () => {
    const b = new Browser();
    await b.fetch(`${base}/`);
    const start = await b.post('/oidc/login', {});
    const callback = (await b.fetch(start.location!)).location!;
    const other = new Browser();
    expect((await other.fetch(callback)).status).toBe(403);
  });
});

describe('OIDC sign-in flags and approvers', () => {
  const argv = ['--approvals', 'inbox', '--inbox-oidc-client-id', CLIENT_ID];
  const env = { PRISMA_MCP_APPROVERS: 'bob:oidc=bob@example.com' };

  it('takes the client id from the flag and the secret from the environment, redacted from output', () => {
    const config = loadConfig(
      [...argv, '--http', '--oauth-issuer', 'https://idp.example', '--oauth-audience', 'mcp'],
      { ...env, PRISMA_MCP_INBOX_OIDC_CLIENT_SECRET: 'inbox-env-secret-abcdef123' },
    );
    expect(config).toMatchObject({
      inboxOidcClientId: CLIENT_ID,
      inboxOidcClientSecret: 'inbox-env-secret-abcdef123',
    });
    expect(redactSecrets('secret=inbox-env-secret-abcdef123')).toBe('secret=[redacted]');
  });

  it('refuses the client id when HTTP auth is not OIDC (no --oauth-issuer)', () => {
    expect(() => loadConfig([...argv, '--http'], env)).toThrow(
      /--inbox-oidc-client-id needs --http with --oauth-issuer/,
    );
  });

  it('an approver needs a token hash or oidc=, and an identity is listed once', () => {
    expect(parseApprovers('bob:oidc=bob@example.com', 't')).toEqual([
      { name: 'bob', oidc: 'bob@example.com' },
    ]);
    expect(() => parseApprovers('bob:', 't')).toThrow(/oidc=EMAIL-OR-SUB/);
    expect(() => parseApprovers('bob:oidc=x@example.com\nann:oidc=X@example.com', 't')).toThrow(
      /oidc=X@example.com is listed twice/,
    );
  });
});

describe('OIDC sign-in on the HTTP server (--http --oauth-issuer --approvals inbox --inbox-oidc-client-id)', () => {
  it('is wired: an approver listed by email signs in at /approvals with the configured client id and secret', async () => {
    const s = await startHttpServer(
      [
        '--oauth-issuer',
        issuer,
        '--oauth-audience',
        'https://mcp.example.test/mcp',
        '--approvals',
        'inbox',
        '--inbox-oidc-client-id',
        CLIENT_ID,
      ],
      {
        env: {
          PRISMA_MCP_APPROVERS: 'alice:oidc=alice@example.com',
          PRISMA_MCP_INBOX_OIDC_CLIENT_SECRET: CLIENT_SECRET,
        },
      },
    );
    try {
      const b = new Browser(`${s.url}/approvals`);
      expect((await b.signInWithOidc()).status).toBe(200);
      expect((await b.fetch(`${s.url}/approvals/`)).html).toContain('Signed in as <b>alice</b>');
      expect(s.stderr()).not.toContain(CLIENT_SECRET);
    } finally {
      await s.close();
    }
  }, 60_000);
});
