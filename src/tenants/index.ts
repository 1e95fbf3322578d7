import type { Logger } from '../log.js';
import { registerSecret } from '../log.js';
import { ScmClient } from '../scm/http-client.js';
import type { LazyDispatcher } from '../scm/transport.js';
import { TenantRegistry } from './registry.js';

export { TenantNotAllowed, TenantRegistry } from './registry.js';

/** The tenant registry from --tenants (or just the configured TSG); other service accounts use the same URLs. */
export async function createTenants(
  tenantsFile: string | undefined,
  client: ScmClient,
  urls: { apiUrl: string; setupUrl: string; authUrl: string; dispatcher?: LazyDispatcher },
  log: Logger,
): Promise<TenantRegistry> {
  // The YAML parser is loaded only when there is a file to read.
  const entries = tenantsFile ? (await import('./tenants-file.js')).readTenantsFile(tenantsFile) : [];
  const registry = new TenantRegistry(client, entries, (e) => {
    registerSecret(e.credentials.clientSecret);
    return new ScmClient({ ...e.credentials, tsgId: e.tsgId, ...urls, logger: log });
  });
  if (tenantsFile)
    log.info(
      `tenants: ${registry.entries.map((e) => `${e.tsgId}${e.alias ? ` (${e.alias})` : ''}${e.descendants ? ' +descendants' : ''}`).join(', ')}`,
    );
  return registry;
}
