import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where the inbox page is served on the HTTP server (--http). */
export const INBOX_PATH = '/approvals';

/** The inbox's own HTTP server, listening before the handler exists (the URL goes into the handler's links). */
export async function listenInbox(
  host: string,
  port: number,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer();
  // Slow or idle clients must not hold the process open.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `approval inbox cannot listen on ${host}:${port} (${err.code ?? err.message}): choose another --inbox-port or --inbox-host`,
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    server,
    url: `http://${shown}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
