import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const load = (argv: string[], env: NodeJS.ProcessEnv = {}) => loadConfig(argv, env);

describe('HTTP flags', () => {
  it('stdio stays the default; --http listens on 127.0.0.1:8080', () => {
    expect(load([]).http).toBeUndefined();
    expect(load(['--http']).http).toMatchObject({ host: '127.0.0.1', port: 8080, sessionIdleMs: 1_800_000 });
  });

  it('refuses a non-loopback address without client auth, and accepts it with --clients', () => {
    expect(() => load(['--http', '--host', '0.0.0.0'])).toThrow(
      /not a loopback address: refusing to serve without client auth/,
    );
    expect(load(['--http', '--host', '0.0.0.0', '--clients', '/tmp/c.json']).http?.clientsFile).toBe(
      '/tmp/c.json',
    );
    expect(
      load([
        '--http',
        '--host',
        '10.0.0.5',
        '--oauth-issuer',
        'https://idp.example',
        '--oauth-audience',
        'mcp',
      ]).http?.oauth,
    ).toEqual({ issuer: 'https://idp.example', audience: 'mcp' });
  });

  it('names the flag at fault', () => {
    expect(() => load(['--http', '--port', 'eighty'])).toThrow(/port must be 0-65535; got eighty/);
    expect(() => load(['--port', '9000'])).toThrow(/--port needs --http/);
    expect(() => load(['--http', '--oauth-issuer', 'https://idp.example'])).toThrow(ConfigError);
    expect(() => load(['--http', '--oauth-issuer', 'ftp://x', '--oauth-audience', 'a'])).toThrow(
      /oauth-issuer must be an http\(s\) URL/,
    );
  });

  it('accepts the Host names it is reached by: loopback, --allowed-hosts, the public URL', () => {
    const http = load([
      '--http',
      '--allowed-hosts',
      'mcp.corp',
      '--public-url',
      'https://mcp.example.com/mcp',
    ]).http!;
    expect(http.allowedHosts).toEqual(
      expect.arrayContaining(['localhost', '127.0.0.1', '[::1]', 'mcp.corp', 'mcp.example.com']),
    );
    expect(load([], { PRISMA_MCP_HTTP: '1', PRISMA_MCP_PORT: '9001' }).http?.port).toBe(9001);
  });
});
