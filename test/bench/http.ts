/**
 * The HTTP part of `npm run bench`: per-call overhead of Streamable HTTP against stdio in the same run (one
 * session, sequential calls on each, interleaved rounds), then 100 concurrent sessions of 20 calls each, and
 * memory per session. Both servers run the real binary on its embedded sandbox.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CLI, cleanEnv, spawnServer } from '../integration/helpers.js';
import { rssMb } from './raw-stdio.js';
import { resultData } from './result-data.js';
import { alone, pct, type Row, spread, versus } from './rows.js';

export const HTTP_TARGETS = { overheadP95Ms: 15, perSessionKb: 1024 };
const RUNS = { rounds: 10, perRound: 20, sessions: 100, callsPerSession: 20 };

async function timed(client: Client, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await client.callTool({ name: 'address_list', arguments: { folder: 'Shared', limit: 50 } });
    if (res.isError || !Array.isArray(resultData(res as never).data))
      throw new Error(`address_list: ${JSON.stringify(res.content).slice(0, 300)}`);
    out.push(performance.now() - t0);
  }
  return out;
}

/** The binary in HTTP mode on a free port; `args` and `env` as for a stdio server. */
export async function startHttp(
  args: string[] = ['--toolsets', 'all'],
  env: Record<string, string> = cleanEnv(),
): Promise<{ url: URL; pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [CLI, '--http', '--port', '0', '--session-idle', '3600', ...args], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const base = await new Promise<string>((resolve, reject) => {
    setTimeout(() => reject(new Error(`http server did not start: ${err}`)), 30_000).unref();
    child.stderr!.on('data', (d) => {
      if (err.length < 20_000) err += d;
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

export async function httpBench(): Promise<Row[]> {
  const stdio = await spawnServer(['--toolsets', 'all']);
  const server = await startHttp();
  try {
    const one = await httpClient(server.url);
    await timed(stdio.client, 20);
    await timed(one, 20);
    // Interleaved, so both see the same machine load.
    const p = { s50: [] as number[], h50: [] as number[], s95: [] as number[], h95: [] as number[] };
    for (let i = 0; i < RUNS.rounds; i++) {
      const s = await timed(stdio.client, RUNS.perRound);
      const h = await timed(one, RUNS.perRound);
      p.s50.push(pct(s, 50));
      p.h50.push(pct(h, 50));
      p.s95.push(pct(s, 95));
      p.h95.push(pct(h, 95));
    }
    await one.close();

    const rssBefore = rssMb(server.pid);
    const clients = await Promise.all(Array.from({ length: RUNS.sessions }, () => httpClient(server.url)));
    const rssOpen = rssMb(server.pid);
    const t0 = performance.now();
    const all = (await Promise.all(clients.map((c) => timed(c, RUNS.callsPerSession)))).flat();
    const wall = performance.now() - t0;
    await Promise.all(clients.map((c) => c.close()));
    const sessions = `${RUNS.sessions} sessions x ${RUNS.callsPerSession} calls`;
    return [
      versus('address_list p50, HTTP, one session', 'ms', p.h50, 'address_list p50, stdio', p.s50, {
        kind: 'diff',
      }),
      versus('address_list p95, HTTP, one session', 'ms', p.h95, 'address_list p95, stdio', p.s95, {
        kind: 'diff',
        max: HTTP_TARGETS.overheadP95Ms,
      }),
      versus(
        `HTTP ${sessions} at once: throughput`,
        'calls/s',
        [(all.length / wall) * 1000],
        'one session, one call at a time (1000 / p50)',
        [1000 / spread(p.h50).median],
        { note: `one round; per call p50 ${pct(all, 50).toFixed(0)} ms, p95 ${pct(all, 95).toFixed(0)} ms` },
      ),
      alone('HTTP memory per open session', 'KB', [((rssOpen - rssBefore) * 1024) / RUNS.sessions], {
        max: HTTP_TARGETS.perSessionKb,
        note: `one round: RSS after opening ${RUNS.sessions} sessions, less before, per session`,
      }),
    ];
  } finally {
    await stdio.close();
    await server.stop();
  }
}
