/**
 * `npm run bench`: start-up time, call latency and memory of the real binary on the sandbox, checked
 * against targets. Exits 1 when a target is missed. Loopback only; bounded in count and time.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { call, spawnServer } from '../integration/helpers.js';
import { init, initialized, lines, run, toolsList } from '../integration/pipe.js';
import { httpBench } from './http.js';
import { policyBench } from './policy.js';
import { benchIndicators, indicatorRows } from './indicators.js';

const TARGETS = { startupMs: 1500, listP95Ms: 50, createP95Ms: 60, rssMb: 250, floodRssMb: 300 };
const RUNS = { startups: 5, lists: 300, creates: 100, flood: 5000 };

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const fmt = (n: number) => n.toFixed(1);

function rssMbOf(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  const kb = Number(
    execFileSync('ps', ['-o', 'rss=', '-p', String(pid)])
      .toString()
      .trim(),
  );
  return kb / 1024;
}

async function main() {
  const startups: number[] = [];
  for (let i = 0; i < RUNS.startups; i++) {
    const t0 = performance.now();
    const s = await spawnServer(['--toolsets', 'all']);
    await s.client.listTools();
    startups.push(performance.now() - t0);
    await s.close();
  }

  const s = await spawnServer(['--toolsets', 'all']);
  const pid = (s.client.transport as unknown as { pid?: number } | undefined)?.pid;
  const rssStart = rssMbOf(pid);
  const lists: number[] = [];
  for (let i = 0; i < RUNS.lists; i++) {
    const t0 = performance.now();
    await call(s.client, 'address_list', { folder: 'Shared', limit: 50 });
    lists.push(performance.now() - t0);
  }
  const creates: number[] = [];
  for (let i = 0; i < RUNS.creates; i++) {
    const t0 = performance.now();
    const r = await call(s.client, 'address_create', {
      folder: 'Shared',
      name: `bench-${i}`,
      ip_netmask: `198.51.100.${i % 250}/32`,
    });
    creates.push(performance.now() - t0);
    if (r.res.isError) throw new Error(`create failed: ${JSON.stringify(r.res.content)}`);
  }
  const rssEnd = rssMbOf(pid);
  await s.close();

  // Pipelined without waiting, stdin closed at the end: back-pressure must keep memory flat.
  const reqs = Array.from({ length: RUNS.flood }, (_, i) => toolsList(i + 1));
  const t0 = performance.now();
  const flood = await run(['--toolsets', 'all'], lines(init, initialized, ...reqs), undefined, 600_000);
  const floodMs = performance.now() - t0;
  if (flood.code !== 0 || flood.ids.length !== RUNS.flood + 1) {
    throw new Error(`flood: exit ${flood.code}, ${flood.ids.length} of ${RUNS.flood + 1} answers`);
  }

  const rows: Array<readonly [string, number, number | undefined]> = [
    ['start-up to tools/list (ms, median)', pct(startups, 50), TARGETS.startupMs],
    ['address_list p50 (ms)', pct(lists, 50), undefined],
    ['address_list p95 (ms)', pct(lists, 95), TARGETS.listP95Ms],
    ['address_create p50 (ms)', pct(creates, 50), undefined],
    ['address_create p95 (ms)', pct(creates, 95), TARGETS.createP95Ms],
    ['server RSS after start (MB)', rssStart, undefined],
    [`server RSS after ${RUNS.lists + RUNS.creates} calls (MB)`, rssEnd, TARGETS.rssMb],
    [`${RUNS.flood} pipelined tools/list, all (ms)`, floodMs, undefined],
    [`peak RSS during that flood (MB)`, flood.peakRss / 2 ** 20, TARGETS.floodRssMb],
    ...(await httpBench()),
  ];
  let failed = 0;
  for (const [name, value, target] of rows) {
    const ok = target === undefined || value <= target;
    if (!ok) failed++;
    console.log(
      `${ok ? 'ok  ' : 'MISS'} ${name.padEnd(40)} ${fmt(value).padStart(8)}${target !== undefined ? `  (target <= ${target})` : ''}`,
    );
  }
  // The policy layer in process, on a generated tenant (test/bench/policy.ts).
  for (const r of await policyBench()) {
    const ok = r.target === undefined || r.value <= r.target;
    if (!ok) failed++;
    console.log(
      `${ok ? 'ok  ' : 'MISS'} ${r.name.padEnd(52)} ${fmt(r.value).padStart(8)}${r.target !== undefined ? `  (target <= ${r.target})` : ''}${r.ratio ? `  ${r.ratio}` : ''}`,
    );
  }
  // Workflows: 1,000 indicators in one call vs 1,000 sequential creates (test/bench/indicators.ts).
  for (const row of indicatorRows(await benchIndicators())) {
    if (!row.ok) failed++;
    console.log(
      `${row.ok ? 'ok  ' : 'MISS'} ${row.name.padEnd(50)} ${fmt(row.value).padStart(8)}${row.target ? `  (target ${row.target})` : ''}`,
    );
  }
  console.log(failed ? `${failed} target(s) missed` : 'all targets met');
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
