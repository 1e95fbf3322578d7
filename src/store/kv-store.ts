/**
 * A small shared key-value store: what replicas must agree on (single-use approval tokens, later the approval
 * inbox) lives here, in memory for one process or in Redis for several.
 */
export interface KvStore {
  /** Stores value under key for ttlMs. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  get(key: string): Promise<string | undefined>;
  /** Reads and deletes in one step: of two replicas taking the same key, only one gets the value. */
  take(key: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/** One process's store (no replicas): entries expire on read. */
export class MemoryKv implements KvStore {
  readonly #data = new Map<string, { value: string; expiresAt: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.#data.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  async get(key: string): Promise<string | undefined> {
    return this.#live(key);
  }

  async take(key: string): Promise<string | undefined> {
    // Read and delete with no await between: concurrent takes cannot both see the value.
    const value = this.#live(key);
    this.#data.delete(key);
    return value;
  }

  #live(key: string): string | undefined {
    const e = this.#data.get(key);
    if (e && this.now() >= e.expiresAt) this.#data.delete(key);
    return e && this.now() < e.expiresAt ? e.value : undefined;
  }

  async close(): Promise<void> {}
}
