import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type TestSandbox } from './helpers.js';

/** The request log is for tests and diagnostics: bounded in count and in bytes, whatever clients send. */
describe('sandbox request log', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await start({ seedDemo: false });
  });
  afterAll(() => sb.close());

  it('keeps small bodies and records only the size of large ones', async () => {
    await sb.api('POST', 'tags?folder=Shared', { name: 'logged-small' });
    const big = { name: 'logged-big', comments: 'x'.repeat(200_000) };
    await sb.api('POST', 'tags?folder=Shared', big);
    const posts = sb.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/tags'));
    expect(posts[0]?.body).toEqual({ name: 'logged-small' });
    expect(posts[1]?.body).toEqual({ omitted: `${JSON.stringify(big).length} bytes` });
  });
});
