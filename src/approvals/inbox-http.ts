import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Approver, approverFor } from './approvers.js';
import { type ApprovalInbox, DecisionRefused } from './inbox.js';
import { type OidcFlow, OidcRefused, type OidcSignIn } from './inbox-oidc.js';
import { CSP, inboxPage, plainPage, signedInPage, signInPage } from './inbox-page.js';
import { type KvStore, MemoryKv } from '../store/kv-store.js';

/** A plain Node request handler: served on its own port now, mountable on another HTTP server later. */
export type InboxHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface InboxHttpOptions {
  inbox: ApprovalInbox;
  approvers: Approver[];
  /** Where the handler is mounted (`/approvals`); '' at the root. */
  basePath?: string;
  /** Host header names accepted (DNS rebinding); default loopback names only. */
  allowedHosts?: string[];
  /** Mark cookies Secure (the inbox is reached over https). */
  secureCookies?: boolean;
  sessionTtlMs?: number;
  now?: () => number;
  /** "Sign in with <issuer>" (HTTP auth is OIDC): approvers listed with `oidc=` sign in there. */
  oidc?: OidcSignIn;
  /**
   * Where signed-in sessions and sign-in flows live: the store replicas share (--redis-url), so a person signed in
   * through one replica is signed in on all of them. Default: this process's memory.
   */
  store?: KvStore;
}

/**
 * Who is visiting. Before sign-in nothing is stored: the cookie carries a random CSRF token that the form must
 * repeat (double submit, with the Origin check and SameSite=Strict), so visits cost no memory. A signed-in session
 * is stored under the hash of its id, so the store holds nothing a browser could present.
 */
type Visitor = { csrf: string; approver?: undefined } | { id: string; csrf: string; approver: string };

interface StoredSession {
  csrf: string;
  approver: string;
  expiresAt: number;
}

const COOKIE = 'pa_inbox';
// The issuer redirects back cross-site, which SameSite=Strict cookies do not survive: the flow has its own Lax one.
const FLOW_COOKIE = 'pa_inbox_oidc';
const FLOW_TTL_MS = 10 * 60_000;
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]', '::1'];
const MAX_BODY = 16 * 1024;
const ANON = 'anon.';
// Sign-in flows started per replica in FLOW_TTL_MS: each costs the store an entry until it expires.
const MAX_FLOWS = 1000;
const MAX_FAILURES = 20;
const FAILURE_WINDOW_MS = 5 * 60_000;

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function cookieOf(req: IncomingMessage, name = COOKIE): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

async function formOf(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return undefined;
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The approval inbox page: sign in with an approver token (never held by the MCP client), see each request
 * (who asked, tenant, tool, diff, preview), approve or decline. Server-rendered, no script; its own CSRF token
 * per session in every form, Origin and Host checked on every request that changes state, HttpOnly SameSite
 * cookies, a strict Content-Security-Policy, all tenant text escaped.
 */
export function createInboxHandler(opts: InboxHttpOptions): InboxHandler {
  const base = (opts.basePath ?? '').replace(/\/$/, '');
  const now = opts.now ?? Date.now;
  const ttl = opts.sessionTtlMs ?? 8 * 3600_000;
  const hosts = new Set((opts.allowedHosts ?? LOOPBACK).map((h) => h.toLowerCase()));
  const store = opts.store ?? new MemoryKv(now);
  // Per replica: sign-in failures (token guessing) and flows started.
  const failures: number[] = [];
  const flowStarts: number[] = [];
  const hashed = (kind: string, id: string) =>
    `inbox:${kind}:${createHash('sha256').update(id).digest('base64url')}`;

  const visitorOf = async (cookie: string | undefined): Promise<Visitor | undefined> => {
    if (!cookie) return undefined;
    if (cookie.startsWith(ANON))
      return cookie.length > ANON.length ? { csrf: cookie.slice(ANON.length) } : undefined;
    const raw = await store.get(hashed('session', cookie));
    const s = raw ? (JSON.parse(raw) as StoredSession) : undefined;
    return s && s.expiresAt > now() ? { id: cookie, csrf: s.csrf, approver: s.approver } : undefined;
  };
  const newAnonymous = (): [string, Visitor] => {
    const csrf = randomBytes(24).toString('base64url');
    return [`${ANON}${csrf}`, { csrf }];
  };
  const newSession = async (approver: string): Promise<string> => {
    const id = randomBytes(24).toString('base64url');
    const s: StoredSession = {
      csrf: randomBytes(24).toString('base64url'),
      approver,
      expiresAt: now() + ttl,
    };
    await store.set(hashed('session', id), JSON.stringify(s), ttl);
    return id;
  };
  const endSession = async (v: Visitor | undefined) => {
    if (v?.approver) await store.take(hashed('session', v.id));
  };
  const cookie = (id: string, maxAge: number) =>
    `${COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=${base || '/'}; Max-Age=${maxAge}${opts.secureCookies ? '; Secure' : ''}`;

  const flowCookie = (id: string, maxAge: number) =>
    `${FLOW_COOKIE}=${id}; HttpOnly; SameSite=Lax; Path=${base}/oidc; Max-Age=${maxAge}${opts.secureCookies ? '; Secure' : ''}`;
  const recent = (times: number[], windowMs: number) => {
    const t = now();
    while (times.length && times[0]! <= t - windowMs) times.shift();
    return times.length;
  };
  const tooMany = () => recent(failures, FAILURE_WINDOW_MS) >= MAX_FAILURES;

  const send = (
    res: ServerResponse,
    status: number,
    html: string,
    headers: Record<string, string | string[]> = {},
  ) => {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CSP,
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      // no-referrer would make the browser send `Origin: null` on our own forms.
      'referrer-policy': 'same-origin',
      ...headers,
    });
    res.end(html);
  };
  const redirect = (res: ServerResponse, to: string, headers: Record<string, string> = {}) => {
    res.writeHead(303, { location: to, 'cache-control': 'no-store', ...headers });
    res.end();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = (req.headers.host ?? '').toLowerCase();
    const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
    if (!hosts.has(hostname))
      return send(res, 421, plainPage('Wrong host', 'This inbox answers on its own address only.'));
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (!url.pathname.startsWith(base)) return send(res, 404, plainPage('Not found', 'No such page.'));
    const path = url.pathname.slice(base.length) || '/';

    const session = await visitorOf(cookieOf(req));

    if (req.method === 'GET' && path === '/') {
      if (!session) {
        const [id, s] = newAnonymous();
        return send(res, 200, signInPage(base, s.csrf, opts.oidc ? { oidcIssuer: opts.oidc.issuer } : {}), {
          'set-cookie': cookie(id, ttl / 1000),
        });
      }
      if (!session.approver)
        return send(
          res,
          200,
          signInPage(base, session.csrf, {
            failed: url.searchParams.get('failed') === '1',
            ...(opts.oidc ? { oidcIssuer: opts.oidc.issuer } : {}),
          }),
        );
      const only = url.searchParams.get('id') ?? undefined;
      const all = await opts.inbox.list();
      const records = only ? all.filter((r) => r.id === only) : all;
      return send(
        res,
        200,
        inboxPage(base, session.approver, session.csrf, records, {
          ...(only ? { only } : {}),
          ...(url.searchParams.get('notice') ? { notice: url.searchParams.get('notice')! } : {}),
        }),
      );
    }
    if (req.method === 'GET' && path === '/oidc/callback' && opts.oidc) {
      // Cross-site by nature (the issuer sends the browser back): the flow cookie and `state` bind it to the
      // browser that started it; the flow is used once.
      const fid = cookieOf(req, FLOW_COOKIE);
      // Taken from the shared store: whichever replica the issuer sends the browser back to, the flow is used once.
      const stored = fid ? await store.take(hashed('flow', fid)) : undefined;
      const flow = stored ? (JSON.parse(stored) as OidcFlow) : undefined;
      const refused = () =>
        send(res, 403, plainPage('Sign-in refused', 'Sign-in refused.'), { 'set-cookie': flowCookie('', 0) });
      if (tooMany())
        return send(
          res,
          429,
          plainPage('Too many attempts', 'Too many failed sign-ins: try again in a few minutes.'),
        );
      const code = url.searchParams.get('code');
      if (
        !flow ||
        flow.expiresAt <= now() ||
        !same(url.searchParams.get('state') ?? '', flow.state) ||
        !code
      ) {
        failures.push(now());
        return refused();
      }
      let approver;
      try {
        approver = await opts.oidc.finish(flow, code, opts.approvers);
      } catch (err) {
        if (!(err instanceof OidcRefused)) throw err;
        failures.push(now());
        return refused();
      }
      await endSession(session);
      const id = await newSession(approver.name);
      return send(res, 200, signedInPage(base), {
        'set-cookie': [cookie(id, ttl / 1000), flowCookie('', 0)],
      });
    }
    if (req.method !== 'POST' || !['/login', '/logout', '/decide', '/oidc/login'].includes(path))
      return send(res, 404, plainPage('Not found', 'No such page.'));

    // State changes: same origin only (Origin must name this very host), and the session's CSRF token.
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if (
      !origin ||
      !same(origin.toLowerCase(), `${opts.secureCookies ? 'https' : 'http'}://${host}`) ||
      (site && site !== 'same-origin')
    )
      return send(res, 403, plainPage('Refused', 'Cross-site request refused.'));
    const form = await formOf(req);
    if (!session || !form || !same(form.get('csrf') ?? '', session.csrf))
      return send(
        res,
        403,
        plainPage('Refused', 'The form expired or did not come from this page: reload and try again.'),
      );

    if (path === '/oidc/login') {
      if (!opts.oidc) return send(res, 404, plainPage('Not found', 'No such page.'));
      if (recent(flowStarts, FLOW_TTL_MS) >= MAX_FLOWS)
        return send(
          res,
          429,
          plainPage('Too many attempts', 'Too many sign-ins started: try again in a few minutes.'),
        );
      flowStarts.push(now());
      const redirectUri = `${opts.secureCookies ? 'https' : 'http'}://${host}${base}/oidc/callback`;
      const { flow, location } = await opts.oidc.start(redirectUri, FLOW_TTL_MS, now());
      const fid = randomBytes(24).toString('base64url');
      await store.set(hashed('flow', fid), JSON.stringify(flow), FLOW_TTL_MS);
      return redirect(res, location, { 'set-cookie': flowCookie(fid, FLOW_TTL_MS / 1000) });
    }
    if (path === '/login') {
      // Guessing tokens: after MAX_FAILURES failed sign-ins in the window, sign-ins wait for the window to pass.
      const t = now();
      if (tooMany())
        return send(
          res,
          429,
          plainPage('Too many attempts', 'Too many failed sign-ins: try again in a few minutes.'),
        );
      const approver = approverFor(opts.approvers, form.get('token') ?? '');
      if (!approver) {
        failures.push(t);
        return redirect(res, `${base}/?failed=1`);
      }
      await endSession(session);
      const id = await newSession(approver.name);
      return redirect(res, `${base}/`, { 'set-cookie': cookie(id, ttl / 1000) });
    }
    if (path === '/logout') {
      await endSession(session);
      return redirect(res, `${base}/`, { 'set-cookie': cookie('', 0) });
    }
    if (!session.approver) return send(res, 403, plainPage('Refused', 'Sign in first.'));
    const id = form.get('id') ?? '';
    const decision = form.get('decision');
    if (decision !== 'approve' && decision !== 'decline')
      return send(res, 400, plainPage('Bad request', 'decision must be approve or decline.'));
    try {
      const r = await opts.inbox.decide(id, session.approver, decision === 'approve');
      return redirect(
        res,
        `${base}/?id=${encodeURIComponent(r.id)}&notice=${encodeURIComponent(`${r.state === 'approved' ? 'Approved' : 'Declined'}: ${r.tool} (${r.id}).`)}`,
      );
    } catch (err) {
      if (!(err instanceof DecisionRefused)) throw err;
      const records = (await opts.inbox.list()).filter((r) => r.id === id);
      return send(
        res,
        403,
        inboxPage(base, session.approver, session.csrf, records, { error: err.message, only: id }),
      );
    }
  };

  return (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, plainPage('Error', 'The inbox failed to answer this request.'));
      else res.end();
    });
  };
}
