import type { IncomingHttpHeaders } from 'node:http';
import type { ClientAccess } from '../clients/clients-file.js';

/** Why a request is refused before MCP sees it: the HTTP status and the WWW-Authenticate challenge. */
export interface AuthFailure {
  status: 401 | 403;
  /** RFC 6750 error code: invalid_request, invalid_token, insufficient_scope. */
  error: string;
  description: string;
}

export type AuthResult = { ok: true; access: ClientAccess } | { ok: false; failure: AuthFailure };

/** Turns a request's headers into the calling client, or a refusal. */
export interface Authenticator {
  authenticate(headers: IncomingHttpHeaders): Promise<AuthResult>;
  /** Protected-resource metadata for the /mcp URL clients use (OAuth mode only). */
  resourceMetadata?(resourceUrl: string): Record<string, unknown>;
}

export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const h = headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m?.[1];
}

export const refuse = (status: 401 | 403, error: string, description: string): AuthResult => ({
  ok: false,
  failure: { status, error, description },
});
