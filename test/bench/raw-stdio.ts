/**
 * A bare JSON-RPC client over a child's stdin/stdout (no SDK on the client side): times spawn to an answer,
 * pipelines requests, reads the child's RSS. Also the anchor server: one zod tool on the project's SDK.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
};
export const INITIALIZED = { jsonrpc: '2.0', method: 'notifications/initialized' };
export const TOOLS_LIST = { jsonrpc: '2.0', id: 2, method: 'tools/list' };

export interface Command {
  args: string[];
  env?: Record<string, string>;
}

/** The anchor: McpServer + StdioServerTransport + one zod tool, importing the SDK and zod the project uses. */
export function oneToolServer(): Command {
  const dir = mkdtempSync(join(tmpdir(), 'pa-mcp-bench-anchor-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'one-tool.mjs');
  writeFileSync(
    file,
    [
      `import { McpServer } from ${JSON.stringify(import.meta.resolve('@modelcontextprotocol/sdk/server/mcp.js'))};`,
      `import { StdioServerTransport } from ${JSON.stringify(import.meta.resolve('@modelcontextprotocol/sdk/server/stdio.js'))};`,
      `import { z } from ${JSON.stringify(import.meta.resolve('zod'))};`,
      `const server = new McpServer({ name: 'one-tool', version: '1.0.0' });`,
      `server.tool('echo', 'Echoes its text', { text: z.string() }, async ({ text }) => ({ content: [{ type: 'text', text }] }));`,
      `await server.connect(new StdioServerTransport());`,
      '',
    ].join('\n'),
  );
  return { args: [file] };
}

/**
 * The floor of a call through any MCP server on this SDK: McpServer + StdioServerTransport whose address_list and
 * address_create send one undici request to the sandbox (a token fetched at start) and return its body as text:
 * no validation, approval, audit, redaction or shaping. What the real server adds beyond it is its own work.
 */
export function passThroughServer(): Command {
  const dir = mkdtempSync(join(tmpdir(), 'pa-mcp-bench-floor-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'pass-through.mjs');
  const mod = (m: string) => JSON.stringify(import.meta.resolve(m));
  writeFileSync(
    file,
    [
      `import { McpServer } from ${mod('@modelcontextprotocol/sdk/server/mcp.js')};`,
      `import { StdioServerTransport } from ${mod('@modelcontextprotocol/sdk/server/stdio.js')};`,
      `import { z } from ${mod('zod')};`,
      `import { Agent, request } from ${mod('undici')};`,
      `const env = process.env;`,
      `const agent = new Agent({ connections: 64 });`,
      `const basic = Buffer.from(env.SCM_CLIENT_ID + ':' + env.SCM_CLIENT_SECRET).toString('base64');`,
      `const tr = await request(env.SCM_AUTH_URL, { method: 'POST', dispatcher: agent, headers: { authorization: 'Basic ' + basic, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&scope=tsg_id:' + env.SCM_TSG_ID });`,
      `const token = (await tr.body.json()).access_token;`,
      `const api = env.SCM_API_URL + '/sse/config/v1/addresses';`,
      `const send = async (method, query, body) => {`,
      `  const r = await request(api + '?' + new URLSearchParams(query), { method, dispatcher: agent, headers: { authorization: 'Bearer ' + token, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });`,
      `  const text = await r.body.text();`,
      `  return { content: [{ type: 'text', text }], ...(r.statusCode >= 300 ? { isError: true } : {}) };`,
      `};`,
      `const server = new McpServer({ name: 'pass-through', version: '1.0.0' });`,
      `server.tool('address_list', 'List', { folder: z.string(), limit: z.number().optional(), offset: z.number().optional() }, async ({ folder, limit, offset }) => send('GET', { folder, ...(limit ? { limit: String(limit) } : {}), ...(offset ? { offset: String(offset) } : {}) }));`,
      `server.tool('address_create', 'Create', { folder: z.string(), name: z.string(), ip_netmask: z.string() }, async ({ folder, name, ip_netmask }) => send('POST', { folder }, { name, ip_netmask }));`,
      `await server.connect(new StdioServerTransport());`,
      '',
    ].join('\n'),
  );
  return { args: [file] };
}

export function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

type Answer = { id?: unknown; result?: any; error?: { code: number; message: string } };

/** One child speaking JSON-RPC lines; answers are matched by id. */
export class RawServer {
  readonly child: ChildProcess;
  readonly spawnedAt: number;
  readonly #waiting = new Map<unknown, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();
  #partial = '';
  #stderr = '';
  readonly #exited: Promise<number | null>;

  constructor(cmd: Command) {
    this.spawnedAt = performance.now();
    this.child = spawn(process.execPath, cmd.args, {
      env: cmd.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.#exited = new Promise((r) =>
      this.child.once('exit', (code) => {
        for (const [id, w] of this.#waiting)
          w.reject(new Error(`exited (${code}) before id ${String(id)}: ${this.#stderr.slice(-2000)}`));
        this.#waiting.clear();
        r(code);
      }),
    );
    this.child.stderr!.on('data', (d: Buffer) => {
      if (this.#stderr.length < 20_000) this.#stderr += d.toString();
    });
    this.child.stdout!.on('data', (d: Buffer) => {
      const parts = (this.#partial + d.toString('utf8')).split('\n');
      this.#partial = parts.pop() ?? '';
      for (const line of parts) {
        if (!line) continue;
        const msg = JSON.parse(line) as Answer;
        const w = this.#waiting.get(msg.id);
        if (w) {
          this.#waiting.delete(msg.id);
          w.resolve(msg);
        }
      }
    });
  }

  /** What the child wrote on stderr so far (the first 20 KB). */
  get stderr(): string {
    return this.#stderr;
  }

  get pid(): number {
    return this.child.pid!;
  }

  send(...msgs: unknown[]): void {
    this.child.stdin!.write(msgs.map((m) => JSON.stringify(m)).join('\n') + '\n');
  }

  answer(id: unknown, timeoutMs = 60_000): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`no answer to id ${String(id)} in ${timeoutMs} ms: ${this.#stderr.slice(-2000)}`)),
        timeoutMs,
      );
      this.#waiting.set(id, {
        resolve: (a) => {
          clearTimeout(timer);
          resolve(a);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  /** Sends one request and waits for its answer. */
  async request(id: number, method: string, params?: unknown): Promise<Answer> {
    const a = this.answer(id);
    this.send({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
    return a;
  }

  /** initialize, initialized, tools/list in one write; resolves with ms from spawn to the tools/list answer. */
  async ready(): Promise<number> {
    const listed = this.answer(2);
    this.send(INIT, INITIALIZED, TOOLS_LIST);
    const a = await listed;
    if (a.error) throw new Error(`tools/list: ${a.error.message}`);
    return performance.now() - this.spawnedAt;
  }

  /** Closes stdin (the server ends on it) and waits for the exit. */
  async close(): Promise<void> {
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.#exited;
    clearTimeout(timer);
  }
}

/** Spawn to exit of `node -e 0`: what any Node process costs. */
export async function bareNode(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  return performance.now() - t0;
}
