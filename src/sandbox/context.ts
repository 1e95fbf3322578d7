import type { BodyValidator } from './validate.js';
import type { Route, RouteTable } from './routes.js';
import type { SandboxState } from './state.js';

/** What every handler may use. */
export interface Core {
  state: SandboxState;
  routes: RouteTable;
  validator: BodyValidator;
  now: () => number;
  uuid: () => string;
  pushDurationMs: number;
  /** A push was queued: keep jobs moving. */
  onPush: () => void;
}

/** One matched API request. */
export interface Call {
  route: Route;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body; undefined when the request had none. */
  body: unknown;
  /** The client id of the bearer token. */
  principal: string;
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const ok = (body: unknown, status = 200): Reply => ({ status, body });
