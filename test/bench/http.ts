/**
 * The HTTP part of `npm run bench`: per-call overhead of Streamable HTTP against stdio in the same run (one
 * session, sequential calls on each), then 100 concurrent sessions of 20 calls each, and memory per session.
 * Both servers run the real binary on its embedded sandbox.
 */
import { execFileSync, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CLI, call, cleanEnv, spawnServer } from '../integration/helpers.js';

export const HTTP_TARGETS = { overheadP95Ms: 15, concurrentP95Ms: 1500, perSessionKb: 1024 };
const RUNS = { sequential: 200, sessions: 100, callsPerSession: 20 };

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const rssKb = (pid: number) =>
  Number(
    execFileSync('ps', ['-o', 'rss=', '-p', String(pid)])
      .toString()
      .trim(),
  );

async function timed(client: Client, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await call(client, 'address_list', { folder: 'Shared', limit: 50 });
    out.push(performance.now() - t0);
  }
  return out;
}

async function startHttp(): Promise<{ url: URL; pid: number; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [CLI, '--http', '--port', '0', '--toolsets', 'all', '--session-idle', '3600'],
    {
      env: cleanEnv(),
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let err = '';
  const base = await new Promise<string>((resolve, reject) => {
    setTimeout(() => reject(new Error(`http server did not start: ${err}`)), 30_000).unref();
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /ready on (http:\/\/[^\s/]+)\/mcp/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (c) => reject(new Error(`http server exited ${c}: ${err}`)));
  });
  return {
    url: new URL(`${base}/mcp`),
    pid: child.pid!,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function httpClient(url: URL): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url));
  return client;
}

/** Rows of [name, value, target?] for the bench table. */
export async function httpBench(): Promise<Array<readonly [string, number, number | undefined]>> {
  const stdio = await spawnServer(['--toolsets', 'all']);
  const server = await startHttp();
  try {
    const one = await httpClient(server.url);
    await timed(stdio.client, 20);
    await timed(one, 20);
    // Interleaved, so both see the same machine load.
    const s: number[] = [];
    const h: number[] = [];
    for (let i = 0; i < RUNS.sequential / 20; i++) {
      s.push(...(await timed(stdio.client, 20)));
      h.push(...(await timed(one, 20)));
    }
    await one.close();

    const rssBefore = rssKb(server.pid);
    const clients = await Promise.all(Array.from({ length: RUNS.sessions }, () => httpClient(server.url)));
    const rssOpen = rssKb(server.pid);
    const t0 = performance.now();
    const all = (await Promise.all(clients.map((c) => timed(c, RUNS.callsPerSession)))).flat();
    const wall = performance.now() - t0;
    await Promise.all(clients.map((c) => c.close()));
    return [
      ['stdio address_list p95 (ms)', pct(s, 95), undefined],
      ['http address_list p95, one session (ms)', pct(h, 95), undefined],
      ['http overhead per call, p95 (ms)', pct(h, 95) - pct(s, 95), HTTP_TARGETS.overheadP95Ms],
      [
        `http ${RUNS.sessions} sessions x ${RUNS.callsPerSession} calls: p95 (ms)`,
        pct(all, 95),
        HTTP_TARGETS.concurrentP95Ms,
      ],
      ['http concurrent throughput (calls/s)', (all.length / wall) * 1000, undefined],
      ['http memory per open session (KB)', (rssOpen - rssBefore) / RUNS.sessions, HTTP_TARGETS.perSessionKb],
    ] as const;
  } finally {
    await stdio.close();
    await server.stop();
  }
}
