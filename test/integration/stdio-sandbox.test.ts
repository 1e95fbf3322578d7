import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, call, cleanEnv, type Spawned, spawnServer } from './helpers.js';

let server: Spawned;

beforeAll(async () => {
  // Every tool listed (the default surface is tested in test/discovery).
  server = await spawnServer(['--toolsets', 'all', '--approval', 'confirm-token']);
});
afterAll(async () => {
  await server?.close();
});

describe('the real binary on the sandbox, driven by the SDK client', () => {
  it('says it runs on the sandbox: stderr, instructions, every result', async () => {
    expect(server.stderr()).toMatch(/SANDBOX/);
    expect(server.client.getInstructions()).toMatch(/SANDBOX/);
    const { data } = await call(server.client, 'tag_list', { folder: 'Shared' });
    expect(data.environment).toBe('sandbox');
  });

  it('lists every generated tool with explicit hints', async () => {
    const { tools } = await server.client.listTools();
    // 344 generated, folder_list, tenant_list, connection_test, the four policy tools, the three discovery tools
    // and the five workflow tools.
    expect(tools.length).toBe(354 + 5);
    const del = tools.find((t) => t.name === 'address_delete');
    expect(del?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(del?.inputSchema.properties).toHaveProperty('confirm');
  });

  it('creates an address, finds it by name, and refuses the same name again', async () => {
    const created = await call(server.client, 'address_create', {
      folder: 'Shared',
      name: 'e2e-host-1',
      ip_netmask: '192.0.2.10/32',
      description: 'e2e',
    });
    expect(created.res.isError).toBeFalsy();
    expect(created.data.result).toMatchObject({ name: 'e2e-host-1', ip_netmask: '192.0.2.10/32' });
    expect(created.data.result.id).toEqual(expect.any(String));

    const found = await call(server.client, 'address_list', { folder: 'Shared', name: 'e2e-host-1' });
    expect(found.data.data).toEqual([expect.objectContaining({ id: created.data.result.id })]);

    const dup = await call(server.client, 'address_create', {
      folder: 'Shared',
      name: 'e2e-host-1',
      fqdn: 'a.example.com',
    });
    expect(dup.res.isError).toBe(true);
    expect(JSON.stringify(dup.res.content)).toContain('E006');
  });

  it('moves a security rule and the list order follows', async () => {
    const list = await call(server.client, 'security_rule_list', { folder: 'Shared', position: 'pre' });
    const rules = list.data.data as { id: string; name: string }[];
    expect(rules.length).toBeGreaterThan(1);
    const last = rules.at(-1)!;
    const moved = await call(server.client, 'security_rule_move', {
      id: last.id,
      folder: 'Shared',
      destination: 'top',
      rulebase: 'pre',
    });
    expect(moved.res.isError).toBeFalsy();
    const after = await call(server.client, 'security_rule_list', { folder: 'Shared', position: 'pre' });
    expect((after.data.data as { id: string }[])[0]?.id).toBe(last.id);
  });

  it('refuses an unconfirmed push, then pushes when confirmed and the job can be read', async () => {
    const jobsBefore = await call(server.client, 'job_list', {});
    const preview = await call(server.client, 'config_version_push', { folders: ['Shared'] });
    expect(preview.data).toMatchObject({ status: 'confirmation_required', executed: false });
    const jobsBetween = await call(server.client, 'job_list', {});
    expect(jobsBetween.data.total ?? jobsBetween.data.data.length).toBe(
      jobsBefore.data.total ?? jobsBefore.data.data.length,
    );

    // This client cannot elicit; with --approval confirm-token the preview's single-use token confirms.
    const token = preview.data.approval_token as string;
    expect(token).toEqual(expect.any(String));
    const pushed = await call(server.client, 'config_version_push', {
      folders: ['Shared'],
      confirm: true,
      approval_token: token,
    });
    expect(pushed.res.isError).toBeFalsy();
    const jobId = pushed.data.result.job_id as string;
    expect(jobId).toMatch(/^\d+$/);
    const job = await call(server.client, 'job_get', { id: jobId });
    expect(job.data.result).toMatchObject({ id: jobId });
    expect(['PEND', 'ACT', 'FIN']).toContain(job.data.result.status_str);
  });
});

describe('stdout', () => {
  it('carries nothing but protocol messages', async () => {
    const child = spawn(process.execPath, [CLI], { env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const send = (msg: object) => child.stdin.write(`${JSON.stringify(msg)}\n`);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
    });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'address_list', arguments: { folder: 'Shared' } },
    });
    send({
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'address_create', arguments: { name: 'x' } },
    });
    const deadline = Date.now() + 15_000;
    // Answers may come in any order: wait for both calls.
    while (!(out.includes('"id":2') && out.includes('"id":3')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill();
    const lines = out.split('\n').filter((l) => l.length > 0);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
  });
});
