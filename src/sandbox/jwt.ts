import { randomUUID } from 'node:crypto';
import { compactVerify, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

// What generateKeyPair gives on Node (a WebCrypto CryptoKey; the DOM lib that names it is not loaded).
type KeyLike = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** Where the sandbox serves its public keys, beside the token URL (as auth.apps.paloaltonetworks.com does). */
export const JWKS_PATH = '/am/oauth2/connect/jwk_uri';
export const ISSUER = 'https://auth.apps.paloaltonetworks.com/am/oauth2';

export interface TokenClaims {
  sub: string;
  /** The client id: SDKs check it as the audience. */
  aud: string;
  scope: string;
  tsg_id: string;
  /** Seconds since the epoch; may be fractional, so short test lifetimes end on time. */
  exp: number;
}

/**
 * RS256 tokens that clients verifying against the JWKS accept. One key pair per sandbox instance: tokens of an
 * earlier run fail, as after a real key rotation. All signing and checking is `jose`'s.
 */
export class JwtKeys {
  readonly #privateKey: KeyLike;
  readonly #publicKey: KeyLike;
  readonly jwk: JWK;

  private constructor(privateKey: KeyLike, publicKey: KeyLike, jwk: JWK) {
    this.#privateKey = privateKey;
    this.#publicKey = publicKey;
    this.jwk = jwk;
  }

  static async create(): Promise<JwtKeys> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    return new JwtKeys(privateKey, publicKey, jwk);
  }

  /** `{keys: [...]}` for the JWKS endpoint. */
  jwks(): { keys: JWK[] } {
    return { keys: [this.jwk] };
  }

  sign(claims: TokenClaims, nowMs: number): Promise<string> {
    return new SignJWT({
      ...claims,
      client_id: claims.aud,
      iss: ISSUER,
      iat: Math.floor(nowMs / 1000),
      jti: randomUUID(),
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.jwk.kid! })
      .sign(this.#privateKey);
  }

  /** The claims of a token this instance signed, or undefined for any other (forged, foreign, malformed). */
  async verify(token: string): Promise<Partial<TokenClaims> | undefined> {
    try {
      const { payload } = await compactVerify(token, this.#publicKey, { algorithms: ['RS256'] });
      return JSON.parse(new TextDecoder().decode(payload)) as Partial<TokenClaims>;
    } catch {
      return undefined;
    }
  }
}
