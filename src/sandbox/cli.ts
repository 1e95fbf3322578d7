#!/usr/bin/env node
/** `npm run sandbox -- --port 8787`: the simulated tenant on its own, for curl and other programs. */
import { parseArgs } from 'node:util';
import { loadCatalogFor } from '../catalog/load.js';
import { unionOfOperations } from './unified-paths.js';
import { startSandbox } from './index.js';
import { type FaultOptions, SANDBOX_DEFAULTS } from './options.js';

const USAGE = `Usage: npm run sandbox -- [options]

Serves a simulated Strata Cloud Manager tenant (token, config and folders APIs).

  --port N               port (default 8787; 0 picks a free one)
  --host ADDR            address to bind (default 127.0.0.1; the demo credentials are public)
  --allow-host NAME      also answer requests whose Host header names NAME (repeatable; loopback names
                         and --host always pass, others get 421: a web page cannot rebind its name to it)
  --state FILE           keep the tenant in FILE across restarts (each write is on disk before it is answered)
  --push-ms N            how long a push's parent job runs (default ${SANDBOX_DEFAULTS.pushDurationMs})
  --token-ttl N          token lifetime in seconds (default ${SANDBOX_DEFAULTS.tokenTtlSeconds})
  --seed N               seed for demo ids and fault draws (default ${SANDBOX_DEFAULTS.seed})
  --no-demo              start without the demo objects
  --fault-429 R          share of API calls answered 429 with Retry-After (0..1)
  --fault-5xx R          share answered 502/503/504
  --fault-drop R         share of connections dropped without an answer
  --latency-ms N         added to every API answer
  --token-fail R         share of token requests answered 500
  --token-latency-ms N   added to every token answer
  --folders-forbidden    answer the folders API with 403
  --quiet                do not log each request
  -h, --help
`;

function fail(msg: string): never {
  process.stderr.write(`sandbox: ${msg}\n\n${USAGE}`);
  process.exit(2);
}

function num(
  values: Record<string, unknown>,
  name: string,
  opts: { rate?: boolean } = {},
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (opts.rate && n > 1))
    fail(
      `--${name} must be ${opts.rate ? 'a share between 0 and 1' : 'a number >= 0'}, not "${String(raw)}"`,
    );
  return n;
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'allow-host': { type: 'string', multiple: true },
        state: { type: 'string' },
        'push-ms': { type: 'string' },
        'token-ttl': { type: 'string' },
        seed: { type: 'string' },
        'no-demo': { type: 'boolean' },
        'fault-429': { type: 'string' },
        'fault-5xx': { type: 'string' },
        'fault-drop': { type: 'string' },
        'latency-ms': { type: 'string' },
        'token-fail': { type: 'string' },
        'token-latency-ms': { type: 'string' },
        'folders-forbidden': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    process.stderr.write(USAGE);
    return;
  }
  const faults: FaultOptions = {};
  const set = (key: keyof FaultOptions, flag: string, rate = false) => {
    const v = num(values, flag, { rate });
    if (v !== undefined) faults[key] = v;
  };
  set('rate429', 'fault-429', true);
  set('rate5xx', 'fault-5xx', true);
  set('dropRate', 'fault-drop', true);
  set('latencyMs', 'latency-ms');
  set('tokenFailRate', 'token-fail', true);
  set('tokenLatencyMs', 'token-latency-ms');

  const host = typeof values.host === 'string' ? values.host : SANDBOX_DEFAULTS.host;
  const log = (msg: string) => process.stderr.write(`sandbox: ${msg}\n`);
  if (!['127.0.0.1', 'localhost', '::1'].includes(host))
    log(`warning: listening on ${host}; anyone who can reach it can use the public demo credentials`);

  const sandbox = await startSandbox({
    // Both path families over one store: /sse/config/v1 and the unified /config/<area>/v1.
    operations: unionOfOperations(
      loadCatalogFor('prisma-access').operations,
      loadCatalogFor('scm').operations,
    ),
    port: num(values, 'port') ?? 8787,
    host,
    allowedHosts: Array.isArray(values['allow-host']) ? values['allow-host'] : [],
    stateFile: typeof values.state === 'string' ? values.state : undefined,
    pushDurationMs: num(values, 'push-ms'),
    tokenTtlSeconds: num(values, 'token-ttl'),
    seed: num(values, 'seed'),
    seedDemo: values['no-demo'] !== true,
    faults,
    foldersForbidden: values['folders-forbidden'] === true,
    log,
    logRequests: values.quiet !== true,
  });
  process.stderr.write(
    [
      '',
      `  SCM sandbox on ${sandbox.url}`,
      `  token:     POST ${sandbox.authUrl}`,
      `  config:    ${sandbox.apiUrl}/sse/config/v1/... and ${sandbox.apiUrl}/config/objects/v1/... (unified API)`,
      `  JWKS:      ${sandbox.jwksUrl}`,
      `  folders:   ${sandbox.setupUrl}/config/setup/v1/folders`,
      '',
      `  SCM_CLIENT_ID=${sandbox.clientId}`,
      `  SCM_CLIENT_SECRET=${sandbox.clientSecret}`,
      `  SCM_TSG_ID=${sandbox.tsgId}`,
      '',
      `  curl -s -u '${sandbox.clientId}:${sandbox.clientSecret}' -d 'grant_type=client_credentials&scope=tsg_id:${sandbox.tsgId}' ${sandbox.authUrl}`,
      '',
    ].join('\n'),
  );
  const stop = async () => {
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`sandbox: fatal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
