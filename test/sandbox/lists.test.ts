import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type TestSandbox } from './helpers.js';

describe('sandbox lists', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await start();
    // Enough objects to page through.
    for (let i = 0; i < 30; i++) {
      const res = await sb.api('POST', 'tags?folder=Mobile%20Users', {
        name: `page-tag-${String(i).padStart(2, '0')}`,
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => sb.close());

  it('answers {data, limit, offset, total} with the default limit of 200', async () => {
    const { status, body } = await sb.api('GET', 'addresses?folder=Shared');
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['data', 'limit', 'offset', 'total']);
    expect(body).toMatchObject({ limit: 200, offset: 0 });
    expect(body.total).toBe(body.data.length);
    expect(body.total).toBeGreaterThanOrEqual(24);
  });

  it('pages with limit and offset; walking the pages yields every object once', async () => {
    const seen: string[] = [];
    let offset = 0;
    let total = Number.POSITIVE_INFINITY;
    while (offset < total) {
      const { body } = await sb.api('GET', `tags?folder=Mobile%20Users&limit=7&offset=${offset}`);
      expect(body.limit).toBe(7);
      expect(body.offset).toBe(offset);
      total = body.total;
      seen.push(...body.data.map((t: { name: string }) => t.name));
      if (body.data.length < 7) break;
      offset += 7;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen.filter((n) => n.startsWith('page-tag-'))).toHaveLength(30);
  });

  it('clamps limit to 5000 silently, and refuses a limit that is not a positive integer', async () => {
    const { status, body } = await sb.api('GET', 'addresses?folder=Shared&limit=100000');
    expect(status).toBe(200);
    expect(body.limit).toBe(5000);
    for (const bad of ['abc', '-1', '0', '2.5']) {
      const res = await sb.api('GET', `addresses?folder=Shared&limit=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body._errors[0].code).toBe('E003');
    }
  });

  it('answers ?name= with the bare object, or 404 E005', async () => {
    const { status, body } = await sb.api('GET', 'addresses?folder=Shared&name=web-srv-02');
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: 'web-srv-02', folder: 'Shared', ip_netmask: '10.10.1.12/32' });
    expect(body.data).toBeUndefined();
    const missing = await sb.api('GET', 'addresses?folder=Shared&name=nope');
    expect(missing.status).toBe(404);
    expect(missing.body._errors[0].code).toBe('E005');
  });

  it('includes objects inherited from Shared when listing a custom folder, not the reverse', async () => {
    const branch = await sb.api('GET', 'addresses?folder=Branch%20Offices');
    const folders = new Set(branch.body.data.map((a: { folder: string }) => a.folder));
    expect(folders).toEqual(new Set(['Shared', 'Branch Offices']));
    const shared = await sb.api('GET', 'addresses?folder=Shared');
    expect(shared.body.data.every((a: { folder: string }) => a.folder === 'Shared')).toBe(true);
    expect(branch.body.total).toBeGreaterThan(shared.body.total);
    // ?name= in the custom folder finds the inherited object.
    const inherited = await sb.api('GET', 'addresses?folder=Branch%20Offices&name=web-srv-01');
    expect(inherited.body.folder).toBe('Shared');
  });

  it('a folder object shadows an inherited one of the same name for ?name=', async () => {
    await sb.api('POST', 'addresses?folder=Branch%20Offices', {
      name: 'web-srv-03',
      ip_netmask: '10.50.0.99',
    });
    const own = await sb.api('GET', 'addresses?folder=Branch%20Offices&name=web-srv-03');
    expect(own.body).toMatchObject({ folder: 'Branch Offices', ip_netmask: '10.50.0.99' });
  });

  it('lists snippet objects with ?snippet=', async () => {
    const { body } = await sb.api('GET', 'addresses?snippet=Corporate%20Baseline');
    expect(body.data.map((a: { name: string; snippet: string }) => [a.name, a.snippet])).toEqual([
      ['corp-proxy', 'Corporate Baseline'],
    ]);
  });

  it('serves the read-only catalogues', async () => {
    const cats = await sb.api('GET', 'url-filtering-categories?folder=Shared&limit=500');
    expect(cats.body.data.map((c: { value: string }) => c.value)).toContain('gambling');
    const locations = await sb.api('GET', 'locations');
    expect(Array.isArray(locations.body)).toBe(true);
    expect(locations.body[0]).toHaveProperty('value');
    const cas = await sb.api('GET', 'trusted-certificate-authorities?folder=Shared');
    expect(cas.body.total).toBeGreaterThan(0);
    expect((await sb.api('POST', 'locations', {})).status).toBe(405);
  });
});
