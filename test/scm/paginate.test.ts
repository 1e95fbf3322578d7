import { afterEach, describe, expect, it } from 'vitest';
import { paginate } from '../../src/scm/index.js';
import { cleanup, clientFor, startFake } from './helpers.js';

afterEach(cleanup);

const items = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: `id-${from + i}` }));

/** A fake list endpoint over `count` objects that honours limit (clamped to 5000) and offset. */
async function listFake(count: number, withTotal = true) {
  const fake = await startFake();
  fake.api = (req) => {
    const q = new URL(req.url, 'http://x').searchParams;
    const limit = Math.min(Number(q.get('limit')), 5000);
    const offset = Number(q.get('offset'));
    const data = items(offset, Math.max(0, Math.min(limit, count - offset)));
    return { status: 200, body: withTotal ? { data, limit, offset, total: count } : { data, limit, offset } };
  };
  return fake;
}

const list = { method: 'GET', path: '/sse/config/v1/addresses', query: { folder: 'Shared' } } as const;

describe('paginate', () => {
  it('pages with limit/offset until offset reaches total', async () => {
    const fake = await listFake(5);
    const { client } = clientFor(fake);
    const out = await paginate(client, list, { pageSize: 2 });
    expect(out).toEqual({ data: items(0, 5), total: 5, truncated: false });
    expect(fake.apiRequests.map((r) => r.url)).toEqual([
      '/sse/config/v1/addresses?folder=Shared&limit=2&offset=0',
      '/sse/config/v1/addresses?folder=Shared&limit=2&offset=2',
      '/sse/config/v1/addresses?folder=Shared&limit=2&offset=4',
    ]);
  });

  it('stops on a short page when there is no total', async () => {
    const fake = await listFake(4, false);
    const { client } = clientFor(fake);
    const out = await paginate(client, list, { pageSize: 2 });
    expect(out.data).toHaveLength(4);
    expect(fake.apiRequests).toHaveLength(3);
  });

  it('stops at max and says the list was cut', async () => {
    const fake = await listFake(10);
    const { client } = clientFor(fake);
    const out = await paginate(client, list, { pageSize: 4, max: 6 });
    expect(out).toEqual({ data: items(0, 6), total: 10, truncated: true });
    expect(fake.apiRequests.map((r) => new URL(r.url, 'http://x').searchParams.get('limit'))).toEqual([
      '4',
      '2',
    ]);
  });

  it('never asks for more than 5000 per page', async () => {
    const fake = await listFake(3);
    const { client } = clientFor(fake);
    await paginate(client, list, { pageSize: 10_000 });
    expect(fake.apiRequests[0]?.url).toContain('limit=5000');
  });

  it('treats the bare object of a ?name= lookup as a one-item list', async () => {
    const fake = await startFake();
    fake.api = () => ({ status: 200, body: { id: 'u-1', name: 'web' } });
    const { client } = clientFor(fake);
    const out = await paginate(client, { ...list, query: { folder: 'Shared', name: 'web' } });
    expect(out).toEqual({ data: [{ id: 'u-1', name: 'web' }], total: 1, truncated: false });
    expect(fake.apiRequests).toHaveLength(1);
  });
});
