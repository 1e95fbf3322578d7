import { request } from 'node:http';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type HttpServer, startHttpServer } from './http-harness.js';
import { resultData } from '../integration/result-data.js';

let s: HttpServer;
beforeAll(async () => {
  s = await startHttpServer();
}, 60_000);
afterAll(async () => {
  await s?.close();
});

const call = async (client: Awaited<ReturnType<typeof connectClient>>['client'], name: string, args = {}) => {
  const res = (await client.callTool({ name, arguments: args }, undefined, {
    timeout: 60_000,
  })) as CallToolResult;
  return { res, data: resultData(res) as Record<string, any> };
};

/** A raw POST with headers fetch would not let us set (Host). */
function rawPost(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }));
  });
}

describe('--http (Streamable HTTP, sessions)', () => {
  it('answers /healthz and /readyz', async () => {
    expect(await (await fetch(`${s.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${s.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });

  it('gives each client its own session, lists tools and calls them on the tenant', async () => {
    const a = await connectClient(s);
    const b = await connectClient(s);
    expect(a.transport.sessionId).toBeTruthy();
    expect(a.transport.sessionId).not.toBe(b.transport.sessionId);
    const { tools } = await a.client.listTools();
    expect(tools.map((t) => t.name)).toContain('address_list');
    const { res, data } = await call(b.client, 'address_list', { folder: 'Shared' });
    expect(res.isError).toBeFalsy();
    expect(data.environment).toBe('scm');
    expect(s.sandbox.requests.some((r) => r.method === 'GET' && r.path.endsWith('/addresses'))).toBe(true);
    await a.client.close();
    await b.client.close();
  });

  it('asks the person over HTTP (elicitation) before a delete, and reports push progress', async () => {
    const prompts: unknown[] = [];
    const { client } = await connectClient(s, {
      elicit: async () => {
        prompts.push(1);
        return { action: 'accept', content: { approve: true } };
      },
    });
    const created = await call(client, 'address_create', {
      folder: 'Shared',
      name: 'http-ioc',
      ip_netmask: '198.51.100.9/32',
    });
    const id = created.data.result.id as string;
    const del = await call(client, 'address_delete', { id, confirm: true });
    expect(del.res.isError).toBeFalsy();
    expect(prompts).toHaveLength(1);
    expect(s.sandbox.state.find('address', id)).toBeUndefined();

    const progress: Progress[] = [];
    const push = (await client.callTool(
      { name: 'config_version_push', arguments: { folders: ['Shared'], confirm: true, wait: true } },
      undefined,
      { onprogress: (p) => progress.push(p), timeout: 60_000 },
    )) as CallToolResult;
    expect(push.isError).toBeFalsy();
    expect((resultData(push) as any).wait).toMatchObject({ state: 'succeeded' });
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.at(-1)).toMatchObject({ progress: 100, total: 100 });
    await client.close();
  }, 90_000);

  it('refuses a request with a foreign Host or Origin (DNS rebinding), before MCP sees it', async () => {
    const before = s.sandbox.requests.length;
    const host = await rawPost(`${s.url}/mcp`, { Host: 'attacker.example' });
    expect(host.status).toBe(403);
    expect(host.body).toContain('Invalid Host');
    const origin = await rawPost(`${s.url}/mcp`, { Origin: 'https://attacker.example' });
    expect(origin.status).toBe(403);
    expect(origin.body).toContain('Origin https://attacker.example is not allowed');
    // A loopback page (an inspector on localhost) may connect.
    const ok = await rawPost(`${s.url}/mcp`, {
      Origin: 'http://localhost:6274',
      Accept: 'application/json, text/event-stream',
    });
    expect(ok.status).not.toBe(403);
    expect(s.sandbox.requests.length).toBe(before);
  });

  it('answers 404 for an unknown session, so the client initializes again', async () => {
    const res = await fetch(`${s.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': 'nope',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(res.status).toBe(404);
  });
});

describe('--http configuration', () => {
  it('closes a session that stays idle longer than --session-idle', async () => {
    const idle = await startHttpServer(['--session-idle', '1']);
    try {
      const { client, transport } = await connectClient(idle);
      const id = transport.sessionId!;
      await new Promise((r) => setTimeout(r, 2500));
      expect(idle.stderr()).toContain(`session ${id} closed (idle)`);
      await expect(client.listTools()).rejects.toThrow(/404|Session not found/);
    } finally {
      await idle.close();
    }
  }, 60_000);
});
