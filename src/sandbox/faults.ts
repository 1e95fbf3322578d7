import { randomUUID } from 'node:crypto';
import type { FaultOptions } from './options.js';
import { seededRandom } from './random.js';

export interface FaultAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ApiFault {
  delayMs: number;
  drop?: boolean;
  answer?: FaultAnswer;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): FaultAnswer => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Each 5xx the way it really arrives: a gateway's HTML page, a bare JSON message, SCM's own shape. */
function serverError(pick: number): FaultAnswer {
  if (pick < 1 / 3)
    return {
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>',
    };
  if (pick < 2 / 3) return json(503, { message: 'Service Unavailable' });
  return json(504, {
    _errors: [{ code: 4, message: 'Session Timeout', details: {} }],
    _request_id: randomUUID(),
  });
}

/**
 * Seeded fault draws. API and token requests draw from separate streams, a fixed number of draws
 * each, so the n-th API request meets the same fate whatever else happened in between.
 */
export class FaultInjector {
  #opts: FaultOptions;
  readonly #api: () => number;
  readonly #token: () => number;

  constructor(seed: number, opts: FaultOptions = {}) {
    this.#opts = { ...opts };
    this.#api = seededRandom(seed ^ 0x5eed);
    this.#token = seededRandom(seed ^ 0x70c3);
  }

  set(opts: FaultOptions): void {
    this.#opts = { ...opts };
  }

  api(): ApiFault {
    const [kind, which, jitter] = [this.#api(), this.#api(), this.#api()];
    const o = this.#opts;
    const delayMs = (o.latencyMs ?? 0) + Math.floor(jitter * (o.latencyJitterMs ?? 0));
    const drop = o.dropRate ?? 0;
    const r429 = o.rate429 ?? 0;
    const r5xx = o.rate5xx ?? 0;
    if (kind < drop) return { delayMs, drop: true };
    if (kind < drop + r429)
      return {
        delayMs,
        answer: json(
          429,
          { message: 'Too Many Requests' },
          { 'retry-after': String(o.retryAfterSeconds ?? 1) },
        ),
      };
    if (kind < drop + r429 + r5xx) return { delayMs, answer: serverError(which) };
    return { delayMs };
  }

  token(): { delayMs: number; answer?: FaultAnswer } {
    const fail = this.#token() < (this.#opts.tokenFailRate ?? 0);
    const delayMs = this.#opts.tokenLatencyMs ?? 0;
    return fail
      ? {
          delayMs,
          answer: json(500, {
            error: 'server_error',
            error_description: 'The authorization server is unavailable',
          }),
        }
      : { delayMs };
  }
}
