import type { RecordedRequest } from './options.js';

/** Requests seen since start, counted whether or not the log still holds them. */
export interface RequestCounts {
  total: number;
  /** By method (GET, POST, ...). */
  byMethod: Record<string, number>;
}

/**
 * The last `capacity` requests in a ring (constant work per request, however long the sandbox runs), and counters
 * over every request: a benchmark of 100k calls counts them all while the log stays the same size.
 */
export class RequestLog {
  readonly #ring: RecordedRequest[] = [];
  readonly #capacity: number;
  /** Where the next request goes once the ring is full (it is also the oldest kept). */
  #next = 0;
  readonly counts: RequestCounts = { total: 0, byMethod: {} };

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`capacity must be >= 1, not ${capacity}`);
    this.#capacity = capacity;
  }

  push(r: RecordedRequest): void {
    this.counts.total++;
    this.counts.byMethod[r.method] = (this.counts.byMethod[r.method] ?? 0) + 1;
    if (this.#ring.length < this.#capacity) this.#ring.push(r);
    else {
      this.#ring[this.#next] = r;
      this.#next = (this.#next + 1) % this.#capacity;
    }
  }

  /** The requests kept, oldest first (a copy). */
  list(): RecordedRequest[] {
    return [...this.#ring.slice(this.#next), ...this.#ring.slice(0, this.#next)];
  }
}
