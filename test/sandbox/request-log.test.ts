import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestLog } from '../../src/sandbox/request-log.js';
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

describe('sandbox request log at its bound', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await start({ seedDemo: false, maxRecorded: 10 });
    await sb.token();
  });
  afterAll(() => sb.close());

  it('holds the newest requests, oldest first, while the counters count every request', async () => {
    const before = { ...sb.requestCounts, byMethod: { ...sb.requestCounts.byMethod } };
    for (let i = 0; i < 15; i++) await sb.api('GET', `tags?folder=Shared&offset=${i}`);
    await sb.api('POST', 'tags?folder=Shared', { name: 'counted' });
    const kept = sb.requests;
    expect(kept).toHaveLength(10);
    expect(kept.map((r) => r.query.offset)).toEqual([
      '6',
      '7',
      '8',
      '9',
      '10',
      '11',
      '12',
      '13',
      '14',
      undefined,
    ]);
    expect(kept.at(-1)?.method).toBe('POST');
    expect(sb.requestCounts.total - before.total).toBe(16);
    expect((sb.requestCounts.byMethod.GET ?? 0) - (before.byMethod.GET ?? 0)).toBe(15);
    expect((sb.requestCounts.byMethod.POST ?? 0) - (before.byMethod.POST ?? 0)).toBe(1);
  });
});

describe('RequestLog', () => {
  const rec = (i: number) => ({
    at: '',
    method: 'GET',
    path: `/${i}`,
    query: {},
    headers: {},
    body: undefined,
  });

  it('wraps around any number of times and still lists oldest first', () => {
    const log = new RequestLog(3);
    for (let i = 0; i < 3 * 7 + 2; i++) log.push(rec(i));
    expect(log.list().map((r) => r.path)).toEqual(['/20', '/21', '/22']);
    expect(log.counts.total).toBe(23);
  });

  it('refuses a capacity that could not hold a request', () => {
    expect(() => new RequestLog(0)).toThrow(/capacity must be >= 1/);
  });
});
