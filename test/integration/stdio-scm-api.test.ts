import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, call, cleanEnv, type Spawned, spawnServer } from './helpers.js';

let server: Spawned;

beforeAll(async () => {
  // Approval by flag: this test is about the unified API's calls, not about approval (tested elsewhere).
  server = await spawnServer(['--api', 'scm', '--approval', 'flag', '--toolsets', 'all']);
});
afterAll(async () => {
  await server?.close();
});

describe('--api scm: the real binary on the sandbox, through the unified API paths', () => {
  it('lists all 762 unified operations as tools, plus the server tools', async () => {
    const { tools } = await server.client.listTools();
    const names = new Set(tools.map((t) => t.name));
    // 762 generated, folder_list and the three discovery tools.
    expect(tools).toHaveLength(777);
    for (const n of [
      'address_create',
      'security_rule_move',
      'config_version_push',
      'job_get',
      'setup_folder_list',
    ])
      expect(names.has(n), n).toBe(true);
  });

  it('finds tools by the toolsets only the unified API has', async () => {
    const overview = await call(server.client, 'tool_search', {});
    const names = (overview.data.toolsets as { name: string; description: string }[]).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['adnsr', 'deployment', 'setup', 'objects', 'policy']));
    const adnsr = (overview.data.toolsets as { name: string; description: string }[]).find(
      (t) => t.name === 'adnsr',
    );
    expect(adnsr?.description).toMatch(/DNS resolver/);
    const found = await call(server.client, 'tool_search', { toolset: 'adnsr' });
    expect(found.res.isError, JSON.stringify(found.res.content)).toBeFalsy();
    expect(JSON.stringify(found.data)).toContain('adns_resolver_profile_list');
  });

  it('lists, creates (folder in the body) and finds an address at /config/objects/v1', async () => {
    const list = await call(server.client, 'address_list', { folder: 'Shared' });
    expect(list.res.isError).toBeFalsy();
    expect(list.data.data.length).toBeGreaterThan(0);

    const created = await call(server.client, 'address_create', {
      folder: 'Shared',
      name: 'scm-e2e-1',
      ip_netmask: '192.0.2.77/32',
    });
    expect(created.res.isError, JSON.stringify(created.res.content)).toBeFalsy();
    expect(created.data.result).toMatchObject({
      name: 'scm-e2e-1',
      ip_netmask: '192.0.2.77/32',
      folder: 'Shared',
    });

    const found = await call(server.client, 'address_list', { folder: 'Shared', name: 'scm-e2e-1' });
    expect(found.data.data).toEqual([expect.objectContaining({ id: created.data.result.id })]);
  });

  it('refuses a create that names two containers or none, before anything is sent', async () => {
    const two = await call(server.client, 'address_create', {
      folder: 'Shared',
      snippet: 'Corporate Baseline',
      name: 'scm-e2e-2',
      fqdn: 'two.example.com',
    });
    expect(two.res.isError).toBe(true);
    expect(JSON.stringify(two.res.content)).toMatch(/only one of folder, snippet, device/);
    const none = await call(server.client, 'address_create', { name: 'scm-e2e-3', fqdn: 'none.example.com' });
    expect(none.res.isError).toBe(true);
    expect(JSON.stringify(none.res.content)).toMatch(/exactly one of folder, snippet, device/);
  });

  it('moves a security rule with no folder in the query, and the order follows', async () => {
    const list = await call(server.client, 'security_rule_list', { folder: 'Shared', position: 'pre' });
    const rules = list.data.data as { id: string }[];
    expect(rules.length).toBeGreaterThan(1);
    const last = rules.at(-1)!;
    const moved = await call(server.client, 'security_rule_move', {
      id: last.id,
      destination: 'top',
      rulebase: 'pre',
    });
    expect(moved.res.isError, JSON.stringify(moved.res.content)).toBeFalsy();
    const after = await call(server.client, 'security_rule_list', { folder: 'Shared', position: 'pre' });
    expect((after.data.data as { id: string }[])[0]?.id).toBe(last.id);
  });

  it('pushes through /config/operations/v1 and waits for the jobs', async () => {
    // The unified push names its folders `folder`, a list.
    const pushed = await call(server.client, 'config_version_push', {
      folder: ['Shared'],
      confirm: true,
      wait: true,
    });
    expect(pushed.res.isError, JSON.stringify(pushed.res.content)).toBeFalsy();
    const text = JSON.stringify(pushed.data);
    expect(text).toMatch(/FIN/);
    const jobId = String(pushed.data.result?.job_id ?? pushed.data.job?.id ?? '');
    expect(jobId).toMatch(/^\d+$/);
    const job = await call(server.client, 'job_get', { id: jobId });
    expect(job.data.result).toMatchObject({ id: jobId, status_str: 'FIN' });
  });

  it('serves the folders resource from the Setup API operation of the IR', async () => {
    const { contents } = await server.client.readResource({ uri: 'scm://folders' });
    const first = contents[0] as { text?: string } | undefined;
    const listing = JSON.parse(String(first?.text));
    expect(listing.source).toBe('live');
    expect(listing.folders.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining(['Shared', 'Branch Offices']),
    );
    const tool = await call(server.client, 'folder_list', {});
    expect(tool.res.isError).toBeFalsy();
  });
});

describe('--api with an unknown name', () => {
  it('stops the binary with one error naming the valid names, stdout untouched', () => {
    const run = spawnSync(process.execPath, [CLI, '--api', 'sase'], {
      env: cleanEnv(),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('unknown --api "sase"; valid: prisma-access, scm');
    expect(run.stdout).toBe('');
  });
});
