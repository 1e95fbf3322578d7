import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogFor } from '../../src/catalog/load.js';
import { buildRequest } from '../../src/tools/build-request.js';
import { ScmClient, UPSTREAM_HOSTS } from '../../src/scm/http-client.js';
import { start, type TestSandbox } from '../sandbox/helpers.js';

let sb: TestSandbox;
beforeAll(async () => {
  sb = await start({ operations: loadCatalogFor('scm').operations });
});
afterAll(() => sb?.close());

const client = (hosts?: Record<string, string>) =>
  new ScmClient({
    clientId: sb.clientId,
    clientSecret: sb.clientSecret,
    tsgId: sb.tsgId,
    // Neither of these is where the unified operations go: their host is mapped on its own.
    apiUrl: 'http://127.0.0.1:9/unused',
    setupUrl: 'http://127.0.0.1:9/unused',
    authUrl: sb.authUrl,
    retry: { maxRetries: 0 },
    ...(hosts ? { hosts } : {}),
  });

describe('ScmClient: each operation goes to the configured URL of its own upstream host', () => {
  it('sends a unified operation (base from its spec server) to the URL configured for that host', async () => {
    const op = loadCatalogFor('scm').operations.find((o) => o.tool === 'address_list')!;
    expect(op.base).toEqual({ host: UPSTREAM_HOSTS.strata, prefix: '/config/objects/v1' });
    const req = buildRequest(op, { folder: 'Shared' });
    expect(req.host).toBe(UPSTREAM_HOSTS.strata);
    const res = await client({ [UPSTREAM_HOSTS.strata]: sb.url }).request(req);
    expect(res.status).toBe(200);
    expect(sb.requests.at(-1)?.path).toBe('/config/objects/v1/addresses');
  });

  it('refuses a host nobody configured, naming it, and sends nothing', async () => {
    const before = sb.requests.length;
    await expect(
      client().request({
        method: 'GET',
        path: '/x',
        host: 'https://elsewhere.example.com',
        operation: 'x.list',
      }),
    ).rejects.toThrow('no URL is configured for the upstream host https://elsewhere.example.com of x.list');
    expect(sb.requests.length).toBe(before);
  });
});
