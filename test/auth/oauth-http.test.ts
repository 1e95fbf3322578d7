import { createServer, type Server } from 'node:http';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type HttpServer, startHttpServer } from '../transports/http-harness.js';
import { resultData } from '../integration/result-data.js';

// A local authorization server: its metadata and JWKS on loopback, tokens signed with its own RSA key.
let issuerServer: Server;
let issuer: string;
let sign: (claims: JWTPayload, opts?: { exp?: string | number; aud?: string }) => Promise<string>;
let s: HttpServer;
const AUDIENCE = 'https://mcp.example.test/mcp';

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  issuerServer = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/oauth-authorization-server')
      return void res.end(
        JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks`, token_endpoint: `${issuer}/token` }),
      );
    if (req.url === '/jwks') return void res.end(JSON.stringify({ keys: [jwk] }));
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((r) => issuerServer.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(issuerServer.address() as { port: number }).port}`;
  sign = (claims, opts = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(opts.aud ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '5m')
      .sign(privateKey);
  s = await startHttpServer(['--oauth-issuer', issuer, '--oauth-audience', AUDIENCE]);
}, 60_000);
afterAll(async () => {
  await s?.close();
  await new Promise((r) => issuerServer?.close(r));
});

const init = (token?: string) =>
  fetch(s.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    }),
  });

describe('OAuth resource-server mode (--oauth-issuer, --oauth-audience)', () => {
  it('serves protected-resource metadata naming the issuer and the scopes', async () => {
    const meta = await (await fetch(`${s.url}/.well-known/oauth-protected-resource/mcp`)).json();
    expect(meta).toMatchObject({
      resource: `${s.url}/mcp`,
      authorization_servers: [issuer],
      scopes_supported: ['config:read', 'config:write', 'config:delete', 'config:deploy'],
    });
  });

  it('answers 401 with a WWW-Authenticate pointing at the metadata when no token is sent', async () => {
    const before = s.sandbox.requests.length;
    const res = await init();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(
      new RegExp(`^Bearer resource_metadata="${s.url}/.well-known/oauth-protected-resource/mcp"`),
    );
    expect(s.sandbox.requests.length).toBe(before);
  });

  it('accepts a valid token and maps its scopes: a read token lists reads and is refused a write', async () => {
    const token = await sign({ scope: 'config:read profile', client_id: 'cortex-agent' });
    const { client } = await connectClient(s, { token });
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('address_list');
    expect(names).not.toContain('address_create');
    const before = s.sandbox.requests.length;
    const res = (await client.callTool({
      name: 'address_create',
      arguments: { folder: 'Shared', name: 'o', ip_netmask: '10.9.9.9/32' },
    })) as CallToolResult;
    expect(res.isError).toBe(true);
    expect(JSON.stringify(resultData(res))).toContain('Client cortex-agent lacks the scope config:write');
    expect(s.sandbox.requests.length).toBe(before);
    await client.close();
  });

  it.each([
    [
      'an expired token',
      () => sign({ scope: 'config:read' }, { exp: Math.floor(Date.now() / 1000) - 60 }),
      401,
      'invalid_token',
      'expired',
    ],
    [
      'a token for another audience',
      () => sign({ scope: 'config:read' }, { aud: 'https://other.example/mcp' }),
      401,
      'invalid_token',
      'aud',
    ],
    [
      'a token without any of the four scopes',
      () => sign({ scope: 'profile email' }),
      403,
      'insufficient_scope',
      'none of config:read',
    ],
  ] as const)('refuses %s', async (_name, make, status, error, why) => {
    const before = s.sandbox.requests.length;
    const res = await init(await make());
    expect(res.status).toBe(status);
    const header = res.headers.get('www-authenticate') ?? '';
    expect(header).toContain(`error="${error}"`);
    expect(header).toContain(why);
    expect(s.sandbox.requests.length).toBe(before);
  });

  it('refuses a token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ scope: 'config:read' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(privateKey);
    expect((await init(forged)).status).toBe(401);
  });
});
