import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type TestSandbox } from './helpers.js';

/** Lookups by id and name go through an index: it must see every way the candidate changes. */
describe('sandbox object index: ids and names stay right through every change', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await start({ seedDemo: false });
  });
  afterAll(() => sb.close());

  const tag = (name: string, folder = 'Shared') =>
    sb.api('POST', `tags?folder=${encodeURIComponent(folder)}`, { name });

  it('frees a name on delete and on rename, and holds the new one', async () => {
    const a = await tag('ix-a');
    expect((await tag('ix-a')).status).toBe(409);
    expect((await sb.api('DELETE', `tags/${a.body.id}`)).status).toBe(200);
    expect((await sb.api('GET', `tags/${a.body.id}`)).status).toBe(404);
    const again = await tag('ix-a');
    expect(again.status).toBe(201);
    expect((await sb.api('PUT', `tags/${again.body.id}`, { name: 'ix-b' })).status).toBe(200);
    expect((await tag('ix-a')).status).toBe(201);
    expect((await tag('ix-b')).status).toBe(409);
    expect((await sb.api('GET', 'tags?folder=Shared&name=ix-b')).body.id).toBe(again.body.id);
  });

  it('keeps names per container: the same name in another folder is fine, the nearest wins', async () => {
    expect((await tag('ix-c', 'Mobile Users')).status).toBe(201);
    expect((await tag('ix-c')).status).toBe(201);
    const got = await sb.api('GET', 'tags?folder=Mobile%20Users&name=ix-c');
    expect(got.body.folder).toBe('Mobile Users');
  });

  it('sees a candidate replaced by a discard', async () => {
    const before = await tag('ix-discarded');
    expect((await sb.api('DELETE', 'config-versions/candidate')).status).toBe(200);
    expect((await sb.api('GET', `tags/${before.body.id}`)).status).toBe(404);
    expect((await tag('ix-discarded')).status).toBe(201);
  });

  it('sees objects a test adds to the state directly (after changed())', async () => {
    sb.state.objects('tag').push({ id: 'direct-1', folder: 'Shared', data: { name: 'ix-direct' } });
    sb.state.changed();
    expect((await sb.api('GET', 'tags/direct-1')).body.name).toBe('ix-direct');
    expect((await tag('ix-direct')).status).toBe(409);
  });

  it('pages present only the page, with the total of the folder', async () => {
    for (let i = 0; i < 5; i++) await tag(`ix-page-${i}`, 'Remote Networks');
    const page = await sb.api('GET', 'tags?folder=Remote%20Networks&limit=2&offset=3');
    expect(page.body).toMatchObject({ limit: 2, offset: 3 });
    expect(page.body.data).toHaveLength(2);
    const all = await sb.api('GET', 'tags?folder=Remote%20Networks&limit=200');
    expect(page.body.total).toBe(all.body.total);
    expect(page.body.data).toEqual(all.body.data.slice(3, 5));
  });
});
