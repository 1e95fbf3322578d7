import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rule, start, type TestSandbox } from './helpers.js';

const F = 'Mobile%20Users';

describe('sandbox rules: positions and move', () => {
  let sb: TestSandbox;
  const ids: Record<string, string> = {};
  const names = async (position: 'pre' | 'post', folder = F) =>
    (await sb.api('GET', `security-rules?folder=${folder}&position=${position}`)).body.data.map(
      (r: { name: string }) => r.name,
    );
  const own = async (position: 'pre' | 'post') =>
    (await sb.api('GET', `security-rules?folder=${F}&position=${position}`)).body.data
      .filter((r: { folder: string }) => r.folder === 'Mobile Users')
      .map((r: { name: string }) => r.name);
  const move = (name: string, body: Record<string, unknown>) =>
    sb.api('POST', `security-rules/${ids[name]}:move?folder=${F}`, body);

  beforeAll(async () => {
    sb = await start();
    for (const [name, position] of [
      ['a', 'pre'],
      ['b', 'pre'],
      ['c', 'pre'],
      ['d', 'pre'],
      ['z', 'post'],
    ] as const) {
      const res = await sb.api('POST', `security-rules?folder=${F}&position=${position}`, rule(name));
      expect(res.status).toBe(201);
      ids[name] = res.body.id;
    }
  });
  afterAll(() => sb.close());

  it('keeps pre and post rulebases apart, in creation order, and needs position', async () => {
    expect(await own('pre')).toEqual(['a', 'b', 'c', 'd']);
    expect(await own('post')).toEqual(['z']);
    expect((await sb.api('GET', `security-rules?folder=${F}`)).status).toBe(400);
    expect((await sb.api('GET', `security-rules?folder=${F}&position=middle`)).status).toBe(400);
    expect((await sb.api('POST', `security-rules?folder=${F}`, rule('no-position'))).status).toBe(400);
  });

  it('evaluates Shared pre rules before the folder, and Shared post rules after it', async () => {
    const pre = await names('pre');
    const post = await names('post');
    expect(pre.indexOf('Block-Threat-Intel')).toBeLessThan(pre.indexOf('a'));
    expect(post.indexOf('z')).toBeLessThan(post.indexOf('Default-Deny-Log'));
  });

  it('moves to top, bottom, before and after, and list shows the new order', async () => {
    expect((await move('d', { destination: 'top', rulebase: 'pre' })).status).toBe(200);
    expect(await own('pre')).toEqual(['d', 'a', 'b', 'c']);
    await move('d', { destination: 'bottom', rulebase: 'pre' });
    expect(await own('pre')).toEqual(['a', 'b', 'c', 'd']);
    await move('a', { destination: 'after', rulebase: 'pre', destination_rule: ids.c });
    expect(await own('pre')).toEqual(['b', 'c', 'a', 'd']);
    await move('d', { destination: 'before', rulebase: 'pre', destination_rule: ids.b });
    expect(await own('pre')).toEqual(['d', 'b', 'c', 'a']);
  });

  it('moves a rule between rulebases', async () => {
    await move('a', { destination: 'top', rulebase: 'post' });
    expect(await own('pre')).toEqual(['d', 'b', 'c']);
    expect(await own('post')).toEqual(['a', 'z']);
  });

  it('refuses bad moves', async () => {
    // rulebase is mandatory; destination_rule only (and always) with before/after
    expect((await move('b', { destination: 'top' })).status).toBe(400);
    expect((await move('b', { destination: 'before', rulebase: 'pre' })).status).toBe(400);
    expect((await move('b', { destination: 'top', rulebase: 'pre', destination_rule: ids.c })).status).toBe(
      400,
    );
    expect((await move('b', { destination: 'sideways', rulebase: 'pre' })).status).toBe(400);
    // a refused move into the other rulebase leaves the rule where it was
    expect((await move('b', { destination: 'before', rulebase: 'post' })).status).toBe(400);
    // the anchor must be in the same folder and rulebase
    expect((await move('b', { destination: 'after', rulebase: 'pre', destination_rule: ids.z })).status).toBe(
      400,
    );
    const shared = sb.idOf('securityRule', 'Allow-DNS');
    expect(
      (await move('b', { destination: 'after', rulebase: 'pre', destination_rule: shared })).status,
    ).toBe(400);
    // the rule must be in the folder named
    const wrongFolder = await sb.api('POST', `security-rules/${ids.b}:move?folder=Shared`, {
      destination: 'top',
      rulebase: 'pre',
    });
    expect(wrongFolder.status).toBe(404);
    expect(await own('pre')).toEqual(['d', 'b', 'c']);
  });

  it('gets, updates and deletes a rule by id without position', async () => {
    const got = await sb.api('GET', `security-rules/${ids.c}`);
    expect(got.body).toMatchObject({ name: 'c', folder: 'Mobile Users', action: 'allow' });
    const put = await sb.api('PUT', `security-rules/${ids.c}`, rule('c', { action: 'deny', disabled: true }));
    expect(put.body).toMatchObject({ action: 'deny', disabled: true });
    expect(await own('pre')).toEqual(['d', 'b', 'c']);
    expect((await sb.api('DELETE', `security-rules/${ids.c}`)).status).toBe(200);
    expect(await own('pre')).toEqual(['d', 'b']);
  });
});
