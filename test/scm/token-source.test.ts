import { afterEach, describe, expect, it } from 'vitest';
import { ScmNetworkError, TokenError, TokenSource, type TokenSourceOptions } from '../../src/scm/index.js';
import { closedPort, type FakeScm, TOKEN_PATH, tokenFor } from './fake-scm.js';
import { CLIENT_ID, cleanup, rejectionOf, renderings, SECRET, startFake, TSG, testAgent } from './helpers.js';

afterEach(cleanup);

function sourceFor(fake: FakeScm, overrides: Partial<TokenSourceOptions> = {}): TokenSource {
  return new TokenSource({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    tsgId: TSG,
    authUrl: `${fake.url}${TOKEN_PATH}`,
    dispatcher: testAgent(),
    sleep: async () => {},
    ...overrides,
  });
}

describe('TokenSource', () => {
  it('makes exactly one token request for 100 concurrent first callers', async () => {
    const fake = await startFake();
    const slow = fake.token;
    fake.token = async (req, res) => {
      await new Promise((r) => setTimeout(r, 50));
      return slow(req, res);
    };
    const source = sourceFor(fake);

    const tokens = await Promise.all(Array.from({ length: 100 }, () => source.getToken()));

    expect(fake.tokenRequests).toHaveLength(1);
    expect(new Set(tokens)).toEqual(new Set([tokenFor(1)]));
  });

  it('sends HTTP Basic client_id:client_secret and the exact form body', async () => {
    const fake = await startFake();
    await sourceFor(fake).getToken();

    const [req] = fake.tokenRequests;
    expect(req?.method).toBe('POST');
    expect(req?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64')}`,
    );
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req?.body).toBe(`grant_type=client_credentials&scope=tsg_id:${TSG}`);
  });

  it('reuses the token until 5 minutes before expiry, then fetches a new one', async () => {
    const fake = await startFake();
    fake.token = () => ({ status: 200, body: { access_token: tokenFor(fake.tokenCount), expires_in: 900 } });
    let now = 1_000_000;
    const source = sourceFor(fake, { now: () => now });

    expect(await source.getToken()).toBe(tokenFor(1));
    now += 600_000 - 1; // 5 min + 1 ms of validity left
    expect(await source.getToken()).toBe(tokenFor(1));
    now += 1; // exactly 5 min left
    expect(await source.getToken()).toBe(tokenFor(2));
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('honours a custom refreshSkewMs', async () => {
    const fake = await startFake();
    let now = 0;
    const source = sourceFor(fake, { now: () => now, refreshSkewMs: 60_000 });
    await source.getToken();
    now = 899_000 - 60_000 - 1;
    await source.getToken();
    expect(fake.tokenRequests).toHaveLength(1);
    now += 1;
    await source.getToken();
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('invalidate() forces a refresh, but only while the cached token is still that one', async () => {
    const fake = await startFake();
    const source = sourceFor(fake);

    const first = await source.getToken();
    source.invalidate(first);
    const second = await source.getToken();
    source.invalidate(first); // a late 401 for the old token must not drop the new one
    const third = await source.getToken();

    expect([first, second, third]).toEqual([tokenFor(1), tokenFor(2), tokenFor(2)]);
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('keeps one token per TSG, scoped to that TSG', async () => {
    const fake = await startFake();
    const source = sourceFor(fake);

    const own = await source.getToken();
    const child = await source.getToken('1999999999');
    await Promise.all([source.getToken(), source.getToken('1999999999')]);

    expect(own).not.toBe(child);
    expect(fake.tokenRequests.map((r) => r.body)).toEqual([
      `grant_type=client_credentials&scope=tsg_id:${TSG}`,
      'grant_type=client_credentials&scope=tsg_id:1999999999',
    ]);
  });

  it('reads 401 invalid_client as a secret/client id problem, without retrying', async () => {
    const fake = await startFake();
    fake.token = () => ({ status: 401, body: { error: 'invalid_client' } });
    const source = sourceFor(fake);

    const err = await rejectionOf(source.getToken());

    expect(err).toBeInstanceOf(TokenError);
    const e = err as TokenError;
    expect(e.code).toBe('SCM_TOKEN_ERROR');
    expect(e.message).toBe(
      'token fetch failed: status=401 body=invalid_client. The client id or secret was rejected: ' +
        'check the client id, and rotate or re-enter the client secret.',
    );
    expect(e.oauthError).toBe('invalid_client');
    expect(fake.tokenRequests).toHaveLength(1);
  });

  it('reads 403 as a missing role on that TSG or a TSG outside the hierarchy, naming each fix', async () => {
    const fake = await startFake();
    fake.token = () => ({ status: 403, body: 'Forbidden' });
    const err = (await rejectionOf(sourceFor(fake).getToken('777'))) as TokenError;

    expect(err.message).toBe(
      'token fetch failed: status=403 body=Forbidden. The service account may not act on TSG 777: it has no role ' +
        'there, or the TSG is outside its hierarchy (an account reaches its own TSG and descendants only). Give it a ' +
        'role on that TSG, use a service account at an ancestor TSG, or add an access policy granting it one.',
    );
    expect(err.tsgId).toBe('777');
  });

  it('never puts the secret or a token in its errors, even when the server echoes them', async () => {
    const fake = await startFake();
    fake.token = (req) => ({
      status: 400,
      body: { error: 'invalid_request', error_description: `got ${req.headers.authorization} ${SECRET}` },
    });
    const err = await rejectionOf(sourceFor(fake).getToken());

    const text = renderings(err);
    expect(text).toContain('invalid_request');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64'));
  });

  it('does not echo a 2xx body without access_token (it may hold a token under another name)', async () => {
    const fake = await startFake();
    fake.token = () => ({ status: 200, body: { id_token: 'eyJ.secret-ish.token-value' } });
    const err = (await rejectionOf(sourceFor(fake).getToken())) as TokenError;
    expect(err.message).toMatch(/^token fetch failed: status=200 body=no access_token in the answer/);
    expect(renderings(err)).not.toContain('secret-ish');
  });

  it('lets the next caller try again after a failure', async () => {
    const fake = await startFake();
    fake.token = () => ({ status: 401, body: { error: 'invalid_client' } });
    const source = sourceFor(fake);
    await rejectionOf(source.getToken());
    fake.token = () => ({ status: 200, body: { access_token: tokenFor(9), expires_in: 899 } });
    expect(await source.getToken()).toBe(tokenFor(9));
  });

  it('retries a token request on 503 (asking again has no side effect)', async () => {
    const fake = await startFake();
    const replies = [{ status: 503 }, { status: 200, body: { access_token: tokenFor(1), expires_in: 899 } }];
    fake.token = () => replies.shift() ?? { status: 500 };
    expect(await sourceFor(fake).getToken()).toBe(tokenFor(1));
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('reports an unreachable auth URL as ScmNetworkError', async () => {
    const port = await closedPort();
    const source = sourceFor({ url: `http://127.0.0.1:${port}` } as FakeScm, { retry: { maxRetries: 1 } });
    const err = (await rejectionOf(source.getToken())) as ScmNetworkError;
    expect(err).toBeInstanceOf(ScmNetworkError);
    expect(err.operation).toBe('token.fetch');
    expect(err.attempts).toBe(2);
  });
});

describe('TokenSource: tokens are secrets while they live', () => {
  it('redacts the current token everywhere, and forgets it once expired', async () => {
    const { redactSecrets } = await import('../../src/secrets.js');
    const fake = await startFake();
    let now = 1_000_000;
    const source = sourceFor(fake, { now: () => now });
    const first = await source.getToken();
    expect(redactSecrets(`a ${first} b ${Buffer.from(first).toString('base64')}`)).toBe(
      'a [redacted] b [redacted]',
    );
    expect(redactSecrets(SECRET)).toBe('[redacted]');
    now += 900_000;
    const second = await source.getToken();
    expect(second).not.toBe(first);
    // The first has expired: it no longer matters, and the set of redacted values stays small.
    expect(redactSecrets(first)).toBe(first);
    expect(redactSecrets(second)).toBe('[redacted]');
  });
});
