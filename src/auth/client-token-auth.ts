import type { ClientRegistry } from '../clients/clients-file.js';
import { type Authenticator, bearerToken, refuse } from './authenticator.js';

/** --clients FILE: a bearer token whose hash is in the file. */
export function clientTokenAuth(registry: ClientRegistry): Authenticator {
  return {
    async authenticate(headers) {
      const token = bearerToken(headers);
      if (!token)
        return refuse(
          401,
          'invalid_request',
          'This server needs a client token: Authorization: Bearer <token>.',
        );
      const access = registry.authenticate(token);
      if (!access)
        return refuse(
          401,
          'invalid_token',
          'The client token is not known (revoked, mistyped, or for another server).',
        );
      return { ok: true, access };
    },
  };
}
