import type { Readable, Writable } from 'node:stream';
import { deserializeMessage, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_IN_FLIGHT = 32;

export interface StdioOptions {
  stdin?: Readable;
  stdout?: Writable;
  /** A line longer than this is refused with a JSON-RPC error (default 4 MB). */
  maxMessageBytes?: number;
  /** Client requests being worked on at once; reading stops at this many (default 32). */
  maxInFlight?: number;
  /** Where refusals are logged (stderr through the logger). */
  warn?: (msg: string) => void;
}

type Id = string | number;

// The id of a refused line, if it says one near its start: the client can then match the error to its request.
function idNear(head: string): Id | null {
  const m = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")/.exec(head);
  if (!m?.[1]) return null;
  try {
    return JSON.parse(m[1]) as Id;
  } catch {
    return null;
  }
}

/**
 * MCP over stdin/stdout with bounds the SDK's transport lacks: at most `maxInFlight` requests worked on and
 * no reading while stdout is congested (so a flood cannot balloon memory), oversized or malformed lines
 * answered with JSON-RPC errors, and on end of input every answer is written and flushed before onclose.
 */
export class BoundedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  readonly #in: Readable;
  readonly #out: Writable;
  readonly #max: number;
  readonly #maxInFlight: number;
  readonly #warn: (msg: string) => void;
  readonly #pending = new Set<Id>();
  /** The server's own requests (elicitation) still waiting for the client's answer. */
  readonly #asked = new Set<Id>();
  #chunks: Buffer[] = [];
  #size = 0;
  /** Inside a line over the limit: its head, kept to find its id; the rest is dropped until the newline. */
  #skipping: string | undefined;
  #ended = false;
  #closed = false;

  constructor(opts: StdioOptions = {}) {
    this.#in = opts.stdin ?? process.stdin;
    this.#out = opts.stdout ?? process.stdout;
    this.#max = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.#maxInFlight = opts.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    this.#warn = opts.warn ?? ((m) => process.stderr.write(`${m}\n`));
  }

  async start(): Promise<void> {
    this.#in.on('data', this.#onData);
    this.#in.on('end', this.#onEnd);
    this.#in.on('error', this.#onInputError);
    // A client that goes away mid-answer (EPIPE) ends the session; it must not crash the process.
    this.#out.on('error', this.#onOutputError);
    this.#out.on('drain', this.#pump);
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if ('id' in message && ('result' in message || 'error' in message)) {
      const id = (message as { id?: Id | null }).id;
      if (id !== undefined && id !== null) this.#pending.delete(id);
    } else if ('method' in message && 'id' in message) {
      this.#asked.add(message.id);
      if (this.#inputDone()) queueMicrotask(this.#pump);
    }
    return new Promise((resolve) => {
      this.#out.write(serializeMessage(message), () => {
        resolve();
        this.#pump();
      });
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#in.off('data', this.#onData);
    this.#in.off('end', this.#onEnd);
    this.#in.pause();
    this.#chunks = [];
    this.onclose?.();
  }

  readonly #onData = (chunk: Buffer) => {
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    this.#pump();
  };

  readonly #onEnd = () => {
    this.#ended = true;
    this.#pump();
  };

  readonly #onInputError = (err: Error) => this.onerror?.(err);

  readonly #onOutputError = (err: Error) => {
    this.onerror?.(err);
    void this.close();
  };

  #inputDone(): boolean {
    return this.#ended && this.#size === 0;
  }

  /** Questions the client can no longer answer (stdin has ended) fail now instead of waiting out a timeout. */
  #failUnanswerable(): void {
    for (const id of [...this.#asked]) {
      this.#asked.delete(id);
      this.onmessage?.({
        jsonrpc: '2.0',
        id,
        error: { code: ErrorCode.ConnectionClosed, message: 'stdin closed: the client can no longer answer' },
      } as JSONRPCMessage);
    }
  }

  #congested(): boolean {
    // While the server waits on the client (an approval), keep reading: its answer may be next in line.
    const full = this.#pending.size >= this.#maxInFlight && this.#asked.size === 0;
    return full || this.#out.writableNeedDrain;
  }

  /** Hands out whole lines while there is room, pauses input when there is not, closes when all is done. */
  readonly #pump = () => {
    if (this.#closed) return;
    while (!this.#congested()) {
      const line = this.#nextLine();
      if (line === undefined) break;
      this.#dispatch(line);
    }
    if (this.#congested()) this.#in.pause();
    else if (!this.#ended) this.#in.resume();
    else if (this.#size > 0 && this.#skipping === undefined) {
      // The last line had no newline: take it as it is.
      this.#dispatch(Buffer.concat(this.#chunks).toString('utf8'));
      this.#chunks = [];
      this.#size = 0;
    }
    if (this.#inputDone()) this.#failUnanswerable();
    if (this.#inputDone() && this.#pending.size === 0 && this.#out.writableLength === 0) {
      void this.close();
    }
  };

  #nextLine(): string | undefined {
    while (this.#chunks.length) {
      const buf = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
      this.#chunks = [buf];
      const nl = buf.indexOf(10);
      if (this.#skipping !== undefined) {
        if (nl === -1) {
          this.#chunks = [];
          this.#size = 0;
          return undefined;
        }
        this.#take(buf, nl);
        this.#refuseOversized(this.#skipping);
        this.#skipping = undefined;
        continue;
      }
      if (nl === -1) {
        if (this.#size > this.#max) {
          this.#skipping = buf.toString('utf8', 0, 200);
          this.#chunks = [];
          this.#size = 0;
        }
        return undefined;
      }
      const line = this.#take(buf, nl);
      if (line.length > this.#max) {
        this.#refuseOversized(line.toString('utf8', 0, 200));
        continue;
      }
      return line.toString('utf8').replace(/\r$/, '');
    }
    return undefined;
  }

  #take(buf: Buffer, nl: number): Buffer {
    const rest = buf.subarray(nl + 1);
    this.#chunks = rest.length ? [rest] : [];
    this.#size = rest.length;
    return buf.subarray(0, nl);
  }

  #refuseOversized(head: string): void {
    const id = idNear(head);
    this.#warn(`message of more than ${this.#max} bytes refused (id ${JSON.stringify(id)})`);
    void this.#refuse(id, ErrorCode.InvalidRequest, `message larger than the limit of ${this.#max} bytes`);
  }

  #dispatch(line: string): void {
    if (line.trim() === '') return;
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(line);
    } catch (err) {
      this.#warn(`unreadable message refused: ${err instanceof SyntaxError ? err.message : 'not JSON-RPC'}`);
      const head = line.slice(0, 200);
      void this.#refuse(
        err instanceof SyntaxError ? null : idNear(head),
        err instanceof SyntaxError ? ErrorCode.ParseError : ErrorCode.InvalidRequest,
        err instanceof SyntaxError ? 'parse error: not JSON' : 'not a JSON-RPC 2.0 message',
      );
      return;
    }
    if ('method' in message && 'id' in message) this.#pending.add(message.id);
    else if ('id' in message && message.id !== null && !('method' in message))
      this.#asked.delete(message.id as Id);
    // A cancelled request gets no answer (the SDK drops it): stop waiting for one.
    else if ('method' in message && message.method === 'notifications/cancelled') {
      const id = (message.params as { requestId?: Id } | undefined)?.requestId;
      if (id !== undefined) this.#pending.delete(id);
    }
    this.onmessage?.(message);
  }

  #refuse(id: Id | null, code: number, message: string): Promise<void> {
    return this.send({ jsonrpc: '2.0', id, error: { code, message } } as unknown as JSONRPCMessage);
  }
}
