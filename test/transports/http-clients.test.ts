import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { CLI, cleanEnv } from '../integration/helpers.js';
import { connectClient, type HttpServer, startHttpServer } from './http-harness.js';
import { resultData } from '../integration/result-data.js';

/** `prisma-access-mcp clients add`, as an operator runs it: the token is the last line of stdout. */
function addClient(file: string, name: string, scopes: string, extra: string[] = []): string {
  const out = execFileSync(
    process.execPath,
    [CLI, 'clients', 'add', name, '--scopes', scopes, '--clients', file, ...extra],
    {
      env: cleanEnv(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return out.trim().split('\n').at(-1)!;
}

let sandbox: RunningSandbox;
let s: HttpServer;
let file: string;
let reader: string;
let writer: string;
beforeAll(async () => {
  sandbox = await startSandbox({ operations: loadCatalog().operations });
  const dir = (await import('node:fs')).mkdtempSync(join((await import('node:os')).tmpdir(), 'pa-clients-'));
  file = join(dir, 'clients.json');
  reader = addClient(file, 'soc-reader', 'config:read');
  writer = addClient(file, 'change-bot', 'config:read,config:write');
  s = await startHttpServer(['--clients', file], { sandbox });
}, 60_000);
afterAll(async () => {
  await s?.close();
  await sandbox?.close();
});

const post = (headers: Record<string, string>) =>
  fetch(s.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    }),
  });

describe('clients add', () => {
  it('prints a new token once and stores only its hash', () => {
    expect(reader).toMatch(/^pam_[A-Za-z0-9_-]{40,}$/);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(reader);
    expect(text).not.toContain(writer);
    expect(JSON.parse(text).clients).toEqual([
      expect.objectContaining({
        name: 'soc-reader',
        scopes: ['config:read'],
        token_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
      expect.objectContaining({ name: 'change-bot', scopes: ['config:read', 'config:write'] }),
    ]);
  });

  it('refuses an unknown scope, naming it', () => {
    expect(() => addClient(file, 'x', 'config:admin')).toThrow(
      /unknown scope config:admin; expected config:read/,
    );
  });
});

describe('--clients: scoped client tokens over HTTP', () => {
  it('refuses no token and a wrong token with 401 and a Bearer challenge, sending nothing upstream', async () => {
    const before = sandbox.requests.length;
    const none = await post({});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_request"/);
    const wrong = await post({ Authorization: `Bearer ${reader}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    await expect(connectClient(s, { token: 'pam_guess' })).rejects.toThrow();
    expect(sandbox.requests.length).toBe(before);
  });

  it('lists only the tools a read-only client may call, and refuses the rest naming the missing scope', async () => {
    const { client } = await connectClient(s, { token: reader });
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toContain('address_list');
    expect(names).not.toContain('address_create');
    expect(names).not.toContain('address_delete');
    expect(names).not.toContain('config_version_push');
    expect(tools.every((t) => t.annotations?.readOnlyHint === true || t.name.startsWith('tool_'))).toBe(true);

    const before = sandbox.requests.length;
    for (const [name, args, scope] of [
      ['address_create', { folder: 'Shared', name: 'x', ip_netmask: '10.0.0.1/32' }, 'config:write'],
      ['address_delete', { id: 'abc', confirm: true }, 'config:delete'],
      ['config_version_push', { folders: ['Shared'], confirm: true }, 'config:deploy'],
    ] as const) {
      const res = (await client.callTool({ name, arguments: args })) as CallToolResult;
      expect(res.isError).toBe(true);
      expect(resultData(res)).toMatchObject({ executed: false, error: { code: 'MISSING_SCOPE' } });
      expect((resultData(res) as any).error.message).toContain(`lacks the scope ${scope}`);
    }
    // Through discovery too.
    const viaCall = (await client.callTool({
      name: 'tool_call',
      arguments: {
        name: 'address_create',
        arguments: { folder: 'Shared', name: 'y', ip_netmask: '10.0.0.2/32' },
      },
    })) as CallToolResult;
    expect(JSON.stringify(resultData(viaCall))).toContain('config:write');
    expect(sandbox.requests.length).toBe(before);
    await client.close();
  });

  it('lets a client with config:write create, and records its name in the audit log', async () => {
    const { client } = await connectClient(s, { token: writer, name: 'some-agent' });
    const res = (await client.callTool({
      name: 'address_create',
      arguments: { folder: 'Shared', name: 'bot-made', ip_netmask: '198.51.100.77/32' },
    })) as CallToolResult;
    expect(res.isError).toBeFalsy();
    const audit = readFileSync(join(s.dir, 'audit.log'), 'utf8');
    const line = audit
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((l) => l.tool === 'address_create' && l.phase === 'outcome' && l.args.name === 'bot-made');
    expect(line).toMatchObject({ client: 'change-bot', outcome: 'ok' });
    await client.close();
  });

  it('answers a session only for the client that opened it', async () => {
    const { client, transport } = await connectClient(s, { token: writer });
    const res = await fetch(s.mcpUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${reader}`,
        'mcp-session-id': transport.sessionId!,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
    });
    expect(res.status).toBe(403);
    await client.close();
  });

  it('never writes a token to its logs', () => {
    expect(s.stderr()).not.toContain(reader);
    expect(s.stderr()).not.toContain(writer);
    expect(s.stderr()).toContain('client auth on');
  });
});
