import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { Approver } from './approvers.js';

export interface OidcSignInOptions {
  issuer: string;
  clientId: string;
  /** From the environment only; a public client (PKCE alone) when absent. */
  clientSecret?: string;
}

/** One sign-in in progress: kept server-side, found again by the flow cookie. */
export interface OidcFlow {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  expiresAt: number;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

export class OidcRefused extends Error {}

const random = () => randomBytes(32).toString('base64url');

/**
 * "Sign in with <issuer>" for the approval inbox: OpenID Connect authorization code with PKCE (S256), state and
 * nonce; the ID token verified by jose against the issuer's JWKS. Only listed approvers (their `oidc=` email or
 * sub) come out of it.
 */
export class OidcSignIn {
  readonly issuer: string;
  private discovery?: Promise<Discovery>;
  private jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly opts: OidcSignInOptions) {
    this.issuer = opts.issuer;
  }

  private meta(): Promise<Discovery> {
    this.discovery ??= (async () => {
      const url = `${this.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      const m = (res.ok ? await res.json() : {}) as Partial<Discovery>;
      if (![m.authorization_endpoint, m.token_endpoint, m.jwks_uri].every((v) => typeof v === 'string'))
        throw new Error(`${url} names no authorization_endpoint, token_endpoint and jwks_uri`);
      return m as Discovery;
    })().catch((err) => {
      this.discovery = undefined;
      throw err;
    });
    return this.discovery;
  }

  /** A new flow and the issuer URL to send the browser to. */
  async start(
    redirectUri: string,
    ttlMs: number,
    now: number,
  ): Promise<{ flow: OidcFlow; location: string }> {
    const m = await this.meta();
    const flow: OidcFlow = {
      state: random(),
      nonce: random(),
      verifier: random(),
      redirectUri,
      expiresAt: now + ttlMs,
    };
    const u = new URL(m.authorization_endpoint);
    u.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.opts.clientId,
      redirect_uri: redirectUri,
      scope: 'openid email',
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: createHash('sha256').update(flow.verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    return { flow, location: u.toString() };
  }

  /** The code exchanged, the ID token verified, and the listed approver it names; OidcRefused otherwise. */
  async finish(flow: OidcFlow, code: string, approvers: Approver[]): Promise<Approver> {
    const m = await this.meta();
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: flow.redirectUri,
      client_id: this.opts.clientId,
      code_verifier: flow.verifier,
    });
    if (this.opts.clientSecret) body.set('client_secret', this.opts.clientSecret);
    const res = await fetch(m.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const tokens = (res.ok ? await res.json().catch(() => ({})) : {}) as { id_token?: unknown };
    if (typeof tokens.id_token !== 'string') throw new OidcRefused('the issuer returned no ID token');
    this.jwks ??= createRemoteJWKSet(new URL(m.jwks_uri));
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(tokens.id_token, this.jwks, {
        issuer: this.issuer,
        audience: this.opts.clientId,
        requiredClaims: ['exp', 'sub', 'nonce'],
      }));
    } catch {
      throw new OidcRefused('the ID token could not be verified');
    }
    if (claims.nonce !== flow.nonce) throw new OidcRefused('the ID token is for another sign-in');
    const email =
      typeof claims.email === 'string' && claims.email_verified !== false
        ? claims.email.toLowerCase()
        : undefined;
    const approver = approvers.find(
      (a) => a.oidc !== undefined && (a.oidc === claims.sub || a.oidc.toLowerCase() === email),
    );
    if (!approver) throw new OidcRefused('not a listed approver');
    return approver;
  }
}
