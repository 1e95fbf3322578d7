import type { App } from '../app.js';
import type { Authenticator } from '../auth/authenticator.js';
import { clientTokenAuth } from '../auth/client-token-auth.js';
import { oauthAuth } from '../auth/oauth.js';
import { ClientRegistry } from '../clients/clients-file.js';
import { scopedTools } from '../clients/scoped-tools.js';
import type { Config } from '../config.js';
import type { HttpConfig } from '../config-http.js';
import type { Logger } from '../log.js';
import { startHttp } from './http.js';

/** The authenticator the HTTP config asks for, or undefined (loopback without client auth). */
export function authenticatorFor(http: HttpConfig, log: Logger): Authenticator | undefined {
  if (http.oauth) return oauthAuth(http.oauth);
  if (http.clientsFile) {
    const registry = ClientRegistry.fromFile(http.clientsFile);
    if (!registry.size)
      log.warn(`clients file ${http.clientsFile} has no clients: every request will be refused`);
    return clientTokenAuth(registry);
  }
  return undefined;
}

/** --http: serves the app until SIGINT/SIGTERM. */
export async function serveHttp(app: App, config: Config & { http: HttpConfig }, log: Logger): Promise<void> {
  const handle = await startHttp({
    app,
    config: config.http,
    log,
    auth: authenticatorFor(config.http, log),
    ...(app.httpInbox ? { inbox: app.httpInbox.bind(app) } : {}),
    viewFor: (access) => (tools) =>
      scopedTools(tools, access, config.backend, app.safety.audit, (given) => app.tenants.idFor(given)),
  });
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await handle.close().catch(() => {});
    await app.close().catch(() => {});
    process.exit(0);
  };
  // shutdown catches its own failures: nothing to await here.
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}
