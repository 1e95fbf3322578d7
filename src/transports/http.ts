import { randomUUID } from 'node:crypto';
import type { Server as NodeServer } from 'node:http';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { App } from '../app.js';
import type { Authenticator, AuthFailure } from '../auth/authenticator.js';
import type { ClientAccess } from '../clients/clients-file.js';
import { SCOPES } from '../clients/scopes.js';
import type { InboxHandler } from '../approvals/inbox-http.js';
import { INBOX_PATH } from '../approvals/serve.js';
import type { HttpConfig } from '../config-http.js';
import type { Logger } from '../log.js';
import type { ServedTool } from '../tools/served-tool.js';
import { type Session, SessionTable } from './http-sessions.js';

export interface HttpOptions {
  app: Pick<App, 'createServer'>;
  config: HttpConfig;
  log: Logger;
  /** Absent: no client auth (loopback only; config refuses anything else). */
  auth?: Authenticator;
  /**
   * The approval inbox page, served at /approvals: given its URL once the server listens. It checks Host, Origin
   * and its CSRF token itself, behind this server's Host check.
   */
  inbox?: (servedAt: string) => InboxHandler;
  /** One client's tool view (scopes, TSGs): applied to every session it opens. */
  viewFor?: (access: ClientAccess) => (tools: ServedTool[]) => ServedTool[];
}

export interface HttpHandle {
  /** http://host:port (the port is the bound one, also for --port 0). */
  url: string;
  port: number;
  sessions: SessionTable;
  close(): Promise<void>;
}

const rpcError = (res: Response, status: number, message: string, headers: Record<string, string> = {}) => {
  res
    .set(headers)
    .status(status)
    .json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });
};

const isLoopbackOrigin = (origin: string) => {
  try {
    return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(origin).hostname);
  } catch {
    return false;
  }
};

/** Serves the app over Streamable HTTP at /mcp: one MCP server per session, health at /healthz and /readyz. */
export async function startHttp(opts: HttpOptions): Promise<HttpHandle> {
  const { config, log, auth } = opts;
  const sessions = new SessionTable(config.sessionIdleMs, log);
  // Known once listening (--port 0 binds a free port).
  let publicUrl = config.publicUrl ?? '';
  const publicOrigin = () => new URL(publicUrl).origin;
  const metadataPath = '/.well-known/oauth-protected-resource/mcp';
  let closing = false;
  const http = express();
  http.disable('x-powered-by');

  // Probes answer on any Host: they reveal nothing and load balancers send their own.
  http.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  http.get(
    '/readyz',
    (_req, res) =>
      void res
        .status(closing ? 503 : 200)
        .json({ status: closing ? 'closing' : 'ready', sessions: sessions.size }),
  );

  // DNS rebinding: a page on another site resolving its name to this address sends its own Host and Origin.
  http.use(hostHeaderValidation(config.allowedHosts));
  // Before the MCP Origin rule: the inbox accepts only its own origin on forms (stricter), and needs no client auth.
  let inbox: InboxHandler | undefined;
  http.use((req: Request, res: Response, next: NextFunction) => {
    if (inbox && (req.path === INBOX_PATH || req.path.startsWith(`${INBOX_PATH}/`))) return inbox(req, res);
    next();
  });
  http.use((req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (
      origin &&
      !(origin === publicOrigin() || isLoopbackOrigin(origin) || config.allowedOrigins.includes(origin))
    )
      return rpcError(res, 403, `Origin ${origin} is not allowed (--allowed-origins)`);
    next();
  });

  if (auth?.resourceMetadata) {
    const meta = auth.resourceMetadata.bind(auth);
    http.get(
      ['/.well-known/oauth-protected-resource', metadataPath],
      (_req, res) => void res.json(meta(publicUrl)),
    );
  }
  const challenge = (f: AuthFailure) => {
    const parts = [`error="${f.error}"`, `error_description="${f.description.replace(/"/g, "'")}"`];
    if (f.error === 'insufficient_scope') parts.push(`scope="${SCOPES.join(' ')}"`);
    if (auth?.resourceMetadata) parts.unshift(`resource_metadata="${publicOrigin()}${metadataPath}"`);
    return `Bearer ${parts.join(', ')}`;
  };

  /** The caller, or undefined when it was refused (the answer is sent). */
  const authenticate = async (
    req: Request,
    res: Response,
  ): Promise<{ access?: ClientAccess } | undefined> => {
    if (!auth) return {};
    const result = await auth.authenticate(req.headers);
    if (result.ok) return { access: result.access };
    rpcError(res, result.failure.status, result.failure.description, {
      'WWW-Authenticate': challenge(result.failure),
    });
    return undefined;
  };

  const sessionFor = (req: Request, res: Response, access: ClientAccess | undefined) => {
    const id = req.headers['mcp-session-id'];
    if (typeof id !== 'string') return void rpcError(res, 400, 'Mcp-Session-Id header is required');
    const session = sessions.get(id);
    // 404 tells the client to start a new session (expired or never existed).
    if (!session) return void rpcError(res, 404, 'Session not found (expired or closed): initialize again');
    if (session.clientName !== access?.name)
      return void rpcError(res, 403, 'This session belongs to another client');
    return session;
  };

  const openSession = async (req: Request, res: Response, access: ClientAccess | undefined) => {
    const view = access && opts.viewFor?.(access);
    const server = opts.app.createServer({
      ...(view ? { wrapTools: view } : {}),
      ...(access?.toolsets ? { toolsets: access.toolsets } : {}),
    });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        const session: Session = { id, transport, server, lastSeen: Date.now(), inFlight: 0 };
        if (access) session.clientName = access.name;
        sessions.add(session);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) void sessions.remove(transport.sessionId, 'closed by client');
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  };

  const mcp = express.Router();
  mcp.use(express.json({ limit: '4mb' }));
  mcp.post('/', async (req, res) => {
    const who = await authenticate(req, res);
    if (!who) return;
    if (req.headers['mcp-session-id'] === undefined) {
      if (!isInitializeRequest(req.body)) return rpcError(res, 400, 'No session: send initialize first');
      if (closing) return rpcError(res, 503, 'Server is shutting down');
      return openSession(req, res, who.access);
    }
    const session = sessionFor(req, res, who.access);
    if (!session) return;
    const done = sessions.begin(session);
    res.on('close', done);
    await session.transport.handleRequest(req, res, req.body);
  });
  const other = async (req: Request, res: Response) => {
    const who = await authenticate(req, res);
    if (!who) return;
    const session = sessionFor(req, res, who.access);
    if (!session) return;
    session.lastSeen = Date.now();
    await session.transport.handleRequest(req, res);
  };
  mcp.get('/', other);
  mcp.delete('/', other);
  http.use('/mcp', mcp);

  const server: NodeServer = await new Promise((resolve, reject) => {
    const s = http.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const hostName = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${hostName}:${port}`;
  publicUrl ||= `${config.host === '0.0.0.0' || config.host === '::' ? 'http://localhost' : `http://${hostName}`}:${port}/mcp`;
  if (opts.inbox) {
    const at = `${new URL(publicUrl).origin}${INBOX_PATH}`;
    inbox = opts.inbox(at);
    log.info(`approval inbox on ${at}`);
  }
  log.info(
    `ready on ${url}/mcp (Streamable HTTP${auth ? ', client auth on' : ', no client auth: loopback only'})`,
  );
  return {
    url,
    port,
    sessions,
    close: async () => {
      closing = true;
      await sessions.closeAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
