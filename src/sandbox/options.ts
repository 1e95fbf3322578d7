import type { IrOperation } from '../openapi/ir.js';

/**
 * Faults injected into config and setup API calls, drawn from the sandbox seed so a run repeats.
 * Rates are shares of requests (0..1); a faulted request has no effect on the tenant.
 */
export interface FaultOptions {
  /** Added to every API answer. */
  latencyMs?: number;
  /** Plus a seeded extra of up to this much. */
  latencyJitterMs?: number;
  /** Answered 429 with `Retry-After`. */
  rate429?: number;
  /** `Retry-After` seconds on those 429s (default 1). */
  retryAfterSeconds?: number;
  /** Answered 502, 503 or 504 (each with the body a gateway or the API would give). */
  rate5xx?: number;
  /** Connection destroyed without an answer. */
  dropRate?: number;
  /** Added to every token request. */
  tokenLatencyMs?: number;
  /** Token requests answered 500 `server_error`. */
  tokenFailRate?: number;
}

export interface SandboxOptions {
  /** The IR operations to serve (the server passes `loadCatalog().operations`). */
  operations: IrOperation[];
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the sandbox has demo credentials and must not face a network. */
  host?: string;
  /** Host header names accepted beyond loopback names and `host` (say the machine's name when bound to 0.0.0.0). */
  allowedHosts?: string[];
  clientId?: string;
  clientSecret?: string;
  tsgId?: string;
  /** Lifetime of issued tokens (default 900 s, as SCM). */
  tokenTtlSeconds?: number;
  /** How long a push's parent job takes from PEND to FIN (default 3000 ms); child jobs take half that. */
  pushDurationMs?: number;
  /** Seeds the demo tenant's ids and the fault draws (default 1). */
  seed?: number;
  faults?: FaultOptions;
  /** Keep the tenant in this JSON file across restarts (written atomically). */
  stateFile?: string;
  /** Answer the folders API with 403, as for a service account without that role. */
  foldersForbidden?: boolean;
  /** Start with the demo tenant (default true); false gives only folders, catalogues and settings. */
  seedDemo?: boolean;
  /** Diagnostics; never stdout (in stdio mode stdout carries the MCP protocol). */
  log?: (msg: string) => void;
  /** Also log one line per request (method, path, status, time) through `log`. */
  logRequests?: boolean;
  /** Requests the log keeps (default 5000); counts cover every request. */
  maxRecorded?: number;
}

/** Fixed, documented demo credentials: the sandbox is local and holds no secrets. */
export const SANDBOX_DEFAULTS = {
  clientId: 'sandbox@1234567890.iam.panserviceaccount.com',
  clientSecret: 'sandbox-secret',
  tsgId: '1234567890',
  tokenTtlSeconds: 900,
  pushDurationMs: 3000,
  seed: 1,
  host: '127.0.0.1',
} as const;

/** What a test or the CLI sees of one recorded request (never the Authorization header). */
export interface RecordedRequest {
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  /** The answer's status; 0 when the connection was dropped on purpose (fault injection). */
  status?: number;
}
