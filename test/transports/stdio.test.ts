import { PassThrough } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { BoundedStdioTransport } from '../../src/transports/stdio.js';

const tick = () => new Promise((r) => setImmediate(r));
const req = (id: number) => `${JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list' })}\n`;

function pair(maxInFlight: number) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const got: JSONRPCMessage[] = [];
  const t = new BoundedStdioTransport({ stdin, stdout, maxInFlight, warn: () => {} });
  t.onmessage = (m) => void got.push(m);
  return { stdin, stdout, got, t };
}

describe('BoundedStdioTransport', () => {
  it('hands out at most maxInFlight requests until they are answered', async () => {
    const { stdin, got, t } = pair(2);
    await t.start();
    stdin.write(req(1) + req(2) + req(3) + req(4) + req(5));
    await tick();
    expect(got.map((m) => (m as { id: number }).id)).toEqual([1, 2]);
    await t.send({ jsonrpc: '2.0', id: 1, result: {} });
    await tick();
    expect(got.map((m) => (m as { id: number }).id)).toEqual([1, 2, 3]);
  });

  it('keeps reading while the server waits on the client, so the answer to its question gets through', async () => {
    const { stdin, got, t } = pair(1);
    await t.start();
    stdin.write(req(1));
    await tick();
    // The call asks the person (elicitation) and waits; the in-flight cap is reached.
    await t.send({ jsonrpc: '2.0', id: 0, method: 'elicitation/create', params: {} } as JSONRPCMessage);
    stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 0, result: { action: 'accept' } })}\n`);
    await tick();
    expect(got).toContainEqual({ jsonrpc: '2.0', id: 0, result: { action: 'accept' } });
  });
});
