/**
 * Server memory (RSS from /proc) against the one-tool SDK server's RSS after start, measured the same way
 * (spawn, initialize, tools/list, then read): after start, after 1,000 and 10,000 address_list calls (16 in flight), and the
 * peak under a flood of 2,000 tools/call address_list written at once over stdio. The server is pointed at the
 * bench's sandbox (upstream.ts), so its RSS is the server's own.
 */
import { CLI } from '../integration/helpers.js';
import { CALLS_FOLDER } from './calls.js';
import { oneToolServer, RawServer, rssMb } from './raw-stdio.js';
import { type Row, versus } from './rows.js';
import type { Upstream } from './upstream.js';

/**
 * After start: the catalogue and the app are what the anchor lacks: 2.5x leaves room for them. Leak: the first
 * 1,000 calls warm the process (JIT code, compiled validators, connection pool, heap sizing), so 9,000 more must
 * keep it within 1.2x of that; after 10k against its own start is printed. Flood: the stdio transport works on
 * 32 requests at once and stops reading while stdout is congested, so 2,000 queued calls stay within 4x the anchor.
 */
export const MEMORY_TARGETS = { start: 2.5, leak: 1.2, flood: 4 };
const ROUNDS = Number(process.env.BENCH_MEMORY_ROUNDS ?? 3);
const WARM = 1_000;
const CALLS = 10_000;
const FLOOD = 2_000;
const settle = () => new Promise((r) => setTimeout(r, 300));

const listCall = (id: number) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'address_list', arguments: { folder: CALLS_FOLDER, limit: 50 } },
});

async function anchorRss(cmd: { args: string[] }): Promise<number> {
  const s = new RawServer(cmd);
  try {
    await s.ready();
    await settle();
    return rssMb(s.pid);
  } finally {
    await s.close();
  }
}

async function check(s: RawServer, id: number): Promise<void> {
  const a = await s.answer(id, 120_000);
  if (a.error || a.result?.isError) throw new Error(`call ${id}: ${JSON.stringify(a).slice(0, 300)}`);
}

async function serverRss(
  up: Upstream,
): Promise<{ start: number; warm: number; afterCalls: number; flood: number }> {
  const s = new RawServer({ args: [CLI], env: up.env });
  try {
    await s.ready();
    await settle();
    const start = rssMb(s.pid);
    let next = 100;
    // Calls up to `until` in all, 16 in flight.
    const calls = (until: number) =>
      Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let id = next++; id < 100 + until; id = next++) {
            const done = check(s, id);
            s.send(listCall(id));
            await done;
          }
        }),
      );
    await calls(WARM);
    await settle();
    const warm = rssMb(s.pid);
    await calls(CALLS);
    await settle();
    const afterCalls = rssMb(s.pid);
    let peak = afterCalls;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(s.pid));
    }, 10);
    const ids = Array.from({ length: FLOOD }, (_, i) => 100_000 + i);
    const answers = Promise.all(ids.map((id) => check(s, id)));
    s.send(...ids.map(listCall));
    await answers;
    clearInterval(sampler);
    return { start, warm, afterCalls, flood: Math.max(peak, rssMb(s.pid)) };
  } finally {
    await s.close();
  }
}

export async function memoryBench(up: Upstream): Promise<Row[]> {
  const anchorCmd = oneToolServer();
  const anchor: number[] = [];
  const start: number[] = [];
  const warm: number[] = [];
  const afterCalls: number[] = [];
  const flood: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    anchor.push(await anchorRss(anchorCmd));
    const m = await serverRss(up);
    start.push(m.start);
    warm.push(m.warm);
    afterCalls.push(m.afterCalls);
    flood.push(m.flood);
  }
  const one = 'one-tool SDK server after start';
  const n = CALLS.toLocaleString('en');
  return [
    versus('server RSS after start', 'MB', start, one, anchor, { max: MEMORY_TARGETS.start }),
    versus(
      `server RSS after ${n} calls`,
      'MB',
      afterCalls,
      `the same server after ${WARM.toLocaleString('en')}`,
      warm,
      {
        max: MEMORY_TARGETS.leak,
      },
    ),
    versus(`server RSS after ${n} calls`, 'MB', afterCalls, 'the same server after start', start),
    versus(`server RSS after ${n} calls`, 'MB', afterCalls, one, anchor),
    versus(`server peak RSS, ${FLOOD.toLocaleString('en')} tools/call at once`, 'MB', flood, one, anchor, {
      max: MEMORY_TARGETS.flood,
    }),
  ];
}
