import { createClient } from 'redis';
import type { Logger } from '../log.js';
import type { KvStore } from './kv-store.js';

export type Client = ReturnType<typeof createClient>;

/** The shared store on Redis: SET with PX for expiry, GETDEL for single use across replicas. */
export class RedisKv implements KvStore {
  private constructor(
    /** The connection, for stores that need more than get/set/take (the approval inbox's atomic transitions). */
    readonly client: Client,
    readonly prefix: string,
  ) {}

  /** Connects (failing fast, with the URL's password never shown). */
  static async connect(url: string, log: Logger, prefix = 'prisma-access-mcp:'): Promise<RedisKv> {
    const client: Client = createClient({
      url,
      socket: { connectTimeout: 5000, reconnectStrategy: (n) => Math.min(n * 200, 5000) },
    });
    let reported = false;
    client.on('error', (err: Error) => {
      if (!reported) log.warn(`redis: ${err.message}`);
      reported = true;
    });
    client.on('ready', () => {
      reported = false;
    });
    try {
      await client.connect();
    } catch (err) {
      const shown = url.replace(/\/\/[^@/]*@/, '//***@');
      throw new Error(
        `cannot connect to Redis at ${shown}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    return new RedisKv(client as Client, prefix);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.client.set(this.prefix + key, value, {
      expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) },
    });
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.client.get(this.prefix + key)) ?? undefined;
  }

  async take(key: string): Promise<string | undefined> {
    return (await this.client.getDel(this.prefix + key)) ?? undefined;
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.destroy());
  }
}
