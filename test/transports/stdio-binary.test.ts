import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { cleanEnv, sandboxEnv } from '../integration/helpers.js';
import { init, initialized, lines, run, toolsList } from '../integration/pipe.js';
import { resultData } from '../integration/result-data.js';

describe('stdio: the binary finishes every answer, then exits 0 when stdin closes', () => {
  it('exits 0 at once with stdin at end of file (in-process sandbox)', async () => {
    const r = await run([], undefined, cleanEnv(), 60_000);
    expect(r.code).toBe(0);
    expect(r.bytes).toBe(0);
  });

  it('writes every answer of a piped batch in full (sandbox, every tool listed)', async () => {
    const n = 8;
    const reqs = Array.from({ length: n }, (_, i) => toolsList(i + 1));
    const r = await run(['--toolsets', 'all'], lines(init, initialized, ...reqs));
    expect(r.code).toBe(0);
    expect([...r.ids].sort((a, b) => Number(a) - Number(b))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.errors).toEqual([]);
    // Every tools/list answer is the same, whole (it parsed), and the bytes add up: nothing was cut.
    const listed = r.sizes.slice(1);
    expect(new Set(listed).size).toBe(1);
    expect(listed[0]).toBeGreaterThan(100_000);
    expect(r.bytes).toBe(r.sizes.reduce((a, b) => a + b + 1, 0));
  });

  describe('with a real tenant backend (loopback SCM)', () => {
    let remote: RunningSandbox;
    beforeAll(async () => {
      remote = await startSandbox({ operations: loadCatalog().operations });
    });
    afterAll(async () => {
      await remote?.close();
    });

    it('answers piped calls that need the tenant, then exits 0', async () => {
      const calls = Array.from({ length: 6 }, (_, i) => ({
        jsonrpc: '2.0',
        id: i + 1,
        method: 'tools/call',
        params: { name: 'address_list', arguments: { folder: 'Shared' } },
      }));
      const env = sandboxEnv(remote);
      const r = await run(['--toolsets', 'all'], lines(init, initialized, ...calls), env);
      expect(r.code).toBe(0);
      expect([...r.ids].sort((a, b) => Number(a) - Number(b))).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(r.errors).toEqual([]);
    });
  });
});

describe('stdio: floods and oversized messages', () => {
  it('answers a flood of 5,000 pipelined tools/list requests with bounded memory, then exits 0', async () => {
    const n = 5000;
    const reqs = Array.from({ length: n }, (_, i) => toolsList(i + 1));
    const r = await run([], lines(init, initialized, ...reqs), cleanEnv(), 300_000);
    expect(r.stderr).not.toMatch(/ENOBUFS|Unhandled 'error'/);
    expect(r.code).toBe(0);
    expect(r.ids).toHaveLength(n + 1);
    expect(new Set(r.ids).size).toBe(n + 1);
    expect(r.errors).toEqual([]);
    // Unbounded, 2,000 of these took the process past 1.4 GB.
    expect(r.peakRss).toBeLessThan(400 * 1024 * 1024);
    process.stderr.write(
      `flood: ${n} answers, ${r.bytes} bytes, peak RSS ${Math.round(r.peakRss / 2 ** 20)} MB\n`,
    );
  });

  it('refuses a line over the size limit with a JSON-RPC error and a log line, and keeps serving', async () => {
    const huge = JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/list',
      params: { pad: 'x'.repeat(300_000) },
    });
    const r = await run(
      ['--max-message-bytes', '100000'],
      lines(init, initialized, huge, 'not json', toolsList(8)),
    );
    expect(r.code).toBe(0);
    expect(r.ids).toEqual([0, 7, null, 8]);
    expect(r.errors[0]).toMatchObject({ id: 7, code: -32600 });
    expect(r.errors[0]?.message).toMatch(/100000 bytes/);
    expect(r.errors[1]).toMatchObject({ id: null, code: -32700 });
    expect(r.stderr).toMatch(/message of more than 100000 bytes refused/);
  });
});

describe('stdio: a question to the client when stdin has closed', () => {
  it('an approval that can no longer be answered is refused at once, and the process exits 0', async () => {
    const asking = {
      ...init,
      params: { ...init.params, capabilities: { elicitation: { form: {} } } },
    };
    const del = {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: 'address_delete',
        arguments: { id: '00000000-0000-4000-8000-000000000001', confirm: true },
      },
    };
    const r = await run(
      ['--toolsets', 'all', '--approval', 'strict'],
      lines(asking, initialized, del),
      cleanEnv(),
      60_000,
    );
    expect(r.code).toBe(0);
    // The elicitation request the server sent, then the answer to the call: nothing was approved.
    const msgs = r.texts.map(
      (t) =>
        JSON.parse(t) as {
          id?: unknown;
          method?: string;
          result?: unknown;
        },
    );
    expect(msgs.some((m) => m.method === 'elicitation/create')).toBe(true);
    const answer = msgs.find((m) => m.id === 1 && m.method === undefined);
    expect(resultData(answer?.result).executed).toBe(false);
  });
});
