/**
 * `npm run bench`: start-up time, call latency and memory of the real binary on the sandbox, checked
 * against targets. Exits 1 when a target is missed. Loopback only; bounded in count and time.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { call, spawnServer } from '../integration/helpers.js';
import { benchIndicators, indicatorRows } from './indicators.js';

const TARGETS = { startupMs: 1500, listP95Ms: 50, createP95Ms: 60, rssMb: 250 };
const RUNS = { startups: 5, lists: 300, creates: 100 };

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const fmt = (n: number) => n.toFixed(1);

function rssMbOf(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  const kb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim());
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
    const r = await call(s.client, 'address_create', { folder: 'Shared', name: `bench-${i}`, ip_netmask: `198.51.100.${i % 250}/32` });
    creates.push(performance.now() - t0);
    if (r.res.isError) throw new Error(`create failed: ${JSON.stringify(r.res.content)}`);
  }
  const rssEnd = rssMbOf(pid);
  await s.close();

  const rows = [
    ['start-up to tools/list (ms, median)', pct(startups, 50), TARGETS.startupMs],
    ['address_list p50 (ms)', pct(lists, 50), undefined],
    ['address_list p95 (ms)', pct(lists, 95), TARGETS.listP95Ms],
    ['address_create p50 (ms)', pct(creates, 50), undefined],
    ['address_create p95 (ms)', pct(creates, 95), TARGETS.createP95Ms],
    ['server RSS after start (MB)', rssStart, undefined],
    [`server RSS after ${RUNS.lists + RUNS.creates} calls (MB)`, rssEnd, TARGETS.rssMb],
  ] as const;
  let failed = 0;
  for (const [name, value, target] of rows) {
    const ok = target === undefined || value <= target;
    if (!ok) failed++;
    console.log(`${ok ? 'ok  ' : 'MISS'} ${name.padEnd(40)} ${fmt(value).padStart(8)}${target !== undefined ? `  (target <= ${target})` : ''}`);
  }
  // Workflows: 1,000 indicators in one call vs 1,000 sequential creates (test/bench/indicators.ts).
  for (const row of indicatorRows(await benchIndicators())) {
    if (!row.ok) failed++;
    console.log(`${row.ok ? 'ok  ' : 'MISS'} ${row.name.padEnd(50)} ${fmt(row.value).padStart(8)}${row.target ? `  (target ${row.target})` : ''}`);
  }
  console.log(failed ? `${failed} target(s) missed` : 'all targets met');
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
