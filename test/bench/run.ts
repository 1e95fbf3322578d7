/**
 * `npm run bench`: every figure beside an anchor measured in the same run, in interleaved rounds, with min / median /
 * max over the rounds and a target on the median of the ratio (or difference). Exits 1 when a target is missed.
 * Loopback only. `BENCH_ONLY=startup,calls` runs some sections (startup, calls, pages, memory, http, policy,
 * indicators). Needs `npm run build` first (it runs dist/cli.js).
 */
import { performance } from 'node:perf_hooks';
import { CALLS_FOLDER, callBench } from './calls.js';
import { httpBench } from './http.js';
import { indicatorBench } from './indicators.js';
import { memoryBench } from './memory.js';
import { PAGE_FOLDERS, pagesBench } from './pages.js';
import { policyBench } from './policy.js';
import { format, meets, type Row } from './rows.js';
import { startupBench } from './startup.js';
import { startUpstream, type Upstream } from './upstream.js';

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const wanted = (name: string) => !only || only.includes(name);

async function main() {
  const t0 = performance.now();
  const all: Row[] = [];
  const section = async (name: string, title: string, run: () => Promise<Row[]>) => {
    if (!wanted(name)) return;
    const t = performance.now();
    const rows = await run();
    all.push(...rows);
    console.log(`${format(title, rows)}\n   [${name}: ${((performance.now() - t) / 1000).toFixed(0)} s]`);
  };
  console.log(`npm run bench: ${new Date().toISOString()}, Node ${process.version}`);
  await section('startup', 'Start-up: spawn to the first tools/list answer (stdio)', startupBench);
  let up: Upstream | undefined;
  const upstream = async () => (up ??= await startUpstream([CALLS_FOLDER, 'bench-bulk', ...PAGE_FOLDERS]));
  try {
    await section('calls', 'Calls: through the server vs direct requests to the same sandbox', async () =>
      callBench(await upstream()),
    );
    await section('pages', 'All pages: all: true + next_offset vs direct limit 5000 pages', async () =>
      pagesBench(await upstream()),
    );
    await section('memory', 'Memory: server RSS vs a one-tool SDK server', async () => {
      const u = await upstream();
      if (!wanted('calls')) u.seedFolder(CALLS_FOLDER, 200);
      return memoryBench(u);
    });
  } finally {
    await up?.close();
  }
  await section('http', 'Streamable HTTP vs stdio (embedded sandbox)', httpBench);
  await section('policy', 'Policy layer in process (10k rules, 50k addresses)', policyBench);
  await section('indicators', 'indicators_block: 1,000 indicators @50 ms, 5% 429s', indicatorBench);
  const missed = all.filter((r) => !meets(r));
  console.log(
    `\n${missed.length ? `${missed.length} target(s) missed: ${missed.map((r) => r.name).join('; ')}` : 'all targets met'} (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
  );
  process.exit(missed.length ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
