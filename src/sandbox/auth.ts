import { timingSafeEqual } from 'node:crypto';
import { notAuthenticated } from './errors.js';
import type { JwtKeys } from './jwt.js';

export interface AuthConfig {
  clientId: string;
  clientSecret: string;
  tsgId: string;
  ttlSeconds: number;
  now: () => number;
  /** RS256 signing keys (src/sandbox/jwt.ts), published at the JWKS URL. */
  keys: JwtKeys;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** One TSG of the simulated tree. */
export interface TsgNode {
  id: string;
  display_name: string;
  parent_id?: string;
}

/**
 * The simulated TSG hierarchy: the demo service account's TSG is a parent with two customer children, and a
 * peer TSG outside it (tokens for the peer are refused, as SCM refuses a TSG outside the account's hierarchy).
 */
export function sandboxTsgTree(tsgId: string): { tree: TsgNode[]; outside: TsgNode } {
  const child = (n: number) => `${tsgId.slice(0, -1)}${(Number(tsgId.at(-1)) + n) % 10}`;
  return {
    tree: [
      { id: tsgId, display_name: 'Sandbox MSSP (parent)' },
      { id: child(1), display_name: 'Sandbox customer A', parent_id: tsgId },
      { id: child(2), display_name: 'Sandbox customer B', parent_id: tsgId },
    ],
    outside: { id: `9${tsgId.slice(1)}`, display_name: 'Another organisation (outside the hierarchy)' },
  };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const oauthError = (status: number, error: string, error_description: string): TokenAnswer => ({
  status,
  body: { error, error_description },
});

/** The OAuth2 client-credentials endpoint and the bearer check every API call goes through. */
export class TokenIssuer {
  readonly #cfg: AuthConfig;
  readonly #tree: TsgNode[];
  readonly #outside: TsgNode;

  constructor(cfg: AuthConfig) {
    this.#cfg = cfg;
    ({ tree: this.#tree, outside: this.#outside } = sandboxTsgTree(cfg.tsgId));
  }

  /** The account's TSG and its descendants: the TSGs it may mint tokens for. */
  #reachable(tsg: string): boolean {
    return this.#tree.some((n) => n.id === tsg);
  }

  /** `POST /oauth2/access_token`: Basic client auth, form body with `scope=tsg_id:<TSG>`. */
  async issue(authorization: string | undefined, form: URLSearchParams): Promise<TokenAnswer> {
    let id = form.get('client_id') ?? undefined;
    let secret = form.get('client_secret') ?? undefined;
    if (authorization?.startsWith('Basic ')) {
      const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        id = decoded.slice(0, colon);
        secret = decoded.slice(colon + 1);
      }
    }
    if (id !== this.#cfg.clientId || secret === undefined || !sameSecret(secret, this.#cfg.clientSecret))
      return oauthError(401, 'invalid_client', 'Client authentication failed');
    if (form.get('grant_type') !== 'client_credentials')
      return oauthError(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
    const tsg = /(?:^|\s)tsg_id:(\S+)/.exec(form.get('scope') ?? '')?.[1];
    if (!tsg) return oauthError(400, 'invalid_scope', 'scope must be tsg_id:<TSG ID>');
    if (tsg === this.#outside.id || !/^\d{10}$/.test(tsg) || !this.#reachable(tsg))
      return oauthError(
        403,
        'access_denied',
        `TSG ${tsg} is outside the hierarchy of the service account's TSG ${this.#cfg.tsgId} (a service account may use its own TSG and its descendants only)`,
      );
    const now = this.#cfg.now();
    const scope = `profile tsg_id:${tsg} email`;
    const access_token = await this.#cfg.keys.sign(
      {
        sub: id,
        aud: id,
        scope,
        tsg_id: tsg,
        // NumericDate may be fractional: exact to the millisecond, so short test TTLs expire on time.
        exp: (now + this.#cfg.ttlSeconds * 1000) / 1000,
      },
      now,
    );
    return {
      status: 200,
      body: { access_token, scope, token_type: 'Bearer', expires_in: this.#cfg.ttlSeconds },
    };
  }

  /** The caller's client id; throws 401 E016 for a missing, forged or expired token. */
  async verify(authorization: string | undefined): Promise<string> {
    return (await this.#claims(authorization)).sub ?? '';
  }

  /** `GET /tenancy/v1/tenant_service_groups`: the token's TSG and its descendants. */
  async tenancy(authorization: string | undefined): Promise<TokenAnswer> {
    const tsg = /tsg_id:(\S+)/.exec((await this.#claims(authorization)).scope ?? '')?.[1];
    const below = (id: string | undefined): TsgNode[] =>
      this.#tree.filter((n) => n.parent_id === id).flatMap((n) => [n, ...below(n.id)]);
    const own = this.#tree.find((n) => n.id === tsg);
    return { status: 200, body: { items: own ? [own, ...below(own.id)] : [] } };
  }

  async #claims(authorization: string | undefined): Promise<{ exp?: number; sub?: string; scope?: string }> {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
    if (!token) throw notAuthenticated('Not Authenticated');
    const claims = await this.#cfg.keys.verify(token);
    if (!claims) throw notAuthenticated('Invalid Credential');
    const tsg = /tsg_id:(\S+)/.exec(claims.scope ?? '')?.[1];
    if (!tsg || !this.#reachable(tsg)) throw notAuthenticated('Invalid Credential');
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.#cfg.now())
      throw notAuthenticated('Key Expired');
    return claims;
  }
}
