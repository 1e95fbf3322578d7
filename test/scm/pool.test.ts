import { afterEach, describe, expect, it } from 'vitest';
import { ScmClient } from '../../src/scm/index.js';
import { TOKEN_PATH } from './fake-scm.js';
import { CLIENT_ID, cleanup, SECRET, startFake, TSG } from './helpers.js';

afterEach(cleanup);

describe('the connection pool', () => {
  it('never opens more connections to a host than --max-connections', async () => {
    const fake = await startFake();
    let open = 0;
    let peak = 0;
    fake.api = async () => {
      open++;
      peak = Math.max(peak, open);
      await new Promise((r) => setTimeout(r, 100));
      open--;
      return { status: 200, body: {} };
    };
    const client = new ScmClient({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      tsgId: TSG,
      apiUrl: fake.url,
      setupUrl: fake.url,
      authUrl: `${fake.url}${TOKEN_PATH}`,
      maxConnections: 3,
    });
    await Promise.all(
      Array.from({ length: 12 }, () => client.request({ method: 'GET', path: '/sse/config/v1/tags' })),
    );
    expect(fake.apiRequests).toHaveLength(12);
    expect(peak).toBe(3);
  });
});
