import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { CLI, sandboxEnv } from '../integration/helpers.js';

export interface HttpServer {
  /** http://127.0.0.1:PORT */
  url: string;
  mcpUrl: URL;
  sandbox: RunningSandbox;
  dir: string;
  stderr(): string;
  close(): Promise<void>;
}

/**
 * The real binary with --http on a free port, reaching a sandbox of the test's own as it would a tenant
 * (so the test sees every request that went upstream).
 */
export async function startHttpServer(
  args: string[] = [],
  opts: { env?: Record<string, string>; sandbox?: RunningSandbox } = {},
): Promise<HttpServer> {
  const sandbox =
    opts.sandbox ?? (await startSandbox({ operations: loadCatalog().operations, pushDurationMs: 1200 }));
  const dir = mkdtempSync(join(tmpdir(), 'pa-mcp-http-'));
  const env = sandboxEnv(sandbox, { PRISMA_MCP_AUDIT_LOG: join(dir, 'audit.log'), ...opts.env });
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, '--http', '--port', '0', '--toolsets', 'all', ...args],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${err}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /ready on (http:\/\/[^\s/]+)\/mcp/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code}:\n${err}`));
    });
  });
  return {
    url,
    mcpUrl: new URL(`${url}/mcp`),
    sandbox,
    dir,
    stderr: () => err,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!opts.sandbox) await sandbox.close();
    },
  };
}

/** The SDK's Streamable HTTP client, optionally with a bearer token and an elicitation answer. */
export async function connectClient(
  server: Pick<HttpServer, 'mcpUrl'>,
  opts: { token?: string; elicit?: (req: ElicitRequest) => Promise<ElicitResult>; name?: string } = {},
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(server.mcpUrl, {
    ...(opts.token ? { requestInit: { headers: { Authorization: `Bearer ${opts.token}` } } } : {}),
  });
  const client = new Client(
    { name: opts.name ?? 'http-test', version: '1.0.0' },
    { capabilities: opts.elicit ? { elicitation: {} } : {} },
  );
  if (opts.elicit) client.setRequestHandler(ElicitRequestSchema, opts.elicit);
  await client.connect(transport);
  return { client, transport };
}

/** Requests the sandbox saw other than token fetches. */
export const apiRequests = (s: RunningSandbox) => s.requests.filter((r) => !r.path.includes('oauth2'));
