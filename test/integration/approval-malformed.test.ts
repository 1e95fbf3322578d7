import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from './approval-harness.js';
import { resultData } from './result-data.js';

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

/** A raw client that declares elicitation and answers every prompt with `result` as given. */
async function rawClient(answer: unknown) {
  const { app, sandbox } = await startApp();
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await app.server.connect(serverSide);
  const replies = new Map<number | string, (m: Record<string, any>) => void>();
  const prompts: unknown[] = [];
  clientSide.onmessage = (m: JSONRPCMessage) => {
    const msg = m as Record<string, any>;
    if (msg.method === 'elicitation/create') {
      prompts.push(msg.params);
      void clientSide.send({ jsonrpc: '2.0', id: msg.id, result: answer } as unknown as JSONRPCMessage);
    } else if ('id' in msg && replies.has(msg.id)) replies.get(msg.id)!(msg);
  };
  await clientSide.start();
  let next = 1;
  const request = (method: string, params: Record<string, unknown>) =>
    new Promise<Record<string, any>>((resolve) => {
      const id = next++;
      replies.set(id, resolve);
      void clientSide.send({ jsonrpc: '2.0', id, method, params });
    });
  await request('initialize', {
    protocolVersion: '2025-06-18',
    capabilities: { elicitation: {} },
    clientInfo: { name: 'raw', version: '1' },
  });
  await clientSide.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  stop = async () => {
    await clientSide.close();
    await app.close();
    await sandbox.close();
  };
  return { request, prompts, sandbox };
}

describe('a malformed answer to the approval prompt', () => {
  it.each([
    ['result: null', null],
    ['no action', { content: { approve: true } }],
    ['result is a string', 'yes'],
  ])('%s refuses at once and sends nothing', async (_name, answer) => {
    const c = await rawClient(answer);
    const started = Date.now();
    const res = await c.request('tools/call', {
      name: 'config_version_push',
      arguments: { folders: ['Shared'], confirm: true },
    });
    expect(c.prompts).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(res.result.isError).toBe(true);
    expect(resultData(res.result)).toMatchObject({ status: 'approval_failed', executed: false });
    expect(c.sandbox.requests.filter((r) => r.path.includes(':push'))).toHaveLength(0);
  });
});
