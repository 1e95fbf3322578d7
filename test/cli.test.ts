import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, cleanEnv } from './integration/helpers.js';

const creds = {
  SCM_CLIENT_ID: 'id@tsg.iam.panserviceaccount.com',
  SCM_CLIENT_SECRET: 'cli-test-secret-value',
  SCM_TSG_ID: '1234567890',
};

function start(env: Record<string, string>) {
  // stdin at end of file: the server starts, finds no requests, and exits.
  return spawnSync(process.execPath, [CLI], {
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
    encoding: 'utf8',
  });
}

describe('the binary at start', () => {
  it('warns loudly when the secret would travel to a remote host over http://', () => {
    const r = start({
      ...creds,
      SCM_AUTH_URL: 'http://auth.example.com/oauth2/access_token',
      PRISMA_MCP_LOG_LEVEL: 'silent',
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /WARNING: http:\/\/auth\.example\.com\/oauth2\/access_token is plain http:\/\/.*unencrypted/,
    );
    expect(r.stderr).not.toContain(creds.SCM_CLIENT_SECRET);
    expect(r.stdout).toBe('');
  });

  it('says nothing of the kind for https:// or loopback URLs', () => {
    const r = start({ ...creds, SCM_API_URL: 'http://127.0.0.1:9' });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/WARNING/);
  });
});

describe('the binary: one deadline per call', () => {
  it('a token endpoint that never answers fails the call at --call-timeout, saying so', async () => {
    const { createServer } = await import('node:http');
    const { run, init, initialized, lines } = await import('./integration/pipe.js');
    const hanging = createServer(() => {});
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const port = (hanging.address() as { port: number }).port;
    try {
      const call = {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'tag_list', arguments: { folder: 'Shared' } },
      };
      const r = await run(
        ['--call-timeout', '700'],
        lines(init, initialized, call),
        cleanEnv({
          ...creds,
          SCM_AUTH_URL: `http://127.0.0.1:${port}/oauth2/access_token`,
          SCM_API_URL: `http://127.0.0.1:${port}`,
        }),
      );
      expect(r.code).toBe(0);
      expect(r.texts[1]).toMatch(/SCM_DEADLINE/);
      expect(r.texts[1]).toMatch(/deadline of 700 ms, waiting for the token endpoint/);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  });
});
