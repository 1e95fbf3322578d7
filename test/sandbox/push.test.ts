import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, rule, sleep, start, type TestSandbox } from './helpers.js';

interface Job {
  id: string;
  parent_id: string;
  status_str: string;
  result_str: string;
  type_str: string;
  percent: string;
  details: string;
  start_ts: string;
  end_ts?: string;
  uname: string;
}

describe('sandbox candidate, push, jobs and config versions', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await start({ pushDurationMs: 400 });
  });
  afterAll(() => sb.close());

  const job = async (id: string): Promise<Job> => {
    const res = await sb.api('GET', `jobs/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    return res.body.data[0];
  };
  const childrenOf = async (id: string): Promise<Job[]> =>
    (await sb.api('GET', 'jobs?limit=200')).body.data.filter((j: Job) => j.parent_id === id);
  const waitFor = async (id: string): Promise<Job> => {
    for (let i = 0; i < 100; i++) {
      const j = await job(id);
      if (j.status_str === 'FIN') return j;
      await sleep(25);
    }
    throw new Error(`job ${id} did not finish`);
  };
  const push = (body: unknown): Promise<Answer> => sb.api('POST', 'config-versions/candidate:push', body);

  it('starts with nothing pending; a change makes the candidate differ from running', async () => {
    expect(sb.state.pendingChanges()).toEqual({ added: [], modified: [], deleted: [] });
    await sb.api('POST', 'addresses?folder=Mobile%20Users', { name: 'mu-new', ip_netmask: '172.16.5.5' });
    expect(sb.state.pendingChanges().added.map((a) => a.name)).toEqual(['mu-new']);
    expect(sb.state.objects('address', 'running').some((o) => o.data.name === 'mu-new')).toBe(false);
  });

  it('pushes: 200 with the job id; the parent goes PEND/ACT to FIN OK; then child jobs appear and finish', async () => {
    const versionsBefore = (await sb.api('GET', 'config-versions')).body.total;
    const res = await push({ folders: ['Mobile Users'], description: 'add mu-new' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, job_id: expect.stringMatching(/^\d+$/) });
    const id = res.body.job_id;

    const first = await job(id);
    expect(['PEND', 'ACT']).toContain(first.status_str);
    expect(first).toMatchObject({
      type_str: 'CommitAndPush',
      result_str: 'PEND',
      parent_id: '0',
      uname: sb.clientId,
    });
    expect(await childrenOf(id)).toEqual([]);

    const done = await waitFor(id);
    expect(done).toMatchObject({ status_str: 'FIN', result_str: 'OK', percent: '100' });
    expect(done.end_ts).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(JSON.parse(done.details)).toMatchObject({ errors: [] });

    const children = await childrenOf(id);
    expect(children.map((c) => c.type_str)).toEqual(['CommitAll']);
    for (const c of children) expect((await waitFor(c.id)).result_str).toBe('OK');

    const versions = (await sb.api('GET', 'config-versions')).body;
    expect(versions.total).toBe(versionsBefore + 1);
    expect(versions.data[0]).toMatchObject({ description: 'add mu-new', scope: 'Mobile Users' });
    const running = (await sb.api('GET', 'config-versions/running')).body;
    expect(running.find((r: { device: string }) => r.device === 'Mobile Users').version).toBe(
      Number(versions.data[0].version),
    );
    expect(sb.state.objects('address', 'running').some((o) => o.data.name === 'mu-new')).toBe(true);
    expect(sb.state.pendingChanges().added).toEqual([]);
  });

  it('pushes only the pushed folders (and what they inherit)', async () => {
    await sb.api('POST', 'tags?folder=Remote%20Networks', { name: 'rn-only' });
    await sb.api('POST', 'tags?folder=Service%20Connections', { name: 'sc-only' });
    const res = await push({ folders: ['Remote Networks'] });
    await waitFor(res.body.job_id);
    const pending = sb.state.pendingChanges().added.map((a) => a.name);
    expect(pending).toEqual(['sc-only']);
  });

  it('fails a push whose candidate references a missing object, with details, and adds no version', async () => {
    const versionsBefore = (await sb.api('GET', 'config-versions')).body.total;
    const bad = await sb.api(
      'POST',
      'security-rules?folder=Mobile%20Users&position=pre',
      rule('dangling', { destination: ['no-such-group'], service: ['no-such-service'] }),
    );
    expect(bad.status).toBe(201);
    const res = await push({ folders: ['Mobile Users'] });
    const done = await waitFor(res.body.job_id);
    expect(done).toMatchObject({ status_str: 'FIN', result_str: 'FAIL' });
    const details = JSON.parse(done.details);
    expect(details.errors.join('\n')).toMatch(
      /dangling -> destination: 'no-such-group' is not a valid reference/,
    );
    expect(details.errors.join('\n')).toMatch(/no-such-service/);
    await sleep(300);
    expect(await childrenOf(res.body.job_id)).toEqual([]);
    expect((await sb.api('GET', 'config-versions')).body.total).toBe(versionsBefore);
    expect(sb.state.objects('securityRule', 'running').some((o) => o.data.name === 'dangling')).toBe(false);
  });

  it('rollbackCandidate discards every pending change', async () => {
    expect(sb.state.pendingChanges().added.length).toBeGreaterThan(0);
    const res = await sb.api('DELETE', 'config-versions/candidate');
    expect(res.status).toBe(200);
    expect(sb.state.pendingChanges()).toEqual({ added: [], modified: [], deleted: [] });
    expect(
      (await sb.api('GET', 'security-rules?folder=Mobile%20Users&position=pre&name=dangling')).status,
    ).toBe(404);
  });

  it('load replaces the candidate with a saved version', async () => {
    const rulesNow = (await sb.api('GET', 'security-rules?folder=Branch%20Offices&position=pre')).body.total;
    const res = await sb.api('POST', 'config-versions:load', { version: 1 });
    expect(res.status).toBe(200);
    // Version 1 predates the branch rulebase.
    const after = (await sb.api('GET', 'security-rules?folder=Branch%20Offices&position=pre')).body;
    expect(after.total).toBeLessThan(rulesNow);
    expect(after.data.every((r: { folder: string }) => r.folder === 'Shared')).toBe(true);
    expect(sb.state.pendingChanges().deleted.length).toBeGreaterThan(0);
    expect((await sb.api('POST', 'config-versions:load', { version: 999 })).status).toBe(404);
    await sb.api('DELETE', 'config-versions/candidate');
  });

  it('gets a config version by number', async () => {
    const v = await sb.api('GET', 'config-versions/1');
    expect(v.body).toMatchObject({ id: 1, version: '1', description: 'Initial configuration' });
    expect((await sb.api('GET', 'config-versions/12345')).status).toBe(404);
  });

  it('validates the push body as the live API: folders (not folder), existing folders only', async () => {
    const wrongKey = await push({ folder: ['Mobile Users'] });
    expect(wrongKey.status).toBe(400);
    expect(wrongKey.body._errors[0].details.message.join()).toMatch(/folder: is not allowed/);
    expect((await push({ folders: ['No Such Folder'] })).status).toBe(400);
    expect((await push({ folders: [] })).status).toBe(400);
    // Custom folders may be pushed, and admin is accepted.
    const custom = await push({ folders: ['Branch Offices'], admin: [sb.clientId] });
    expect(custom.status).toBe(200);
    await waitFor(custom.body.job_id);
  });

  it('lists jobs newest first with numeric-string ids and 404s an unknown job', async () => {
    const { body } = await sb.api('GET', 'jobs');
    expect(body.total).toBe(body.data.length);
    const ids = body.data.map((j: Job) => Number(j.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect((await sb.api('GET', 'jobs/999999')).status).toBe(404);
  });
});
