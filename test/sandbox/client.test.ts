import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScmApiError, ScmClient } from '../../src/scm/index.js';
import { sleep, start, type TestSandbox } from './helpers.js';

/** The sandbox through the production SCM client: only the base URLs differ from a real tenant. */
describe('sandbox behind the real SCM client', () => {
  let sb: TestSandbox;
  let client: ScmClient;
  beforeAll(async () => {
    sb = await start({ tokenTtlSeconds: 1, seed: 5 });
    client = new ScmClient({
      clientId: sb.clientId,
      clientSecret: sb.clientSecret,
      tsgId: sb.tsgId,
      apiUrl: sb.apiUrl,
      setupUrl: sb.setupUrl,
      authUrl: sb.authUrl,
      retry: { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 20 },
    });
  });
  afterAll(() => sb.close());

  it('lists, creates and reads folders through the client', async () => {
    const list = await client.request({
      method: 'GET',
      path: '/sse/config/v1/addresses',
      query: { folder: 'Shared', limit: 5 },
    });
    expect(list.body).toMatchObject({ limit: 5, offset: 0 });
    const created = await client.request({
      method: 'POST',
      path: '/sse/config/v1/tags',
      query: { folder: 'Shared' },
      body: { name: 'via-client', color: 'Blue' },
    });
    expect(created.status).toBe(201);
    const folders = await client.request({ method: 'GET', path: '/config/setup/v1/folders', base: 'setup' });
    // The six system folders and Branch Offices; snippets have their own list.
    expect((folders.body as { total: number }).total).toBeGreaterThanOrEqual(7);
  });

  it('surfaces SCM errors as ScmApiError with the status', async () => {
    const err = await client
      .request({
        method: 'POST',
        path: '/sse/config/v1/tags',
        query: { folder: 'Shared' },
        body: { name: 'via-client' },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScmApiError);
    expect((err as ScmApiError).status).toBe(409);
  });

  it('gets a new token when the old one expires', async () => {
    const before = sb.requests.filter((r) => r.path === '/oauth2/access_token').length;
    await sleep(1100);
    await client.request({ method: 'GET', path: '/sse/config/v1/tags', query: { folder: 'Shared' } });
    expect(sb.requests.filter((r) => r.path === '/oauth2/access_token').length).toBeGreaterThan(before);
  });

  it('rides out 429s and 5xx with its retries', async () => {
    sb.setFaults({ rate429: 0.3, rate5xx: 0.2 });
    try {
      for (let i = 0; i < 10; i++) {
        const res = await client.request({
          method: 'GET',
          path: '/sse/config/v1/tags',
          query: { folder: 'Shared' },
        });
        expect(res.status).toBe(200);
      }
      expect(sb.requests.some((r) => r.status === 429)).toBe(true);
    } finally {
      sb.setFaults({});
    }
  });
});
