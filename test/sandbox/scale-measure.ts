/**
 * How the sandbox keeps up with a large tenant (not a test: figures, no pass/fail). Run after `npm run build`:
 *   npx tsx test/sandbox/scale-measure.ts [objects=50000] [concurrency=16] [--state]
 * Prints the time per 1,000 creates as the tenant grows, and list, get and name-filter times at full size.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { loadCatalog } from '../../src/catalog/load.js';
import { startSandbox } from '../../src/sandbox/index.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const total = Number(args[0] ?? 50_000);
const concurrency = Number(args[1] ?? 16);
const withState = process.argv.includes('--state');
const dir = mkdtempSync(join(tmpdir(), 'sandbox-scale-'));
const sb = await startSandbox({
  operations: loadCatalog().operations,
  seedDemo: false,
  ...(withState ? { stateFile: join(dir, 'tenant.json') } : {}),
});
const dispatcher = new Agent({ connections: concurrency });
const call = async (method: string, path: string, token: string, body?: unknown) => {
  const res = await fetch(`${sb.url}/sse/config/v1/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
    // @ts-expect-error undici's dispatcher option on Node's fetch
    dispatcher,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  return text;
};
const tokenRes = await fetch(sb.authUrl, {
  method: 'POST',
  headers: {
    authorization: `Basic ${Buffer.from(`${sb.clientId}:${sb.clientSecret}`).toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
  },
  body: `grant_type=client_credentials&scope=tsg_id:${sb.tsgId}`,
});
const token = ((await tokenRes.json()) as { access_token: string }).access_token;

console.log(`${total} addresses, ${concurrency} concurrent, state file: ${withState ? 'yes' : 'no'}`);
let next = 0;
let batchStart = performance.now();
const perK: number[] = [];
const worker = async () => {
  for (;;) {
    const i = next++;
    if (i >= total) return;
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    await call('POST', 'addresses?folder=Shared', token, { name: `a${i}`, ip_netmask: ip });
    if ((i + 1) % 1000 === 0) {
      const now = performance.now();
      perK.push(now - batchStart);
      batchStart = now;
    }
  }
};
await Promise.all(Array.from({ length: concurrency }, worker));
for (const k of [1, Math.floor(perK.length / 2), perK.length].filter(
  (k, i, a) => k > 0 && a.indexOf(k) === i,
))
  console.log(`create, ms per 1k at ${k}k objects: ${perK[k - 1]!.toFixed(0)}`);

const time = async (label: string, path: string, runs = 20) => {
  const t: number[] = [];
  for (let r = 0; r < runs; r++) {
    const s = performance.now();
    await call('GET', path, token);
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  console.log(`${label}: median ${t[Math.floor(t.length / 2)]!.toFixed(2)} ms`);
};
await time('list first page (limit 200)', 'addresses?folder=Shared&limit=200');
await time('list last page (limit 200)', `addresses?folder=Shared&limit=200&offset=${total - 200}`);
await time('list 5000 (limit 5000)', 'addresses?folder=Shared&limit=5000', 5);
await time('list ?name= (last created)', `addresses?folder=Shared&name=a${total - 1}`);
const id = (
  JSON.parse(await call('GET', `addresses?folder=Shared&name=a${total - 1}`, token)) as { id: string }
).id;
await time('get by id (last created)', `addresses/${id}`);
console.log(
  `recorded requests kept: ${sb.requests.length}; heap used: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`,
);
await sb.close();
await dispatcher.close();
rmSync(dir, { recursive: true, force: true });
