import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { resultData } from '../integration/result-data.js';

// The discovery tools in the real app (createApp on the in-process sandbox, its approval gate and audit log),
// driven by the SDK client.

type J = Record<string, any>;

interface Running {
  app: App;
  client: Client;
  auditPath: string;
  call(name: string, args?: J): Promise<{ res: CallToolResult; data: J }>;
  audit(): J[];
}

let running: Running | undefined;
afterEach(async () => {
  await running?.client.close();
  await running?.app.close();
  if (running) rmSync(dirname(running.auditPath), { recursive: true, force: true });
  running = undefined;
});

async function start(args: string[]): Promise<Running> {
  const auditPath = join(mkdtempSync(join(tmpdir(), 'pa-mcp-discovery-')), 'audit.jsonl');
  const app = await createApp(
    loadConfig([...args, '--sandbox', '--audit-log', auditPath], {}),
    createLogger('silent'),
  );
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await app.server.connect(serverSide);
  const client = new Client({ name: 'discovery-app-test', version: '1.0.0' });
  await client.connect(clientSide);
  running = {
    app,
    client,
    auditPath,
    async call(name, a = {}) {
      const res = (await client.callTool({ name, arguments: a })) as CallToolResult;
      return { res, data: resultData(res) as J };
    },
    audit: () =>
      existsSync(auditPath)
        ? readFileSync(auditPath, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l))
        : [],
  };
  return running;
}

const count = async (r: Running, tool: string, args: J) =>
  (await r.call('tool_call', { name: tool, arguments: args })).data.total as number;

describe('the app with --toolsets discovery', () => {
  it('lists three tools and says how to reach the rest', async () => {
    const r = await start(['--toolsets', 'discovery']);
    const { tools } = await r.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['tool_call', 'tool_describe', 'tool_search']);
    expect(r.client.getInstructions()).toMatch(/tool_search finds them/);
    const folders = await r.call('tool_search', { query: 'folders', limit: 3 });
    expect(folders.data.results.map((x: J) => x.name)).toContain('folder_list');
  });

  it('a gated call through tool_call without confirmation sends nothing', async () => {
    const r = await start(['--toolsets', 'discovery']);
    const created = await r.call('tool_call', {
      name: 'address_create',
      arguments: { folder: 'Shared', name: 'ioc-discovery', ip_netmask: '198.51.100.7/32' },
    });
    expect(created.res.isError).toBeFalsy();
    const id = created.data.result.id as string;
    const jobs = await count(r, 'job_list', {});

    const del = await r.call('tool_call', { name: 'address_delete', arguments: { id } });
    expect(del.data).toMatchObject({ executed: false, environment: 'sandbox' });
    const push = await r.call('tool_call', {
      name: 'config_version_push',
      arguments: { folders: ['Shared'] },
    });
    expect(push.data).toMatchObject({ executed: false });

    const still = await r.call('tool_call', { name: 'address_get', arguments: { id } });
    expect(still.data.result).toMatchObject({ id, name: 'ioc-discovery' });
    expect(await count(r, 'job_list', {})).toBe(jobs);
    expect(r.audit().map((l) => `${l.tool}:${l.outcome ?? l.phase}`)).toEqual(
      expect.arrayContaining(['address_delete:preview', 'config_version_push:preview']),
    );
  });

  it('gives the same answer and audit through tool_call as a direct call', async () => {
    const r = await start(['--toolsets', 'all']);
    const direct = await r.call('tag_delete', { id: 'no-such-tag' });
    const via = await r.call('tool_call', { name: 'tag_delete', arguments: { id: 'no-such-tag' } });
    // The preview's token and expiry are per call; everything else must be the same.
    const strip = (d: J) =>
      JSON.parse(JSON.stringify(d).replace(/"(approval_token|expires_at)":"[^"]*"/g, '"$1":"x"'));
    expect(strip(via.data)).toEqual(strip(direct.data));
    const lines = r.audit().filter((l) => l.tool === 'tag_delete');
    expect(lines).toHaveLength(2);
    const bare = ({ time: _t, call_id: _c, ...rest }: J) => rest;
    expect(bare(lines[1]!)).toEqual(bare(lines[0]!));
  });
});

describe('the app with --read-only', () => {
  it('tool_call refuses a write as a direct call would, sending nothing', async () => {
    const r = await start(['--read-only']);
    const before = await count(r, 'address_list', { folder: 'Shared' });
    const res = await r.call('tool_call', {
      name: 'address_create',
      arguments: { folder: 'Shared', name: 'ro', ip_netmask: '10.9.9.9' },
    });
    expect(res.res.isError).toBe(true);
    expect(res.data).toMatchObject({ executed: false, error: { code: 'READ_ONLY' } });
    expect(await count(r, 'address_list', { folder: 'Shared' })).toBe(before);
    const { tools } = await r.client.listTools();
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
  });
});

describe('flags naming what does not exist', () => {
  it('fail at start, naming the valid toolsets', async () => {
    await expect(start(['--toolsets', 'objects,polcy'])).rejects.toThrow(
      /unknown toolset "polcy".*valid: all, default/,
    );
    await expect(start(['--tools', 'adress_list'])).rejects.toThrow(/did you mean address_list/);
  });
});
