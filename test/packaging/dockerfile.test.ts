import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, describe, expect, it } from 'vitest';
import { runtimeStage } from './dockerfile-steps.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const stage = runtimeStage(join(ROOT, 'Dockerfile'));
const app = mkdtempSync(join(tmpdir(), 'pa-docker-app-'));
const state = mkdtempSync(join(tmpdir(), 'pa-docker-state-'));
let child: ReturnType<typeof spawn> | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(app, { recursive: true, force: true });
});

const freePort = () =>
  new Promise<number>((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });

// The image's runtime stage, replayed in a clean folder: its COPY lines (from the build stage's /src, i.e. this
// checkout after `npm run build`), its RUN lines (the production install), its ENV and its start command.
describe('the Dockerfile runtime stage, run without Docker', () => {
  it('is small and safe: the bundle without any install, non-root, HTTP by default, a health check', () => {
    expect(stage.runs).toEqual([]);
    expect(stage.user).toBe('node');
    expect(stage.env).toMatchObject({ PRISMA_MCP_HTTP: '1', PRISMA_MCP_PORT: '8080' });
    expect(stage.healthcheck.join(' ')).toContain('/healthz');
    expect(stage.expose).toEqual([8080]);
  });

  it('starts over HTTP with its own command, and answers /healthz, its health check and an MCP initialize', async () => {
    for (const { sources, dest } of stage.copies) {
      for (const src of sources) {
        const from = join(ROOT, src.replace(/^\/src\/?/, ''));
        const to =
          dest.endsWith('/') || sources.length > 1
            ? join(app, dest, src.split('/').at(-1)!)
            : join(app, dest);
        mkdirSync(dirname(to), { recursive: true });
        cpSync(from, to, { recursive: true });
      }
    }
    for (const run of stage.runs) execFileSync('sh', ['-c', run], { cwd: app, stdio: 'pipe' });
    // No package at all, so nothing resolves from a node_modules: what starts below is the bundle alone.
    expect(existsSync(join(app, 'node_modules'))).toBe(false);
    expect(() => execFileSync('node', ['-e', "import('undici')"], { cwd: app, stdio: 'pipe' })).toThrow();

    const port = await freePort();
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !k.startsWith('SCM_') && !k.startsWith('PRISMA_MCP_')) env[k] = v;
    Object.assign(env, stage.env, {
      PRISMA_MCP_PORT: String(port),
      PRISMA_MCP_CLIENTS: join(state, 'clients.json'),
      XDG_STATE_HOME: state,
    });
    // The operator's first step: a client token, made with the image's own binary.
    const [cmd, ...args] = stage.entrypoint;
    const token = execFileSync(
      cmd!,
      [...args, 'clients', 'add', 'ops', '--scopes', 'config:read', '--clients', env.PRISMA_MCP_CLIENTS!],
      { cwd: app, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    )
      .trim()
      .split('\n')
      .at(-1)!;

    child = spawn(cmd!, args, { cwd: app, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    await new Promise<void>((res, rej) => {
      const t = setTimeout(() => rej(new Error(`no start:\n${err}`)), 60_000);
      child!.stderr!.on('data', (d) => {
        err += d;
        if (err.includes('ready on')) {
          clearTimeout(t);
          res();
        }
      });
      child!.once('exit', (c) => rej(new Error(`exited ${c}:\n${err}`)));
    });
    expect(err).toMatch(/ready on http:\/\/0\.0\.0\.0:\d+\/mcp/);
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: 'ok' });
    const [hcCmd, ...hcArgs] = stage.healthcheck;
    expect(() => execFileSync(hcCmd!, hcArgs, { env, stdio: 'pipe' })).not.toThrow();

    const client = new Client({ name: 'docker-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      }),
    );
    expect(client.getServerVersion()?.name).toBe('prisma-access-mcp');
    expect((await client.listTools()).tools.length).toBeGreaterThan(5);
    await client.close();
  }, 240_000);
});
