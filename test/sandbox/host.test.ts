import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostCheck } from '../../src/sandbox/host-check.js';
import { start, type TestSandbox } from './helpers.js';

/** One raw request with the Host header given, as a browser tricked by DNS rebinding would send it. */
function raw(
  sb: TestSandbox,
  path: string,
  host: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
) {
  const url = new URL(sb.url);
  return new Promise<{ status: number; body: string }>((done, fail) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: init.method ?? 'GET',
        headers: { ...init.headers, host },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => done({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', fail);
    req.end(init.body);
  });
}

describe('sandbox HTTP side: loopback Host names only (DNS rebinding)', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await start({ seedDemo: false });
  });
  afterAll(() => sb.close());

  const tokenRequest = (host: string) =>
    raw(sb, '/oauth2/access_token', host, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${sb.clientId}:${sb.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `grant_type=client_credentials&scope=tsg_id:${sb.tsgId}`,
    });

  it('refuses a token request and an API call that name another host', async () => {
    const port = new URL(sb.url).port;
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `localhost.evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
    ]) {
      const token = await tokenRequest(host);
      expect(token.status).toBe(421);
      expect(token.body).not.toContain('access_token');
      expect(JSON.parse(token.body)._errors[0].message).toMatch(/Host/);
      const api = await raw(sb, '/sse/config/v1/tags?folder=Shared', host, {
        headers: { authorization: `Bearer ${await sb.token()}` },
      });
      expect(api.status).toBe(421);
    }
  });

  it('serves the loopback names, with its own port or none', async () => {
    const port = new URL(sb.url).port;
    for (const host of [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
      'localhost',
      `LOCALHOST:${port}`,
    ]) {
      expect((await tokenRequest(host)).status).toBe(200);
    }
    expect((await tokenRequest('127.0.0.1:1')).status).toBe(421);
  });

  it('also takes the bound address and names given with allowedHosts, never a wildcard', () => {
    const bound = hostCheck('192.0.2.5', () => 8787, ['sandbox.internal']);
    expect(['192.0.2.5:8787', 'sandbox.internal:8787', 'localhost:8787'].map(bound)).toEqual([
      true,
      true,
      true,
    ]);
    expect(['evil.example:8787', 'sandbox.internal:9999', '', 'a b'].map(bound)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(bound(undefined)).toBe(false);
    const any = hostCheck('0.0.0.0', () => 8787);
    expect(['0.0.0.0:8787', '127.0.0.1:8787'].map(any)).toEqual([false, true]);
    expect(hostCheck('::1', () => 1)('[::1]:1')).toBe(true);
  });
});
