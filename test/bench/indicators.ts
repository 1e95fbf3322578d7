/**
 * indicators_block at scale: 1,000 indicators (500 IPs, 300 FQDNs, 200 URLs) in one call on the sandbox at 50 ms
 * latency with 5 % 429s, against 1,000 sequential address_create calls in the same run. Checks nothing is lost or
 * duplicated and that a re-run sends no write. The sandbox runs in its own process (dist/sandbox/cli.js: run
 * `npm run build` first). Called from run.ts; `npx tsx test/bench/indicators.ts` runs it alone.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { type App, createApp } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { SANDBOX_DEFAULTS } from '../../src/sandbox/options.js';
import { call } from '../integration/helpers.js';

export const INDICATOR_TARGETS = { blockMs: 5500, speedup: 10 };
const LATENCY_MS = 50;
const RUNS = 3;
const SANDBOX_CLI = join(import.meta.dirname, '../../dist/sandbox/cli.js');

export function benchBatch(): string[] {
  const ips = Array.from({ length: 500 }, (_, i) => `198.18.${Math.floor(i / 250)}.${i % 250}`);
  const fqdns = Array.from({ length: 300 }, (_, i) => `host${i}.bad-domain-${i % 13}.example`);
  const urls = Array.from({ length: 200 }, (_, i) => `https://cdn${i % 17}.phish.example/path/${i}`);
  return [...ips, ...fqdns, ...urls];
}

const settle = () => new Promise((r) => setTimeout(r, 500));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The tenant in its own process, as a real one would be (the server and the sandbox do not share a CPU queue):
 * `dist/sandbox/cli.js` with latency and 429s. Its request log (stderr) is how requests are counted.
 */
interface Tenant {
  proc: ChildProcess;
  log: string[];
  url: string;
  writes(): number;
  count429(): number;
}

async function startTenant(args: string[]): Promise<Tenant> {
  const proc = spawn(
    process.execPath,
    [SANDBOX_CLI, '--port', '0', '--latency-ms', String(LATENCY_MS), ...args],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const log: string[] = [];
  let buf = '';
  const url = await new Promise<string>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`sandbox exited (${code}): ${log.join('\n')}`)));
    proc.stderr!.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        log.push(line);
        const m = /SCM sandbox on (\S+)/.exec(line);
        if (m) resolve(m[1]!);
      }
    });
  });
  const requests = () => log.filter((l) => / -> /.test(l) && l.includes('/sse/config/'));
  return {
    proc,
    log,
    url,
    writes: () =>
      requests().filter((l) => /sandbox: (POST|PUT|DELETE) /.test(l) && !/ -> 429/.test(l)).length,
    count429: () => requests().filter((l) => / -> 429/.test(l)).length,
  };
}

async function connect(url: string): Promise<{ app: App; client: Client; close(): Promise<void> }> {
  const app = await createApp(
    {
      backend: 'scm',
      credentials: {
        clientId: SANDBOX_DEFAULTS.clientId,
        clientSecret: SANDBOX_DEFAULTS.clientSecret,
        tsgId: SANDBOX_DEFAULTS.tsgId,
      },
      apiUrl: url,
      setupUrl: url,
      authUrl: `${url}/oauth2/access_token`,
      readOnly: false,
      approval: 'flag',
      auditLog: join(mkdtempSync(join(tmpdir(), 'pa-mcp-bench-')), 'audit.log'),
      toolsets: ['all'],
      tools: [],
      excludeTools: [],
      logLevel: 'silent',
    },
    createLogger('silent'),
  );
  const [a, b] = InMemoryTransport.createLinkedPair();
  await app.server.connect(b);
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(a);
  return {
    app,
    client,
    close: async () => {
      await client.close();
      await app.close();
    },
  };
}

async function stop(t: Tenant) {
  t.proc.kill('SIGTERM');
  await new Promise((r) => t.proc.once('exit', r));
}

/** What the batch left in Shared, read back through the tools: every value once, every member and URL once. */
async function verify(client: Client) {
  const list = async (tool: string) =>
    ((await call(client, tool, { folder: 'Shared', all: true })).data.data ?? []) as Record<string, any>[];
  const managed = (await list('address_list')).filter(
    (o) => String(o.name).startsWith('ioc-') && o.folder === 'Shared',
  );
  const values = managed.map((o) => String(o.ip_netmask ?? o.fqdn));
  const members = (await list('address_group_list'))
    .filter((g) => String(g.name).startsWith('mcp-blocked-addresses'))
    .flatMap((g) => g.static as string[]);
  const urls = ((await list('url_category_list')).find((c) => c.name === 'mcp-blocked-urls')?.list ??
    []) as string[];
  return {
    lost: Math.max(0, 800 - new Set(members).size) + Math.max(0, 500 - new Set(urls).size),
    duplicated:
      values.length -
      new Set(values).size +
      (members.length - new Set(members).size) +
      (urls.length - new Set(urls).size),
  };
}

/** The sandbox compiles a request validator on an operation's first use: pay that before timing, on both sides. */
async function warmUp(client: Client) {
  const r = await call(client, 'address_create', {
    folder: 'Shared',
    name: 'bench-warm-up',
    ip_netmask: '192.0.2.250',
  });
  if (r.res.isError) throw new Error(`warm-up failed: ${JSON.stringify(r.data)}`);
}

export async function benchIndicators() {
  const batch = benchBatch();
  const blockMs: number[] = [];
  const results: { lost: number; duplicated: number; rerunWrites: number; status: string; got429: number }[] =
    [];
  for (let run = 0; run < RUNS; run++) {
    const tenant = await startTenant(['--seed', String(11 + run), '--fault-429', '0.05']);
    const s = await connect(tenant.url);
    try {
      await warmUp(s.client);
      const t0 = performance.now();
      const { data } = await call(s.client, 'indicators_block', { indicators: batch, confirm: true });
      blockMs.push(performance.now() - t0);
      // The request log arrives on stderr a little after the answers: let it settle before counting.
      await settle();
      const before = tenant.writes();
      const again = await call(s.client, 'indicators_block', { indicators: batch, confirm: true });
      await settle();
      const rerunWrites = tenant.writes() - before;
      const v = await verify(s.client);
      results.push({
        ...v,
        rerunWrites,
        status: `${data.status}/${again.data.status}`,
        got429: tenant.count429(),
      });
    } finally {
      await s.close();
      await stop(tenant);
    }
  }

  const seq: number[] = [];
  const tenant = await startTenant(['--quiet']);
  const s = await connect(tenant.url);
  let seqTotal = 0;
  try {
    await warmUp(s.client);
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) {
      const t = performance.now();
      const r = await call(s.client, 'address_create', {
        folder: 'Shared',
        name: `seq-${i}`,
        ip_netmask: `10.200.${Math.floor(i / 250)}.${i % 250}`,
      });
      seq.push(performance.now() - t);
      if (r.res.isError) throw new Error(`address_create failed: ${JSON.stringify(r.data)}`);
    }
    seqTotal = performance.now() - t0;
  } finally {
    await s.close();
    await stop(tenant);
  }
  const blockMedian = median(blockMs);
  return {
    blockMs: { min: Math.min(...blockMs), median: blockMedian, max: Math.max(...blockMs) },
    sequential: {
      totalMs: seqTotal,
      perCall: { min: Math.min(...seq), median: median(seq), max: Math.max(...seq) },
    },
    speedup: seqTotal / blockMedian,
    lost: Math.max(...results.map((r) => r.lost)),
    duplicated: Math.max(...results.map((r) => r.duplicated)),
    rerunWrites: Math.max(...results.map((r) => r.rerunWrites)),
    statuses: results.map((r) => r.status),
    responses429: results.map((r) => r.got429),
  };
}

export interface BenchRow {
  name: string;
  value: number;
  /** The target as said ("<= 5500", ">= 10"); absent for a measurement without one. */
  target?: string;
  ok: boolean;
}

/** Rows for run.ts: each measurement with its target. */
export function indicatorRows(r: Awaited<ReturnType<typeof benchIndicators>>): BenchRow[] {
  const atMost = (name: string, value: number, max: number) => ({
    name,
    value,
    target: `<= ${max}`,
    ok: value <= max,
  });
  const info = (name: string, value: number) => ({ name, value, ok: true });
  return [
    atMost('indicators_block 1,000 @50ms 5% 429 (ms, median)', r.blockMs.median, INDICATOR_TARGETS.blockMs),
    info('indicators_block (ms, min)', r.blockMs.min),
    info('indicators_block (ms, max)', r.blockMs.max),
    info('1,000 sequential address_create (ms, total)', r.sequential.totalMs),
    info('address_create per call (ms, min)', r.sequential.perCall.min),
    info('address_create per call (ms, median)', r.sequential.perCall.median),
    info('address_create per call (ms, max)', r.sequential.perCall.max),
    {
      name: 'speedup (sequential total / block median)',
      value: r.speedup,
      target: `>= ${INDICATOR_TARGETS.speedup}`,
      ok: r.speedup >= INDICATOR_TARGETS.speedup,
    },
    atMost('indicators lost', r.lost, 0),
    atMost('indicators duplicated', r.duplicated, 0),
    atMost('writes sent by the re-run', r.rerunWrites, 0),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchIndicators()
    .then((r) => {
      console.log(JSON.stringify(r, null, 2));
      process.exit(indicatorRows(r).every((row) => row.ok) ? 0 : 1);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
