import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  /** Raw request target as sent: path and query, still percent-encoded. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** Close the socket without answering. */
  destroy?: boolean;
  /** Never answer. */
  hang?: boolean;
}

export type Route = (req: Recorded, res: ServerResponse) => Reply | Promise<Reply>;

export const TOKEN_PATH = '/oauth2/access_token';

/** The n-th token the fake hands out (long, like a real JWT, so redaction applies). */
export const tokenFor = (n: number) => `eyJ.fake-token-${n}.0123456789abcdef`;

/** A loopback stand-in for the token endpoint and the SCM API; records every request. */
export class FakeScm {
  readonly requests: Recorded[] = [];
  tokenCount = 0;
  /** Answers token requests; default: tokenFor(1), tokenFor(2), ... valid 899 s. */
  token: Route = () => ({
    status: 200,
    body: { access_token: tokenFor(this.tokenCount), token_type: 'Bearer', expires_in: 899, scope: 'x' },
  });
  /** Answers everything else; default: 200 {}. */
  api: Route = () => ({ status: 200, body: {} });

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(port = 0): Promise<FakeScm> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const fake = new FakeScm(server, (server.address() as AddressInfo).port);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rec: Recorded = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        void fake.answer(rec, res);
      });
    });
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get apiRequests(): Recorded[] {
    return this.requests.filter((r) => r.url !== TOKEN_PATH);
  }

  get tokenRequests(): Recorded[] {
    return this.requests.filter((r) => r.url === TOKEN_PATH);
  }

  private async answer(rec: Recorded, res: ServerResponse): Promise<void> {
    this.requests.push(rec);
    let reply: Reply;
    if (rec.url === TOKEN_PATH) {
      this.tokenCount++;
      reply = await this.token(rec, res);
    } else {
      reply = await this.api(rec, res);
    }
    if (reply.hang) return;
    if (reply.destroy) {
      res.socket?.destroy();
      return;
    }
    const text =
      reply.body === undefined
        ? ''
        : typeof reply.body === 'string'
          ? reply.body
          : JSON.stringify(reply.body);
    const headers: Record<string, string> = { ...reply.headers };
    if (typeof reply.body === 'object' && reply.body !== null) headers['content-type'] ??= 'application/json';
    res.writeHead(reply.status, headers);
    res.end(text);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A port nothing listens on (it was just closed), for ECONNREFUSED. */
export async function closedPort(): Promise<number> {
  const fake = await FakeScm.start();
  const { port } = fake;
  await fake.close();
  return port;
}
