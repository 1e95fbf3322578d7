import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogFor } from '../../src/catalog/load.js';
import { unionOfOperations } from '../../src/sandbox/unified-paths.js';
import { fetchToken, start, type TestSandbox } from './helpers.js';

let sb: TestSandbox;

beforeAll(async () => {
  // As `npm run sandbox` serves it: both path families over one store.
  const operations = unionOfOperations(
    loadCatalogFor('prisma-access').operations,
    loadCatalogFor('scm').operations,
  );
  sb = await start({ operations });
});
afterAll(() => sb?.close());

describe('sandbox: both API generations over one store', () => {
  it('lists at /config/objects/v1 the address created at /sse/config/v1', async () => {
    const made = await sb.api('POST', '/sse/config/v1/addresses?folder=Shared', {
      name: 'mixed-1',
      ip_netmask: '198.51.100.1/32',
    });
    expect(made.status).toBe(201);
    const listed = await sb.api('GET', '/config/objects/v1/addresses?folder=Shared&name=mixed-1');
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ id: made.body.id, name: 'mixed-1', ip_netmask: '198.51.100.1/32' });
    const byId = await sb.api('GET', `/config/objects/v1/addresses/${made.body.id}`);
    expect(byId.body).toMatchObject({ name: 'mixed-1', folder: 'Shared' });
  });

  it('reads at /sse/config/v1 what the unified API created, the container in the body', async () => {
    const made = await sb.api('POST', '/config/objects/v1/addresses', {
      name: 'mixed-2',
      fqdn: 'mixed.example.com',
      folder: 'Branch Offices',
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const listed = await sb.api('GET', '/sse/config/v1/addresses?folder=Branch%20Offices&name=mixed-2');
    expect(listed.body).toMatchObject({ id: made.body.id, fqdn: 'mixed.example.com' });
    // One store: deleting through one family removes it from the other.
    expect((await sb.api('DELETE', `/sse/config/v1/addresses/${made.body.id}`)).status).toBe(200);
    expect((await sb.api('GET', `/config/objects/v1/addresses/${made.body.id}`)).status).toBe(404);
  });

  it('refuses a unified create with two containers, naming them', async () => {
    const res = await sb.api('POST', '/config/objects/v1/addresses', {
      name: 'mixed-3',
      fqdn: 'x.example.com',
      folder: 'Shared',
      snippet: 'Corporate Baseline',
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/folder|snippet/);
  });

  it('pushes through the unified operations API and reads the job there', async () => {
    const pushed = await sb.api('POST', '/config/operations/v1/config-versions/candidate:push', {
      folder: ['Shared'],
    });
    expect(pushed.status).toBe(200);
    const job = await sb.api('GET', `/config/operations/v1/jobs/${pushed.body.job_id}`);
    expect(job.status).toBe(200);
    expect(JSON.stringify(job.body)).toContain(String(pushed.body.job_id));
  });

  it('serves other Setup API resources from the IR beside folders and snippets', async () => {
    const labels = await sb.api('GET', '/config/setup/v1/labels');
    expect(labels.status).toBe(200);
    expect(labels.body).toMatchObject({ data: expect.any(Array) });
  });
});

describe('sandbox tokens', () => {
  it('are RS256 JWTs that verify against its own JWKS with jose (aud, scope, tsg_id, exp)', async () => {
    const res = await fetch(sb.authUrl.replace('/oauth2/', '/am/oauth2/'), {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${sb.clientId}:${sb.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `grant_type=client_credentials&scope=tsg_id:${sb.tsgId}`,
    });
    expect(res.status).toBe(200);
    const { access_token: token } = (await res.json()) as { access_token: string };
    expect(decodeProtectedHeader(token).alg).toBe('RS256');
    const jwks = createRemoteJWKSet(new URL(`${sb.url}/am/oauth2/connect/jwk_uri`));
    const { payload } = await jwtVerify(token, jwks, { audience: sb.clientId, algorithms: ['RS256'] });
    expect(payload).toMatchObject({ aud: sb.clientId, tsg_id: sb.tsgId, sub: sb.clientId });
    expect(payload.scope).toContain(`tsg_id:${sb.tsgId}`);
    expect(payload.exp! * 1000).toBeGreaterThan(Date.now());
  });

  it('are rejected by the JWKS check when forged, and by the sandbox too', async () => {
    const token = ((await (await fetchToken(sb)).json()) as { access_token: string }).access_token;
    const [head, body] = token.split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString());
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...claims, tsg_id: '999' })).toString('base64url')}.${token.split('.')[2]}`;
    const jwks = createRemoteJWKSet(new URL(`${sb.url}/am/oauth2/connect/jwk_uri`));
    await expect(jwtVerify(forged, jwks)).rejects.toThrow();
    const res = await fetch(`${sb.url}/config/objects/v1/tags?folder=Shared`, {
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(res.status).toBe(401);
  });
});
