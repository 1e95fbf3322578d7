/**
 * The heap a child uses after a full garbage collection, read through its inspector (`--inspect=127.0.0.1:0`):
 * unlike RSS, which follows V8's heap sizing, it grows between two readings only if something is kept.
 */
import { WebSocket } from 'undici';

export const INSPECT_FLAG = '--inspect=127.0.0.1:0';

export class HeapProbe {
  readonly #ws: WebSocket;
  #id = 0;
  readonly #waiting = new Map<number, (result: any) => void>();

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.addEventListener('message', (e) => {
      const msg = JSON.parse(String(e.data)) as { id?: number; result?: unknown };
      if (msg.id !== undefined) this.#waiting.get(msg.id)?.(msg.result);
    });
  }

  /** Connects to the inspector whose address the child printed on stderr. */
  static async connect(stderr: () => string): Promise<HeapProbe> {
    let url: string | undefined;
    for (let i = 0; i < 200 && !url; i++) {
      url = /Debugger listening on (ws:\/\/\S+)/.exec(stderr())?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 25));
    }
    if (!url) throw new Error(`no inspector address on stderr: ${stderr().slice(0, 500)}`);
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.addEventListener('open', resolve, { once: true });
      ws.addEventListener('error', () => reject(new Error(`cannot reach the inspector at ${url}`)), {
        once: true,
      });
    });
    return new HeapProbe(ws);
  }

  #send(method: string, params: unknown = {}): Promise<any> {
    const id = ++this.#id;
    return new Promise((resolve) => {
      this.#waiting.set(id, (r) => {
        this.#waiting.delete(id);
        resolve(r);
      });
      this.#ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** MB of heap in use after two full collections. */
  async heapMb(): Promise<number> {
    await this.#send('HeapProfiler.collectGarbage');
    await this.#send('HeapProfiler.collectGarbage');
    const r = await this.#send('Runtime.evaluate', {
      expression: 'process.memoryUsage().heapUsed',
      returnByValue: true,
    });
    return Number(r?.result?.value) / 2 ** 20;
  }

  close(): void {
    this.#ws.close();
  }
}
