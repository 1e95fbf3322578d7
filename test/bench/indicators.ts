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
import { resultData } from './result-data.js';
import { alone, format, meets, type Row, versus } from './rows.js';

/** The batch in at most a tenth of the time of the same creates one by one (a speedup of 10). */
export const INDICATOR_TARGETS = { ratio: 0.1 };
const LATENCY_MS = 50;
const RUNS = 3;
// Sequential creates at 50 ms each take a minute per 1,000: a quarter is timed and scaled.
const SEQUENTIAL = 250;
const SANDBOX_CLI = join(import.meta.dirname, '../../dist/sandbox/cli.js');

export function benchBatch(): string[] {
  const ips = Array.from({ length: 500 }, (_, i) => `198.18.${Math.floor(i / 250)}.${i % 250}`);
  const fqdns = Array.from({ length: 300 }, (_, i) => `host${i}.bad-domain-${i % 13}.example`);
  const urls = Array.from({ length: 200 }, (_, i) => `https://cdn${i % 17}.phish.example/path/${i}`);
  return [...ips, ...fqdns, ...urls];
}

const settle = () => new Promise((r) => setTimeout(r, 500));

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
  // all: true answers up to the result budget: follow next_offset to the end.
  const list = async (tool: string) => {
    const items: Record<string, any>[] = [];
    for (let offset: number | undefined = 0; offset !== undefined;) {
      const data = resultData((await call(client, tool, { folder: 'Shared', all: true, offset })).res);
      items.push(...((data.data ?? []) as Record<string, any>[]));
      offset = typeof data.next_offset === 'number' ? data.next_offset : undefined;
    }
    return items;
  };
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
  if (r.res.isError) throw new Error(`warm-up failed: ${JSON.stringify(r.res.content)}`);
}

/** One round: the batch on a fresh tenant (then its re-run), and SEQUENTIAL creates on another. */
async function round(run: number, batch: string[]) {
  const tenant = await startTenant(['--seed', String(11 + run), '--fault-429', '0.05']);
  const s = await connect(tenant.url);
  let blockMs: number;
  let result: { lost: number; duplicated: number; rerunWrites: number; status: string; got429: number };
  try {
    await warmUp(s.client);
    const t0 = performance.now();
    const first = await call(s.client, 'indicators_block', { indicators: batch, confirm: true });
    blockMs = performance.now() - t0;
    // The request log arrives on stderr a little after the answers: let it settle before counting.
    await settle();
    const before = tenant.writes();
    const again = await call(s.client, 'indicators_block', { indicators: batch, confirm: true });
    await settle();
    const rerunWrites = tenant.writes() - before;
    result = {
      ...(await verify(s.client)),
      rerunWrites,
      got429: tenant.count429(),
      status: `${resultData(first.res).status}/${resultData(again.res).status}`,
    };
  } finally {
    await s.close();
    await stop(tenant);
  }
  const seqTenant = await startTenant(['--quiet']);
  const q = await connect(seqTenant.url);
  let seqMs: number;
  try {
    await warmUp(q.client);
    const t0 = performance.now();
    for (let i = 0; i < SEQUENTIAL; i++) {
      const r = await call(q.client, 'address_create', {
        folder: 'Shared',
        name: `seq-${i}`,
        ip_netmask: `10.200.${Math.floor(i / 250)}.${i % 250}`,
      });
      if (r.res.isError) throw new Error(`address_create failed: ${JSON.stringify(r.res.content)}`);
    }
    seqMs = ((performance.now() - t0) * batch.length) / SEQUENTIAL;
  } finally {
    await q.close();
    await stop(seqTenant);
  }
  return { blockMs, seqMs, ...result };
}

export async function indicatorBench(): Promise<Row[]> {
  const batch = benchBatch();
  const rounds: Awaited<ReturnType<typeof round>>[] = [];
  for (let run = 0; run < RUNS; run++) rounds.push(await round(run, batch));
  const worst = (k: 'lost' | 'duplicated' | 'rerunWrites') => rounds.map((r) => r[k]);
  return [
    versus(
      `indicators_block, ${batch.length.toLocaleString('en')} in one call`,
      'ms',
      rounds.map((r) => r.blockMs),
      `${batch.length.toLocaleString('en')} sequential address_create (${SEQUENTIAL} timed, scaled)`,
      rounds.map((r) => r.seqMs),
      {
        max: INDICATOR_TARGETS.ratio,
        note: `statuses ${rounds.map((r) => r.status).join(', ')}; 429s answered ${rounds.map((r) => r.got429).join(', ')}`,
      },
    ),
    alone('indicators lost', 'n', worst('lost'), { max: 0 }),
    alone('indicators duplicated', 'n', worst('duplicated'), { max: 0 }),
    alone('writes sent by the re-run', 'n', worst('rerunWrites'), { max: 0 }),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  indicatorBench()
    .then((rows) => {
      console.log(format('indicators', rows));
      process.exit(rows.every(meets) ? 0 : 1);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
