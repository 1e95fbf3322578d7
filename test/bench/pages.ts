/**
 * Reading a whole folder: address_list {all: true} through the server, following next_offset until there is none,
 * against direct GETs of limit 5000 pages, on folders of 10k and 50k addresses seeded in the sandbox store.
 * Upstream requests and items are counted at the sandbox (its request log and counters).
 */
import { performance } from 'node:perf_hooks';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { type Spawned, spawnServer } from '../integration/helpers.js';
import { connectFloor } from './calls.js';
import { resultData } from './result-data.js';
import { alone, type Row, versus } from './rows.js';
import type { Upstream } from './upstream.js';

export const PAGE_TARGETS = { time: 1.2, items: 1.1 };
const SIZES = [
  { n: 10_000, rounds: 5 },
  { n: 50_000, rounds: 3 },
];
const folderOf = (n: number) => `bench-${n / 1000}k`;
export const PAGE_FOLDERS = SIZES.map((s) => folderOf(s.n));

interface Read {
  ms: number;
  /** Tool calls (through a server) or requests (direct) it took. */
  calls?: number;
  requests: number;
  /** Items the sandbox sent: each list GET's page, from its limit and offset. */
  items: number;
}

/** What the sandbox served for `folder` since `since` (its request counter then). */
function served(up: Upstream, since: number, folder: string, n: number): { requests: number; items: number } {
  const fresh = up.sb.requestCounts.total - since;
  const log = up.sb.requests;
  if (fresh > log.length) throw new Error(`the request log holds ${log.length} of ${fresh} requests`);
  const lists = log
    .slice(log.length - fresh)
    .filter((r) => r.method === 'GET' && r.path.endsWith('/addresses') && r.query.folder === folder);
  const items = lists.reduce((sum, r) => {
    const limit = Math.min(Number(r.query.limit ?? 200), 5000);
    return sum + Math.max(0, Math.min(limit, n - Number(r.query.offset ?? 0)));
  }, 0);
  return { requests: lists.length, items };
}

async function viaServer(client: Client, up: Upstream, folder: string, n: number): Promise<Read> {
  const since = up.sb.requestCounts.total;
  const t0 = performance.now();
  let offset = 0;
  let read = 0;
  let calls = 0;
  for (;;) {
    const res = await client.callTool({ name: 'address_list', arguments: { folder, all: true, offset } });
    calls++;
    if (res.isError) throw new Error(`address_list all: ${JSON.stringify(res.content).slice(0, 300)}`);
    const data = resultData(res as never);
    read += (data.data as unknown[]).length;
    if (typeof data.next_offset !== 'number') break;
    offset = data.next_offset;
  }
  const ms = performance.now() - t0;
  if (read !== n) throw new Error(`all: true read ${read} of ${n} addresses`);
  return { ms, calls, ...served(up, since, folder, n) };
}

/** The same folder through the pass-through floor, in as many calls as the server took (pages of n / calls). */
async function viaFloor(client: Client, folder: string, n: number, calls: number): Promise<Read> {
  const limit = Math.ceil(n / calls);
  const t0 = performance.now();
  let read = 0;
  for (let offset = 0; offset < n; offset += limit) {
    const res = await client.callTool({ name: 'address_list', arguments: { folder, limit, offset } });
    if (res.isError) throw new Error(`floor list: ${JSON.stringify(res.content).slice(0, 300)}`);
    read += (resultData(res as never).data as unknown[]).length;
  }
  if (read !== n) throw new Error(`floor read ${read} of ${n} addresses`);
  return { ms: performance.now() - t0, calls, requests: calls, items: n };
}

async function direct(up: Upstream, folder: string, n: number): Promise<Read> {
  const since = up.sb.requestCounts.total;
  const t0 = performance.now();
  let read = 0;
  for (let offset = 0; ; offset += 5000) {
    const r = await up.direct(
      'GET',
      `addresses?folder=${encodeURIComponent(folder)}&limit=5000&offset=${offset}`,
    );
    if (r.status !== 200) throw new Error(`direct page: ${r.status}`);
    read += r.body.data.length;
    if (offset + 5000 >= r.body.total) break;
  }
  const ms = performance.now() - t0;
  if (read !== n) throw new Error(`direct read ${read} of ${n} addresses`);
  return { ms, ...served(up, since, folder, n) };
}

export async function pagesBench(up: Upstream): Promise<Row[]> {
  for (const { n } of SIZES) up.seedFolder(folderOf(n), n);
  const server: Spawned = await spawnServer([], up.env);
  const floor = await connectFloor(up.env);
  const rows: Row[] = [];
  try {
    for (const { n, rounds } of SIZES) {
      const folder = folderOf(n);
      // One untimed read each: validators compiled, connections open.
      const warm = await viaServer(server.client, up, folder, n);
      await direct(up, folder, n);
      await viaFloor(floor, folder, n, warm.calls!);
      const s: Read[] = [];
      const f: Read[] = [];
      const d: Read[] = [];
      for (let r = 0; r < rounds; r++) {
        s.push(await viaServer(server.client, up, folder, n));
        f.push(await viaFloor(floor, folder, n, s.at(-1)!.calls!));
        d.push(await direct(up, folder, n));
      }
      const label = `${n / 1000}k addresses`;
      rows.push(
        versus(
          `${label}: all: true + next_offset, time`,
          'ms',
          s.map((x) => x.ms),
          'direct GETs of limit 5000',
          d.map((x) => x.ms),
          {
            max: PAGE_TARGETS.time,
          },
        ),
        versus(
          `${label}: the same calls through a bare SDK pass-through server`,
          'ms',
          f.map((x) => x.ms),
          'direct GETs of limit 5000',
          d.map((x) => x.ms),
          {
            note: `the floor: ${s[0]!.calls} MCP round trips of ${Math.ceil(n / s[0]!.calls!)} items, nothing else`,
          },
        ),
        versus(
          `${label}: all: true + next_offset, time`,
          'ms',
          s.map((x) => x.ms),
          'the pass-through floor',
          f.map((x) => x.ms),
          {
            note: "the server's own work: paging for the budget, redaction, shaping",
          },
        ),
        versus(
          `${label}: upstream requests`,
          'req',
          s.map((x) => x.requests),
          'direct GETs of limit 5000',
          d.map((x) => x.requests),
        ),
        alone(
          `${label}: upstream items / items read`,
          'x',
          s.map((x) => x.items / n),
          { max: PAGE_TARGETS.items },
        ),
      );
    }
    return rows;
  } finally {
    await floor.close();
    await server.close();
  }
}
