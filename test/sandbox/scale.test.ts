import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type TestSandbox } from './helpers.js';

const N = 50_000;

/** A 50k-object folder, seeded in the store: pages, name lookups and uniqueness at that size. */
describe('sandbox with 50,000 addresses in one folder', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await start({ seedDemo: false });
    const list = sb.state.objects('address');
    for (let i = 0; i < N; i++)
      list.push({
        id: `scale-${i}`,
        folder: 'Shared',
        data: { name: `s${i}`, ip_netmask: `10.1.0.${i % 250}` },
      });
    sb.state.changed();
  });
  afterAll(() => sb.close());

  it('answers the page asked for, with the total', async () => {
    const mid = await sb.api('GET', 'addresses?folder=Shared&limit=5000&offset=45000');
    expect(mid.status).toBe(200);
    expect(mid.body.total).toBe(N);
    expect(mid.body.data).toHaveLength(5000);
    expect(mid.body.data[0]).toMatchObject({ id: 'scale-45000', name: 's45000', folder: 'Shared' });
    expect(mid.body.data[4999].name).toBe('s49999');
    const tail = await sb.api('GET', `addresses?folder=Shared&limit=200&offset=${N - 10}`);
    expect(tail.body.data.map((o: { name: string }) => o.name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `s${N - 10 + i}`),
    );
  });

  it('finds one by name and refuses a duplicate name, also after creates through the API', async () => {
    expect((await sb.api('GET', 'addresses?folder=Shared&name=s31337')).body.id).toBe('scale-31337');
    const created = await sb.api('POST', 'addresses?folder=Shared', {
      name: 'after-50k',
      ip_netmask: '10.9.9.9',
    });
    expect(created.status).toBe(201);
    const again = await sb.api('POST', 'addresses?folder=Shared', {
      name: 'after-50k',
      ip_netmask: '10.9.9.8',
    });
    expect(again.status).toBe(409);
    const old = await sb.api('POST', 'addresses?folder=Shared', { name: 's49999', ip_netmask: '10.9.9.7' });
    expect(old.status).toBe(409);
    const last = await sb.api('GET', `addresses?folder=Shared&limit=1&offset=${N}`);
    expect(last.body).toMatchObject({ total: N + 1, data: [{ name: 'after-50k' }] });
  });
});
