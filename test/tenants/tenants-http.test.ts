import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { CLI, cleanEnv } from '../integration/helpers.js';
import { connectClient, type HttpServer, startHttpServer } from '../transports/http-harness.js';
import { resultData } from '../integration/result-data.js';

// The sandbox's tree: 1234567890 (the demo account's TSG) with children 1234567891 and 1234567892; 9234567890 is outside.
const PARENT = '1234567890';
const CHILD_A = '1234567891';
const CHILD_B = '1234567892';
const OUTSIDE = '9234567890';

let sandbox: RunningSandbox;
let s: HttpServer;
let admin: string;
let onlyA: string;
let deleter: string;
const dir = mkdtempSync(join(tmpdir(), 'pa-tenants-'));

const addClient = (file: string, name: string, extra: string[]) =>
  execFileSync(process.execPath, [CLI, 'clients', 'add', name, '--clients', file, ...extra], {
    env: cleanEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
    .trim()
    .split('\n')
    .at(-1)!;

beforeAll(async () => {
  sandbox = await startSandbox({ operations: loadCatalog().operations });
  const tenants = join(dir, 'tenants.yaml');
  writeFileSync(
    tenants,
    `tenants:\n  - { tsg_id: "${PARENT}", alias: mssp, descendants: true }\n  - { tsg_id: "${CHILD_A}", alias: customer-a }\n`,
  );
  const clients = join(dir, 'clients.json');
  admin = addClient(clients, 'admin', ['--scopes', 'config:read,config:write']);
  onlyA = addClient(clients, 'analyst-a', ['--scopes', 'config:read', '--tsgs', CHILD_A]);
  deleter = addClient(clients, 'deleter', ['--scopes', 'config:read,config:write,config:delete']);
  s = await startHttpServer(['--tenants', tenants, '--clients', clients], { sandbox });
}, 60_000);
afterAll(async () => {
  await s?.close();
  await sandbox?.close();
});

const tokenScopes = () =>
  sandbox.requests
    .filter((r) => r.path.endsWith('/oauth2/access_token'))
    .map((r) => (r.body as Record<string, string>).scope);

async function call(token: string, name: string, args: Record<string, unknown>) {
  const { client } = await connectClient(s, { token });
  try {
    const res = (await client.callTool({ name, arguments: args })) as CallToolResult;
    return { res, data: resultData(res) as Record<string, any> };
  } finally {
    await client.close();
  }
}

describe('several tenants (--tenants) over HTTP', () => {
  it('lists tsg_id on generated tools, and tenant_list shows the tenants and the TSG tree', async () => {
    const { client } = await connectClient(s, { token: admin });
    const { tools } = await client.listTools();
    const list = tools.find((t) => t.name === 'address_list')!;
    expect(list.inputSchema.properties).toHaveProperty('tsg_id');
    const res = (await client.callTool({ name: 'tenant_list', arguments: {} })) as CallToolResult;
    const data = resultData(res) as Record<string, any>;
    expect(data.default_tsg).toBe(PARENT);
    const mssp = data.tenants.find((t: any) => t.alias === 'mssp');
    expect(mssp.tree.map((t: any) => t.id).sort()).toEqual([PARENT, CHILD_A, CHILD_B]);
    expect(data.tenants.find((t: any) => t.alias === 'customer-a')).toMatchObject({ tsg_id: CHILD_A });
    await client.close();
  });

  it('routes a call to the TSG it names (by id or alias, descendants too), with a token for that TSG', async () => {
    const byAlias = await call(admin, 'address_list', { folder: 'Shared', tsg_id: 'customer-a' });
    expect(byAlias.res.isError).toBeFalsy();
    const descendant = await call(admin, 'address_list', { folder: 'Shared', tsg_id: CHILD_B });
    expect(descendant.res.isError).toBeFalsy();
    expect(tokenScopes()).toEqual(expect.arrayContaining([`tsg_id:${CHILD_A}`, `tsg_id:${CHILD_B}`]));
    // One token per TSG however many calls: single-flight and cached.
    await call(admin, 'address_list', { folder: 'Shared', tsg_id: CHILD_B });
    expect(tokenScopes().filter((x) => x === `tsg_id:${CHILD_B}`)).toHaveLength(1);
  });

  it('refuses a TSG outside the tenants before anything is sent, and records the TSG and client in the audit log', async () => {
    const before = sandbox.requests.length;
    const { res, data } = await call(admin, 'address_create', {
      folder: 'Shared',
      name: 'x',
      ip_netmask: '10.1.1.1/32',
      tsg_id: OUTSIDE,
    });
    expect(res.isError).toBe(true);
    expect(data.error).toMatchObject({ code: 'TSG_NOT_ALLOWED' });
    expect(data.error.message).toContain(
      `TSG ${OUTSIDE} is not one of this server's tenants. Nothing was sent.`,
    );
    expect(sandbox.requests.length).toBe(before);

    const ok = await call(admin, 'address_create', {
      folder: 'Shared',
      name: 'tenant-a-obj',
      ip_netmask: '10.1.1.2/32',
      tsg_id: CHILD_A,
    });
    expect(ok.res.isError).toBeFalsy();
    const lines = readFileSync(join(s.dir, 'audit.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(lines.find((l) => l.args?.name === 'tenant-a-obj' && l.phase === 'outcome')).toMatchObject({
      tsg: CHILD_A,
      client: 'admin',
      outcome: 'ok',
    });
    expect(lines.find((l) => l.tsg === OUTSIDE)).toMatchObject({ outcome: 'refused', client: 'admin' });
  });

  it('limits a client to its TSGs: others are refused with nothing sent', async () => {
    const before = sandbox.requests.length;
    const other = await call(onlyA, 'address_list', { folder: 'Shared', tsg_id: CHILD_B });
    expect(other.res.isError).toBe(true);
    expect(other.data.error.message).toContain(`Client analyst-a may not act on TSG ${CHILD_B}`);
    const byDefault = await call(onlyA, 'address_list', { folder: 'Shared' });
    expect(byDefault.data.error.message).toContain(`may not act on TSG ${PARENT}`);
    expect(sandbox.requests.length).toBe(before);
    const own = await call(onlyA, 'address_list', { folder: 'Shared', tsg_id: 'customer-a' });
    expect(own.res.isError).toBeFalsy();
  });

  it('asks the person about the tenant the call names, and binds the approval to it', async () => {
    const messages: string[] = [];
    const { client } = await connectClient(s, {
      token: deleter,
      elicit: async (req: any) => {
        messages.push(req.params.message);
        return { action: 'accept', content: { approve: true } };
      },
    });
    const created = (await client.callTool({
      name: 'address_create',
      arguments: { folder: 'Shared', name: 'b-ioc', ip_netmask: '10.2.2.2/32', tsg_id: CHILD_B },
    })) as CallToolResult;
    const id = (resultData(created) as any).result.id as string;
    const del = (await client.callTool({
      name: 'address_delete',
      arguments: { id, confirm: true, tsg_id: CHILD_B },
    })) as CallToolResult;
    expect(del.isError).toBeFalsy();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(`TSG ${CHILD_B}`);
    expect(messages[0]).toContain('Delete address "b-ioc"');
    await client.close();
  });

  it('connection_test checks each tenant', async () => {
    const { data, res } = await call(admin, 'connection_test', {});
    expect(res.isError).toBeFalsy();
    expect(data.ok).toBe(true);
    expect(data.tenants.map((t: any) => t.tsg_id)).toEqual([PARENT, CHILD_A]);
    expect(data.tenants[0].steps.map((x: any) => [x.step, x.ok])).toEqual([
      ['token', true],
      ['folders', true],
      ['addresses', true],
    ]);
    const bad = await call(admin, 'connection_test', { tsg_id: 123 });
    expect(bad.res.isError).toBe(true);
    expect(bad.data.error).toMatchObject({ code: 'INVALID_ARGUMENTS', fields: [{ field: 'tsg_id' }] });
  });
});
