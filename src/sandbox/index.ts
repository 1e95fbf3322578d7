import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenIssuer } from './auth.js';
import { JWKS_PATH, JwtKeys } from './jwt.js';
import type { Core } from './context.js';
import { FaultInjector } from './faults.js';
import { hostCheck } from './host-check.js';
import { requestHandler } from './http-server.js';
import { advanceJobs, hasActivePushes } from './jobs.js';
import { type FaultOptions, type RecordedRequest, SANDBOX_DEFAULTS, type SandboxOptions } from './options.js';
import { DurableSaver, loadState, removeStaleTemporaries } from './persistence.js';
import { seededRandom, uuidFrom } from './random.js';
import { type RequestCounts, RequestLog } from './request-log.js';
import { buildRoutes } from './routes.js';
import { seedState } from './seed.js';
import { SandboxState } from './state.js';
import { BodyValidator } from './validate.js';

export type { FaultOptions, RecordedRequest, SandboxOptions } from './options.js';
export type { RequestCounts } from './request-log.js';
export { SANDBOX_DEFAULTS } from './options.js';
export type { SandboxState, StateData } from './state.js';

export interface RunningSandbox {
  /** Base URL, e.g. http://127.0.0.1:8787 */
  url: string;
  /** Config API base: requests go to `${apiUrl}/sse/config/v1/...`. */
  apiUrl: string;
  /** Setup API base: `${setupUrl}/config/setup/v1/folders`. */
  setupUrl: string;
  /** The full token URL. */
  authUrl: string;
  /** The public keys its RS256 tokens verify against. */
  jwksUrl: string;
  clientId: string;
  clientSecret: string;
  tsgId: string;
  /** The tenant, for tests to inspect and change (call `state.changed()` after a change to persist it). */
  state: SandboxState;
  /**
   * Every request received, oldest first (the last 5000, or `maxRecorded`; no Authorization header, no secrets;
   * bodies over 16 KB recorded as `{omitted: '<n> bytes'}`). A copy, taken on each read.
   */
  readonly requests: RecordedRequest[];
  /** Every request since start, by method, including those the log no longer holds. */
  readonly requestCounts: RequestCounts;
  setFaults(faults: FaultOptions): void;
  setFoldersForbidden(forbidden: boolean): void;
  /** Stops listening, drops open connections and writes any pending state. */
  close(): Promise<void>;
}

const MAX_RECORDED = 5000;

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts a simulated SCM tenant: token endpoint, config API and folders API on one local port. */
export async function startSandbox(opts: SandboxOptions): Promise<RunningSandbox> {
  const log = opts.log ?? (() => {});
  const seed = opts.seed ?? SANDBOX_DEFAULTS.seed;
  const clientId = opts.clientId ?? SANDBOX_DEFAULTS.clientId;
  const clientSecret = opts.clientSecret ?? SANDBOX_DEFAULTS.clientSecret;
  const tsgId = opts.tsgId ?? SANDBOX_DEFAULTS.tsgId;
  const host = opts.host ?? SANDBOX_DEFAULTS.host;
  const pushDurationMs = opts.pushDurationMs ?? SANDBOX_DEFAULTS.pushDurationMs;

  const saved = opts.stateFile ? loadState(opts.stateFile) : undefined;
  if (opts.stateFile) removeStaleTemporaries(opts.stateFile);
  if (saved) log(`tenant loaded from ${opts.stateFile}`);
  // Seeded ids: the same demo tenant, with the same ids, on every fresh start.
  const rng = seededRandom(seed);
  const data =
    saved ??
    seedState({ uuid: () => uuidFrom(rng), now: Date.now(), admin: clientId, demo: opts.seedDemo !== false });
  const state = new SandboxState(data);
  const saver = opts.stateFile ? new DurableSaver(opts.stateFile, () => state.data, log) : undefined;
  if (saver) {
    state.onChange(() => void saver.commit());
    // A state file that cannot be written stops the start, rather than every later write.
    if (!saved) await saver.commit();
  }

  let ticker: NodeJS.Timeout | undefined;
  const tick = () => {
    if (advanceJobs(state, Date.now())) state.changed();
    if (!hasActivePushes(state) && ticker) {
      clearInterval(ticker);
      ticker = undefined;
    }
  };
  const core: Core = {
    state,
    routes: buildRoutes(opts.operations),
    validator: new BodyValidator(log),
    now: Date.now,
    uuid: randomUUID,
    pushDurationMs,
    // Jobs also advance on every request; the ticker makes them finish (and save) unobserved.
    onPush: () => {
      if (ticker) return;
      ticker = setInterval(tick, Math.max(10, Math.min(250, pushDurationMs / 20)));
      ticker.unref();
    },
  };
  if (hasActivePushes(state)) core.onPush();

  const keys = await JwtKeys.create();
  const faults = new FaultInjector(seed, opts.faults);
  let foldersForbidden = opts.foldersForbidden === true;
  const requests = new RequestLog(opts.maxRecorded ?? MAX_RECORDED);
  let port = 0;
  const handle = requestHandler({
    core,
    issuer: new TokenIssuer({
      clientId,
      clientSecret,
      tsgId,
      ttlSeconds: opts.tokenTtlSeconds ?? SANDBOX_DEFAULTS.tokenTtlSeconds,
      now: Date.now,
      keys,
    }),
    jwks: () => keys.jwks(),
    faults,
    foldersForbidden: () => foldersForbidden,
    record: (r) => requests.push(r),
    log,
    logRequests: opts.logRequests === true,
    ...(saver ? { persist: () => saver.commit() } : {}),
    hostAllowed: hostCheck(host, () => port, opts.allowedHosts),
  });
  // The handler answers every failure itself (500 at worst): nothing to await here.
  const server = createServer((req, res) => void handle(req, res));
  port = await listen(server, opts.port ?? 0, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log(`listening on ${url} (TSG ${tsgId}, ${opts.operations.length} operations)`);

  return {
    url,
    apiUrl: url,
    setupUrl: url,
    authUrl: `${url}/oauth2/access_token`,
    jwksUrl: `${url}${JWKS_PATH}`,
    clientId,
    clientSecret,
    tsgId,
    state,
    get requests() {
      return requests.list();
    },
    requestCounts: requests.counts,
    setFaults: (f) => faults.set(f),
    setFoldersForbidden: (b) => {
      foldersForbidden = b;
    },
    close: async () => {
      if (ticker) clearInterval(ticker);
      ticker = undefined;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // Already logged by the saver when it fails: closing goes on.
      await saver?.commit().catch(() => {});
    },
  };
}
