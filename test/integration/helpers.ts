import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resultData } from './result-data.js';

export const CLI = resolve(import.meta.dirname, '..', '..', 'dist', 'cli.js');

// Spawned servers keep their audit logs here, never in the user's own state directory.
const stateHome = mkdtempSync(join(tmpdir(), 'prisma-access-mcp-test-state-'));

/** The environment of the test process without any SCM_* credential. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('SCM_')) env[k] = v;
  return { ...env, XDG_STATE_HOME: stateHome, ...extra };
}

/** cleanEnv with the SCM_* variables that point the server at `sb` as a real tenant (`extra` last). */
export function sandboxEnv(
  sb: {
    clientId: string;
    clientSecret: string;
    tsgId: string;
    apiUrl: string;
    setupUrl: string;
    authUrl: string;
  },
  extra: Record<string, string> = {},
): Record<string, string> {
  return cleanEnv({
    SCM_CLIENT_ID: sb.clientId,
    SCM_CLIENT_SECRET: sb.clientSecret,
    SCM_TSG_ID: sb.tsgId,
    SCM_API_URL: sb.apiUrl,
    SCM_SETUP_URL: sb.setupUrl,
    SCM_AUTH_URL: sb.authUrl,
    ...extra,
  });
}

export interface Spawned {
  client: Client;
  stderr: () => string;
  close: () => Promise<void>;
}

/** Spawns the real binary over stdio and connects the SDK client to it. */
export async function spawnServer(
  args: string[] = [],
  env: Record<string, string> = cleanEnv(),
): Promise<Spawned> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, ...args],
    env,
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const client = new Client({ name: 'e2e-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => err, close: () => client.close() };
}

export async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  const res = (await client.callTool({ name, arguments: args })) as CallToolResult;
  return { res, data: resultData(res) as Record<string, any> };
}
