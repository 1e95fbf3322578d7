import type { Dispatcher } from 'undici';
import type { IrOperation } from '../openapi/ir.js';
import { sharedAgent } from '../scm/transport.js';
import type { RunningSandbox } from './index.js';
import { SANDBOX_DEFAULTS } from './options.js';

/**
 * Where clients address the in-process sandbox before it listens. `.invalid` never resolves (RFC 6761), so a
 * request that skipped the dispatcher below fails rather than reaching anything.
 */
export const SANDBOX_PLACEHOLDER = 'http://sandbox.invalid';

export interface OnDemandSandbox {
  clientId: string;
  clientSecret: string;
  tsgId: string;
  urls: { apiUrl: string; setupUrl: string; authUrl: string };
  /** Starts the sandbox on the first request and sends every request to it. */
  dispatcher: () => Promise<Dispatcher>;
  /** The running sandbox, started if it was not. */
  running(): Promise<RunningSandbox>;
  close(): Promise<void>;
}

/**
 * The in-process sandbox, started by the first request rather than at start-up: its module, its seeded tenant
 * and its HTTP listener cost nothing until a tool call needs them (issue 14: no work at start that a first call
 * can do). Requests go through the shared pool with their origin rewritten to the sandbox's.
 */
export function onDemandSandbox(opts: {
  operations: IrOperation[];
  maxConnections?: number;
  /** Keep the tenant in this file (--sandbox-state). */
  stateFile?: string;
  log: (m: string) => void;
}): OnDemandSandbox {
  let started: Promise<RunningSandbox> | undefined;
  let dispatcher: Promise<Dispatcher> | undefined;
  let closed = false;
  // A start that failed is tried again by the next call rather than failing every call after it.
  const running = () =>
    (started ??= import('./index.js')
      .then(({ startSandbox }) => {
        if (closed) throw new Error('the sandbox is closed');
        return startSandbox({
          operations: opts.operations,
          ...(opts.stateFile ? { stateFile: opts.stateFile } : {}),
          log: opts.log,
        });
      })
      .catch((err: unknown) => {
        started = undefined;
        throw err;
      }));
  return {
    clientId: SANDBOX_DEFAULTS.clientId,
    clientSecret: SANDBOX_DEFAULTS.clientSecret,
    tsgId: SANDBOX_DEFAULTS.tsgId,
    urls: {
      apiUrl: SANDBOX_PLACEHOLDER,
      setupUrl: SANDBOX_PLACEHOLDER,
      authUrl: `${SANDBOX_PLACEHOLDER}/oauth2/access_token`,
    },
    running,
    dispatcher: () =>
      (dispatcher ??= Promise.all([running(), sharedAgent(opts.maxConnections)]).then(
        ([sandbox, agent]) =>
          agent.compose(
            (dispatch) => (options, handler) => dispatch({ ...options, origin: sandbox.url }, handler),
          ),
        (err: unknown) => {
          dispatcher = undefined;
          throw err;
        },
      )),
    close: async () => {
      closed = true;
      if (started) await (await started.catch(() => undefined))?.close();
    },
  };
}
