import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ScmApiError, ScmNetworkError } from '../../src/scm/index.js';
import { closedPort, FakeScm, tokenFor } from './fake-scm.js';
import { CLIENT_ID, cleanup, clientFor, rejectionOf, renderings, SECRET, startFake, TSG } from './helpers.js';

afterEach(cleanup);

const ADDRESSES = '/sse/config/v1/addresses';

describe('ScmClient requests', () => {
  it('sends the bearer token and JSON headers, never x-panw-region, and parses the answer', async () => {
    const fake = await startFake();
    fake.api = () => ({
      status: 201,
      body: { id: 'u-1', name: 'web' },
      headers: { 'x-request-id': 'rid-9' },
    });
    const { client } = clientFor(fake);

    const res = await client.request({
      method: 'POST',
      path: ADDRESSES,
      query: { folder: 'Mobile Users' },
      body: { name: 'web', ip_netmask: '10.0.0.1/32' },
      operation: 'address.create',
    });
    await client.request({ method: 'GET', path: `${ADDRESSES}/{id}`, pathParams: { id: 'u-1' } });

    expect(res).toEqual({
      status: 201,
      headers: expect.objectContaining({ 'x-request-id': 'rid-9' }),
      body: { id: 'u-1', name: 'web' },
      requestId: 'rid-9',
    });
    const [post, get] = fake.apiRequests;
    expect(post?.url).toBe(`${ADDRESSES}?folder=Mobile%20Users`);
    expect(post?.headers.authorization).toBe(`Bearer ${tokenFor(1)}`);
    expect(post?.headers['content-type']).toBe('application/json');
    expect(post?.headers.accept).toBe('application/json');
    expect(post?.headers['x-panw-region']).toBeUndefined();
    expect(get?.headers['content-type']).toBeUndefined();
    expect(get?.headers['x-panw-region']).toBeUndefined();
    expect(fake.tokenRequests).toHaveLength(1);
  });

  it('keeps a hostile id inside one path segment', async () => {
    const fake = await startFake();
    const { client } = clientFor(fake);
    await client.request({ method: 'GET', path: `${ADDRESSES}/{id}`, pathParams: { id: 'a/../b?x#y' } });
    await client.request({ method: 'DELETE', path: `${ADDRESSES}/{id}`, pathParams: { id: '..' } });
    expect(fake.apiRequests.map((r) => r.url)).toEqual([
      `${ADDRESSES}/a%2F..%2Fb%3Fx%23y`,
      `${ADDRESSES}/%2E%2E`,
    ]);
  });

  it('drops null fields at every depth without touching the caller object', async () => {
    const fake = await startFake();
    const { client } = clientFor(fake);
    const body = {
      name: 'rule',
      description: null,
      source: { address: ['any'], user: null },
      profile_setting: { group: [null, 'best-practice'] },
      tag: undefined,
    };
    const before = structuredClone(body);
    await client.request({ method: 'PUT', path: `${ADDRESSES}/{id}`, pathParams: { id: 'x' }, body });
    expect(JSON.parse(fake.apiRequests[0]?.body ?? '')).toEqual({
      name: 'rule',
      source: { address: ['any'] },
      profile_setting: { group: ['best-practice'] },
    });
    expect(body).toEqual(before);
  });

  it('sends base "setup" to the setup URL and asks a token for another TSG when told', async () => {
    const fake = await startFake();
    const { client } = clientFor(fake, { setupUrl: `${fake.url}/prefix/` });
    await client.request({ method: 'GET', path: '/config/setup/v1/folders', base: 'setup', tsgId: '555' });
    expect(fake.apiRequests[0]?.url).toBe('/prefix/config/setup/v1/folders');
    expect(fake.tokenRequests[0]?.body).toBe('grant_type=client_credentials&scope=tsg_id:555');
  });
});

describe('ScmClient on 401', () => {
  it('refreshes the token once and retries once', async () => {
    const fake = await startFake();
    fake.api = (req) =>
      req.headers.authorization === `Bearer ${tokenFor(1)}`
        ? { status: 401, body: { _errors: [{ code: 'E016', message: 'Not Authenticated' }] } }
        : { status: 200, body: { data: [] } };
    const { client } = clientFor(fake);

    const res = await client.request({ method: 'GET', path: ADDRESSES, query: { folder: 'Shared' } });

    expect(res.status).toBe(200);
    expect(fake.tokenRequests).toHaveLength(2);
    expect(fake.apiRequests.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${tokenFor(1)}`,
      `Bearer ${tokenFor(2)}`,
    ]);
  });

  it('surfaces a second 401 as an ScmApiError after exactly one refresh', async () => {
    const fake = await startFake();
    fake.api = () => ({ status: 401, body: { _errors: [{ code: 'E016', message: 'Not Authenticated' }] } });
    const { client } = clientFor(fake);

    const err = await rejectionOf(
      client.request({ method: 'POST', path: ADDRESSES, body: {}, operation: 'address.create' }),
    );

    expect(err).toBeInstanceOf(ScmApiError);
    expect((err as ScmApiError).message).toBe('API error [401] on address.create: Not Authenticated (E016)');
    expect((err as ScmApiError).hint).toMatch(/client id, client secret and TSG id/);
    expect(fake.tokenRequests).toHaveLength(2);
    expect(fake.apiRequests).toHaveLength(2);
  });
});

describe('ScmClient retries', () => {
  it('honours Retry-After: 1 on 429, for GET and for POST', async () => {
    const fake = await startFake();
    let n = 0;
    fake.api = () =>
      ++n % 2 === 1 ? { status: 429, headers: { 'retry-after': '1' }, body: 'slow down' } : { status: 200 };
    const { client, delays } = clientFor(fake);

    await client.request({ method: 'GET', path: ADDRESSES });
    await client.request({ method: 'POST', path: ADDRESSES, body: { name: 'a' } });

    expect(delays).toEqual([1000, 1000]);
    expect(fake.apiRequests.map((r) => r.method)).toEqual(['GET', 'GET', 'POST', 'POST']);
  });

  it('reads Retry-After as an HTTP date and caps it at maxRetryAfterMs', async () => {
    const fake = await startFake();
    const now = Date.parse('2025-01-01T00:00:00Z');
    const replies = [
      { status: 503, headers: { 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' } },
      { status: 429, headers: { 'retry-after': '3600' } },
      { status: 200 },
    ];
    fake.api = () => replies.shift() ?? { status: 500 };
    const { client, delays } = clientFor(fake, { now: () => now, retry: { maxRetryAfterMs: 20_000 } });

    await client.request({ method: 'GET', path: ADDRESSES });
    expect(delays).toEqual([3000, 20_000]);
  });

  it('retries 5xx on GET with jittered exponential backoff until it succeeds', async () => {
    const fake = await startFake();
    const statuses = [500, 502, 503, 504, 200];
    fake.api = () => ({ status: statuses.shift() ?? 500, body: { data: [] } });
    const { client, delays } = clientFor(fake);

    const res = await client.request({ method: 'GET', path: ADDRESSES });

    expect(res.status).toBe(200);
    expect(fake.apiRequests).toHaveLength(5);
    const bases = [500, 1000, 2000, 4000];
    delays.forEach((ms, i) => {
      const base = bases[i] ?? 0;
      expect(ms).toBeGreaterThanOrEqual(base * 0.75);
      expect(ms).toBeLessThanOrEqual(base);
    });
  });

  it('caps the backoff at maxDelayMs and gives up after maxRetries with the last body', async () => {
    const fake = await startFake();
    let n = 0;
    fake.api = () => ({ status: 503, body: { _errors: [{ code: 'X', message: `busy ${++n}` }] } });
    const { client, delays } = clientFor(fake, { retry: { maxRetries: 6, maxDelayMs: 3000 } });

    const err = await rejectionOf(
      client.request({ method: 'DELETE', path: `${ADDRESSES}/{id}`, pathParams: { id: '1' } }),
    );

    expect(fake.apiRequests).toHaveLength(7);
    expect(Math.max(...delays)).toBeLessThanOrEqual(3000);
    expect((err as ScmApiError).status).toBe(503);
    expect((err as ScmApiError).message).toContain('busy 7');
    expect((err as ScmApiError).hint).toMatch(/service problem/);
  });

  it('does not retry a POST that got a 503', async () => {
    const fake = await startFake();
    fake.api = () => ({ status: 503, body: 'upstream unavailable' });
    const { client, delays } = clientFor(fake);

    const err = await rejectionOf(
      client.request({ method: 'POST', path: ADDRESSES, body: {}, operation: 'address.create' }),
    );

    expect(err).toBeInstanceOf(ScmApiError);
    expect((err as ScmApiError).message).toBe('API error [503] on address.create: upstream unavailable');
    expect(fake.apiRequests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('does not retry a POST whose connection was reset after sending, but does retry a GET', async () => {
    const fake = await startFake();
    let n = 0;
    fake.api = (req) => (req.method === 'GET' && ++n > 1 ? { status: 200 } : { status: 200, destroy: true });
    const { client } = clientFor(fake);

    const err = await rejectionOf(
      client.request({ method: 'POST', path: ADDRESSES, body: {}, operation: 'address.create' }),
    );
    expect(err).toBeInstanceOf(ScmNetworkError);
    expect((err as ScmNetworkError).attempts).toBe(1);
    expect(fake.apiRequests).toHaveLength(1);

    await client.request({ method: 'GET', path: ADDRESSES });
    expect(fake.apiRequests.map((r) => r.method)).toEqual(['POST', 'GET', 'GET']);
  });

  it('retries a POST after ECONNREFUSED, because it never left', async () => {
    const auth = await startFake();
    const port = await closedPort();
    let api: FakeScm | undefined;
    const { client, delays } = clientFor(auth, {
      apiUrl: `http://127.0.0.1:${port}`,
      // The API comes up while the client backs off.
      sleep: async (ms) => {
        delays.push(ms);
        api ??= await FakeScm.start(port);
      },
    });
    try {
      const res = await client.request({ method: 'POST', path: ADDRESSES, body: { name: 'a' } });
      expect(res.status).toBe(200);
      expect(delays).toHaveLength(1);
      expect(api?.requests.map((r) => [r.method, r.body])).toEqual([['POST', '{"name":"a"}']]);
    } finally {
      await api?.close();
    }
  });

  it('throws ScmNetworkError after the retries when nothing answers', async () => {
    const auth = await startFake();
    const port = await closedPort();
    const { client, delays } = clientFor(auth, { apiUrl: `http://127.0.0.1:${port}` });

    const err = await rejectionOf(
      client.request({ method: 'GET', path: ADDRESSES, operation: 'address.list' }),
    );

    expect(err).toBeInstanceOf(ScmNetworkError);
    const e = err as ScmNetworkError;
    expect(e.code).toBe('SCM_NETWORK_ERROR');
    expect(e.causeCode).toBe('ECONNREFUSED');
    expect(e.attempts).toBe(5);
    expect(delays).toHaveLength(4);
    expect(e.message).toMatch(/^network error on address\.list after 5 attempts: .*ECONNREFUSED/);
  });

  it('times out a silent server and says so', async () => {
    const fake = await startFake();
    fake.api = () => ({ status: 200, hang: true });
    const { client } = clientFor(fake, { timeoutMs: 200, retry: { maxRetries: 1 } });

    const err = await rejectionOf(client.request({ method: 'GET', path: ADDRESSES }));

    expect((err as ScmNetworkError).causeCode).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect((err as ScmNetworkError).hint).toMatch(/did not answer in time/);
    expect(fake.apiRequests).toHaveLength(2);
  });

  it('stops retrying when the caller aborts during the backoff', async () => {
    const fake = await startFake();
    fake.api = () => ({ status: 503 });
    const controller = new AbortController();
    const { client } = clientFor(fake, {
      sleep: async () => {
        controller.abort(new Error('cancelled by user'));
      },
    });

    const err = await rejectionOf(
      client.request({ method: 'GET', path: ADDRESSES, signal: controller.signal }),
    );

    expect((err as Error).message).toBe('cancelled by user');
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.apiRequests).toHaveLength(1);
  });
});

describe('ScmClient errors', () => {
  it('reads an E006 body into the exact message and hint', async () => {
    const fake = await startFake();
    fake.api = () => ({
      status: 409,
      body: {
        _errors: [{ code: 'E006', message: 'Name Not Unique', details: { errorType: 'Object Not Unique' } }],
        _request_id: 'abcd-1234',
      },
    });
    const { client } = clientFor(fake);

    const err = await rejectionOf(
      client.request({ method: 'POST', path: ADDRESSES, body: {}, operation: 'address.create' }),
    );

    expect(err).toBeInstanceOf(ScmApiError);
    const e = err as ScmApiError;
    expect(e.message).toBe('API error [409] on address.create: Name Not Unique (E006), request_id=abcd-1234');
    expect(e.code).toBe('SCM_API_ERROR');
    expect(e.scmCode).toBe('E006');
    expect(e.requestId).toBe('abcd-1234');
    expect(e.hint).toMatch(/pick another name, or update the existing object/);
  });

  it('keeps details given as a list of strings', async () => {
    const fake = await startFake();
    fake.api = () => ({
      status: 400,
      body: {
        _errors: [
          { code: 'E003', message: 'Invalid Object', details: ['ip_netmask is invalid', 'name too long'] },
        ],
      },
    });
    const { client } = clientFor(fake);

    const err = (await rejectionOf(
      client.request({ method: 'POST', path: ADDRESSES, body: {} }),
    )) as ScmApiError;

    expect(err.message).toBe(`API error [400] on POST ${ADDRESSES}: Invalid Object (E003)`);
    expect(err.details).toEqual(['ip_netmask is invalid', 'name too long']);
    expect(err.detailsText).toBe('ip_netmask is invalid; name too long');
    expect(err.hint).toMatch(/fix the field named in the details/);
  });

  it('shows the status and raw text of a non-JSON 403 without crashing', async () => {
    const fake = await startFake();
    fake.api = () => ({ status: 403, body: '<html><body>Access denied\n by policy</body></html>' });
    const { client } = clientFor(fake);

    const err = (await rejectionOf(
      client.request({ method: 'GET', path: ADDRESSES, operation: 'address.list' }),
    )) as ScmApiError;

    expect(err.status).toBe(403);
    expect(err.message).toBe(
      'API error [403] on address.list: <html><body>Access denied by policy</body></html>',
    );
    expect(err.rawText).toBe('<html><body>Access denied\n by policy</body></html>');
    expect(err.hint).toMatch(/role/);
  });

  it('never shows the client secret or the bearer token, even when the server echoes them', async () => {
    const fake = await startFake();
    fake.api = (req) => ({
      status: 403,
      body: { message: `denied for ${req.headers.authorization} (secret ${SECRET})` },
    });
    const { client } = clientFor(fake);

    const err = await rejectionOf(client.request({ method: 'GET', path: ADDRESSES }));

    const text = renderings(err);
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(tokenFor(1));
    expect(text).not.toContain(SECRET);
    expect(JSON.stringify(client)).not.toContain(SECRET);
  });

  it('never shows the secret in a token failure either', async () => {
    const fake = await startFake();
    fake.token = (req) => ({ status: 401, body: `bad credentials ${req.headers.authorization} ${SECRET}` });
    const { client } = clientFor(fake);

    const err = await rejectionOf(client.request({ method: 'GET', path: ADDRESSES }));

    const basic = Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64');
    const text = renderings(err);
    expect(text).toContain(`status=401`);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(basic);
    expect(fake.tokenRequests[0]?.body).toBe(`grant_type=client_credentials&scope=tsg_id:${TSG}`);
  });
});

describe('ScmClient with a foreign server', () => {
  it('treats an empty error body as the status text', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/oauth2/access_token') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'eyJ.other-token.0123456789', expires_in: 900 }));
        return;
      }
      res.writeHead(502);
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as { port: number };
    const url = `http://127.0.0.1:${port}`;
    try {
      const fake = { url } as FakeScm;
      const { client } = clientFor(fake, { retry: { maxRetries: 0 } });
      const err = (await rejectionOf(
        client.request({ method: 'GET', path: ADDRESSES, operation: 'x.list' }),
      )) as ScmApiError;
      expect(err.message).toBe('API error [502] on x.list: Bad Gateway');
      expect(err.rawText).toBe('');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
