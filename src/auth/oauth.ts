import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { isScope, SCOPES, type Scope } from '../clients/scopes.js';
import { type Authenticator, bearerToken, refuse } from './authenticator.js';

export interface OAuthOptions {
  issuer: string;
  audience: string;
  /** Default: jwks_uri from the issuer's metadata (RFC 8414, then OpenID discovery). */
  jwksUrl?: string;
}

async function discoverJwks(issuer: string): Promise<string> {
  const base = issuer.replace(/\/$/, '');
  const tried: string[] = [];
  for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
    const url = `${base}${path}`;
    tried.push(url);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) continue;
      const meta = (await res.json()) as { jwks_uri?: unknown };
      if (typeof meta.jwks_uri === 'string') return meta.jwks_uri;
    } catch {
      /* try the next one */
    }
  }
  throw new Error(`no jwks_uri found at ${tried.join(' or ')}: set --oauth-jwks-url`);
}

/** The four scopes a token grants: from `scope` (space separated) or `scp` (a list). */
function scopesOf(payload: JWTPayload): Scope[] {
  const raw =
    typeof payload.scope === 'string'
      ? payload.scope.split(' ')
      : Array.isArray(payload.scp)
        ? payload.scp
        : [];
  return raw.filter((s): s is Scope => typeof s === 'string' && isScope(s));
}

/** OAuth 2.1 resource server: bearer JWTs from one issuer, checked against its JWKS by jose. */
export function oauthAuth(opts: OAuthOptions): Authenticator {
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  const keys = async () => {
    jwks ??= createRemoteJWKSet(new URL(opts.jwksUrl ?? (await discoverJwks(opts.issuer))));
    return jwks;
  };
  return {
    resourceMetadata: (resource) => ({
      resource,
      authorization_servers: [opts.issuer],
      scopes_supported: [...SCOPES],
      bearer_methods_supported: ['header'],
    }),
    async authenticate(headers) {
      const token = bearerToken(headers);
      if (!token) return refuse(401, 'invalid_request', 'Authorization: Bearer <access token> is required.');
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, await keys(), {
          issuer: opts.issuer,
          audience: opts.audience,
        }));
      } catch (err) {
        const why =
          err instanceof errors.JWTExpired
            ? 'the token has expired'
            : err instanceof errors.JWTClaimValidationFailed
              ? `claim ${err.claim} is wrong (${err.reason})`
              : 'the token could not be verified';
        return refuse(401, 'invalid_token', why);
      }
      const scopes = scopesOf(payload);
      if (!scopes.length)
        return refuse(403, 'insufficient_scope', `the token grants none of ${SCOPES.join(', ')}`);
      const name = [payload.client_id, payload.azp, payload.sub].find((v) => typeof v === 'string') as
        string | undefined;
      return { ok: true, access: { name: name ?? 'oauth-client', scopes } };
    },
  };
}
