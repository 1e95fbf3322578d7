import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { fetchToken, operations, read, sleep, start, type TestSandbox } from './helpers.js';

describe('sandbox auth', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await start({ tokenTtlSeconds: 1 });
  });
  afterAll(() => sb.close());

  it('issues a Bearer token for Basic client credentials and the tsg_id scope', async () => {
    const { status, body } = await read(await fetchToken(sb));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 1,
      scope: `profile tsg_id:${sb.tsgId} email`,
    });
    expect(body.access_token.split('.')).toHaveLength(3);
  });

  it('answers 401 invalid_client for a wrong secret', async () => {
    const { status, body } = await read(await fetchToken(sb, 'wrong-secret'));
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
  });

  it('refuses a scope without tsg_id (400) and another TSG (403)', async () => {
    expect((await fetchToken(sb, sb.clientSecret, 'profile')).status).toBe(400);
    const other = await read(await fetchToken(sb, sb.clientSecret, 'tsg_id:999'));
    expect(other.status).toBe(403);
    expect(other.body.error).toBe('access_denied');
  });

  it('answers 401 E016 without a token, with a forged one, and with an expired one', async () => {
    const bare = await read(await fetch(`${sb.url}/sse/config/v1/tags?folder=Shared`));
    expect(bare.status).toBe(401);
    expect(bare.body._errors[0].code).toBe('E016');
    expect(bare.body._request_id).toMatch(/^[0-9a-f-]{36}$/);

    const forged = await fetch(`${sb.url}/sse/config/v1/tags?folder=Shared`, {
      headers: { authorization: 'Bearer aaa.bbb.ccc' },
    });
    expect(forged.status).toBe(401);

    const token = ((await (await fetchToken(sb)).json()) as { access_token: string }).access_token;
    const ok = await fetch(`${sb.url}/sse/config/v1/tags?folder=Shared`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.status).toBe(200);
    await sleep(1100);
    const expired = await read(
      await fetch(`${sb.url}/sse/config/v1/tags?folder=Shared`, {
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    expect(expired.status).toBe(401);
    expect(expired.body._errors[0]).toMatchObject({ code: 'E016', message: 'Key Expired' });
  });

  it('protects the folders API too, and rejects tokens of another sandbox', async () => {
    const other = await startSandbox({ operations: await operations() });
    try {
      const foreign = ((await (await fetchToken(other)).json()) as { access_token: string }).access_token;
      const res = await fetch(`${sb.url}/config/setup/v1/folders`, {
        headers: { authorization: `Bearer ${foreign}` },
      });
      expect(res.status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('rejects the x-panw-region header on the config API', async () => {
    const { status, body } = await sb.api('GET', 'tags?folder=Shared', undefined, {
      'x-panw-region': 'americas',
    });
    expect(status).toBe(400);
    expect(body._errors[0].code).toBe('E003');
  });

  it('records requests without the Authorization header or the secret', async () => {
    const tokenReq = sb.requests.find((r) => r.path === '/oauth2/access_token');
    expect(tokenReq?.headers.authorization).toBeUndefined();
    expect(JSON.stringify(sb.requests)).not.toContain(sb.clientSecret);
    expect(sb.requests.some((r) => r.path === '/sse/config/v1/tags' && r.status === 200)).toBe(true);
  });
});
