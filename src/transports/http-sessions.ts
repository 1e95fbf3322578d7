import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Logger } from '../log.js';

export interface Session {
  id: string;
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  /** The authenticated client's name; a session answers only the client that opened it. */
  clientName?: string;
  lastSeen: number;
  /** POSTs being answered: a session waiting on a person (elicitation) is not idle. */
  inFlight: number;
}

/** Live MCP sessions, closed when idle for longer than idleMs. */
export class SessionTable {
  private readonly sessions = new Map<string, Session>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly idleMs: number,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.timer = setInterval(() => this.sweep(), Math.min(Math.max(idleMs / 4, 250), 30_000));
    this.timer.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  add(session: Session): void {
    this.sessions.set(session.id, session);
    this.log.info(
      `http: session ${session.id} opened${session.clientName ? ` by ${session.clientName}` : ''}`,
    );
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Marks a request on the session; the returned function marks its end. */
  begin(session: Session): () => void {
    session.inFlight++;
    session.lastSeen = this.now();
    return () => {
      session.inFlight--;
      session.lastSeen = this.now();
    };
  }

  async remove(id: string, why: string): Promise<void> {
    const s = this.sessions.get(id);
    if (!s) return;
    this.sessions.delete(id);
    this.log.info(`http: session ${id} closed (${why})`);
    await s.server.close().catch(() => {});
  }

  sweep(): void {
    const cutoff = this.now() - this.idleMs;
    for (const s of this.sessions.values())
      if (s.inFlight === 0 && s.lastSeen < cutoff) void this.remove(s.id, 'idle');
  }

  async closeAll(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.sessions.keys()].map((id) => this.remove(id, 'shutdown')));
  }
}
