import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { call, sandboxEnv, type Spawned, spawnServer } from './helpers.js';

// The binary in real-tenant mode (credentials given), against a loopback SCM: the sandbox served standalone.
let remote: RunningSandbox;
let server: Spawned;

beforeAll(async () => {
  remote = await startSandbox({ operations: loadCatalog().operations, pushDurationMs: 300 });
  server = await spawnServer(['--toolsets', 'all', '--approval', 'flag'], sandboxEnv(remote));
});
afterAll(async () => {
  await server?.close();
  await remote?.close();
});

const sent = (method: string, path: string) =>
  remote.requests.filter((r) => r.method === method && r.path === path);

describe('the real binary against an SCM API on loopback', () => {
  it('speaks the token contract: client credentials, scope tsg_id, one token for many calls', async () => {
    await Promise.all([
      call(server.client, 'tag_list', { folder: 'Shared' }),
      call(server.client, 'address_list', { folder: 'Shared', limit: 5 }),
      call(server.client, 'service_list', { folder: 'Shared' }),
    ]);
    const tokens = sent('POST', '/oauth2/access_token');
    expect(tokens).toHaveLength(1);
    expect(tokens[0]?.body).toEqual({ grant_type: 'client_credentials', scope: `tsg_id:${remote.tsgId}` });
    expect(tokens[0]?.headers['content-type']).toContain('application/x-www-form-urlencoded');
  });

  it('says the environment is scm, and sends the list query as documented', async () => {
    const { data } = await call(server.client, 'address_list', {
      folder: 'Mobile Users',
      limit: 2,
      offset: 1,
    });
    expect(data.environment).toBe('scm');
    const last = sent('GET', '/sse/config/v1/addresses').at(-1);
    expect(last?.query).toEqual({ folder: 'Mobile Users', limit: '2', offset: '1' });
    expect(last?.headers['x-panw-region']).toBeUndefined();
  });

  it('sends a create as the exact JSON body, without nulls or pipeline arguments', async () => {
    const created = await call(server.client, 'address_create', {
      folder: 'Shared',
      name: 'ioc-203-0-113-7',
      ip_netmask: '203.0.113.7/32',
      tag: [],
    });
    expect(created.res.isError).toBeFalsy();
    const post = sent('POST', '/sse/config/v1/addresses').at(-1);
    expect(post?.query).toEqual({ folder: 'Shared' });
    expect(post?.body).toEqual({ name: 'ioc-203-0-113-7', ip_netmask: '203.0.113.7/32', tag: [] });
    expect(post?.headers['content-type']).toBe('application/json');
  });

  it('pushes with {folders} and the job id can be followed', async () => {
    const pushed = await call(server.client, 'config_version_push', { folders: ['Shared'], confirm: true });
    expect(pushed.res.isError).toBeFalsy();
    const push = sent('POST', '/sse/config/v1/config-versions/candidate:push').at(-1);
    expect(push?.body).toEqual({ folders: ['Shared'] });
    const jobId = pushed.data.result.job_id as string;
    const job = await call(server.client, 'job_get', { id: jobId });
    expect(job.data.result.id).toBe(jobId);
  });

  it('never prints the client secret or a token', async () => {
    const stderr = server.stderr();
    expect(stderr).not.toContain(remote.clientSecret);
    expect(stderr).not.toMatch(/eyJ[\w-]{10,}/);
  });
});
