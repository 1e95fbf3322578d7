/**
 * One sandbox in the bench process that the server under test and the direct requests both reach: its URL and
 * credentials go to the server as SCM_* variables; the direct side is an undici Agent with a token of its own.
 */
import { Agent, request } from 'undici';
import { loadCatalog } from '../../src/catalog/load.js';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import type { StoredObject } from '../../src/sandbox/store.js';
import { sandboxEnv } from '../integration/helpers.js';

const API = '/sse/config/v1';

export interface Upstream {
  sb: RunningSandbox;
  /** The environment that points the server at this sandbox (no other SCM_* variable). */
  env: Record<string, string>;
  /** Direct request to the config API (`path` below /sse/config/v1) with a valid token; parsed JSON back. */
  direct(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** A root folder holding `n` addresses, put in the store directly (50k creates over HTTP would be the bench). */
  seedFolder(folder: string, n: number): void;
  close(): Promise<void>;
}

/** An address about the size of a real one: name, CIDR, a description and a tag. */
export function address(folder: string, i: number): StoredObject {
  return {
    id: `${folder}-${i}`,
    folder,
    data: {
      name: `${folder}-h${i}`,
      ip_netmask: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`,
      description: `bench host ${i} of ${folder}, seeded in the store`,
      tag: ['bench'],
    },
  };
}

export async function startUpstream(folders: string[], connections = 64): Promise<Upstream> {
  const sb = await startSandbox({ operations: loadCatalog().operations, seedDemo: false });
  for (const name of folders)
    sb.state.data.folders.push({ id: `bench-folder-${name}`, name, parent: '', type: 'folder' });
  sb.state.changed();
  const agent = new Agent({ connections });
  const tokenRes = await request(sb.authUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${sb.clientId}:${sb.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: `grant_type=client_credentials&scope=tsg_id:${sb.tsgId}`,
    dispatcher: agent,
  });
  const token = ((await tokenRes.body.json()) as { access_token: string }).access_token;
  return {
    sb,
    env: sandboxEnv(sb),
    async direct(method, path, body) {
      const res = await request(`${sb.apiUrl}${API}/${path}`, {
        method: method as 'GET',
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        dispatcher: agent,
      });
      return { status: res.statusCode, body: await res.body.json() };
    },
    seedFolder(folder, n) {
      const list = sb.state.objects('address');
      for (let i = 0; i < n; i++) list.push(address(folder, i));
      sb.state.changed();
    },
    async close() {
      await agent.close();
      await sb.close();
    },
  };
}
