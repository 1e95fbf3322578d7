/**
 * Server memory against the one-tool SDK server's RSS after start, measured the same way (spawn, initialize,
 * tools/list, then read /proc): RSS after start, after 10,000 address_list calls (16 in flight), and the peak
 * under a flood of 2,000 tools/call address_list written at once over stdio. The server is pointed at the bench's
 * sandbox (upstream.ts), so its RSS is the server's own. Leaks are judged on the heap after a full collection
 * (heap-probe.ts), after 1,000 calls (warm) and after 10,000: RSS follows V8's heap sizing (it rises and falls by
 * tens of MB between readings), the collected heap only grows with what is kept. Both processes run with the
 * inspector on.
 */
import { CLI } from '../integration/helpers.js';
import { CALLS_FOLDER } from './calls.js';
import { HeapProbe, INSPECT_FLAG } from './heap-probe.js';
import { oneToolServer, RawServer, rssMb } from './raw-stdio.js';
import { type Row, versus } from './rows.js';
import type { Upstream } from './upstream.js';

/**
 * After start, the catalogue and the app are what the anchor lacks: 2.5x leaves room for them. Whatever the load
 * (10k calls, a flood) the process stays within 4x the anchor: the stdio transport works on 32 requests at once
 * and stops reading while stdout is congested, so 2,000 queued calls wait as bytes in the pipe. Leak: 9,000 more
 * calls may add at most 10% to the warm heap (a few hundred bytes a call).
 */
export const MEMORY_TARGETS = { start: 2.5, loaded: 4, flood: 4, leak: 1.1 };
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
  const s = new RawServer({ args: [INSPECT_FLAG, ...cmd.args] });
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

interface Reading {
  start: number;
  afterCalls: number;
  flood: number;
  heapWarm: number;
  heapAfter: number;
}

async function serverRss(up: Upstream): Promise<Reading> {
  const s = new RawServer({ args: [INSPECT_FLAG, CLI], env: up.env });
  let probe: HeapProbe | undefined;
  try {
    await s.ready();
    await settle();
    const start = rssMb(s.pid);
    probe = await HeapProbe.connect(() => s.stderr);
    let next = 100;
    // Calls until `until` were sent in all, 16 in flight.
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
    const heapWarm = await probe.heapMb();
    await calls(CALLS);
    await settle();
    const afterCalls = rssMb(s.pid);
    const heapAfter = await probe.heapMb();
    let peak = afterCalls;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(s.pid));
    }, 10);
    const ids = Array.from({ length: FLOOD }, (_, i) => 100_000 + i);
    const answers = Promise.all(ids.map((id) => check(s, id)));
    s.send(...ids.map(listCall));
    await answers;
    clearInterval(sampler);
    return { start, afterCalls, flood: Math.max(peak, rssMb(s.pid)), heapWarm, heapAfter };
  } finally {
    probe?.close();
    await s.close();
  }
}

export async function memoryBench(up: Upstream): Promise<Row[]> {
  const anchorCmd = oneToolServer();
  const anchor: number[] = [];
  const m: Reading[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    anchor.push(await anchorRss(anchorCmd));
    m.push(await serverRss(up));
  }
  const of = (k: keyof Reading) => m.map((x) => x[k]);
  const one = 'one-tool SDK server after start';
  const n = CALLS.toLocaleString('en');
  return [
    versus('server RSS after start', 'MB', of('start'), one, anchor, { max: MEMORY_TARGETS.start }),
    versus(`server RSS after ${n} calls`, 'MB', of('afterCalls'), one, anchor, {
      max: MEMORY_TARGETS.loaded,
    }),
    versus(
      `server peak RSS, ${FLOOD.toLocaleString('en')} tools/call at once`,
      'MB',
      of('flood'),
      one,
      anchor,
      {
        max: MEMORY_TARGETS.flood,
      },
    ),
    versus(`server RSS after ${n} calls`, 'MB', of('afterCalls'), 'the same server after start', of('start')),
    versus(
      `server heap after GC, after ${n} calls`,
      'MB',
      of('heapAfter'),
      `the same after ${WARM.toLocaleString('en')} calls`,
      of('heapWarm'),
      { max: MEMORY_TARGETS.leak },
    ),
  ];
}
