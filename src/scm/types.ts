/** Where the client reports requests and retries; never given tokens, secrets or headers. */
export interface ScmLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

/** Waits `ms`; tests inject one that records the delay and returns at once. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
