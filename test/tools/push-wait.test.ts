import { describe, expect, it } from 'vitest';
import { ScmNetworkError } from '../../src/scm/errors.js';
import type { ScmRequest, ScmResponse } from '../../src/scm/http-client.js';
import { JobReader, toJobView } from '../../src/scm/jobs.js';
import { type PushOutcome, waitForPush, withPushWait } from '../../src/tools/push-wait.js';
import type { ServedTool } from '../../src/tools/served-tool.js';
import type { AuditRecord } from '../../src/tools/types.js';

type Job = Record<string, string>;
const job = (id: string, status: string, result: string, percent: string, extra: Job = {}): Job => ({
  id,
  parent_id: '0',
  type_str: 'CommitAndPush',
  status_str: status,
  result_str: result,
  percent,
  details: '{"errors":[],"warnings":[]}',
  ...extra,
});

/** A tenant whose jobs follow a script: one entry per poll of the parent. */
function scripted(script: Array<{ parent: Job; children?: Job[] }>) {
  let poll = 0;
  let current: { parent: Job; children?: Job[] } | undefined;
  const sent: ScmRequest[] = [];
  const client = {
    request: async (req: ScmRequest): Promise<ScmResponse> => {
      sent.push(req);
      if (req.path === '/sse/config/v1/jobs/{id}') {
        current = script[Math.min(poll++, script.length - 1)]!;
        return { status: 200, headers: {}, body: { data: [current.parent] } };
      }
      const step = current!;
      const list = [...(step.children ?? []), job('7', 'FIN', 'OK', '100', { parent_id: '0' })];
      return { status: 200, headers: {}, body: { data: list, total: list.length, limit: 200, offset: 0 } };
    },
  };
  return { client, sent };
}

// The job operations as the IR gives them (role job-get, job-list).
const ROUTES = {
  get: { path: '/sse/config/v1/jobs/{id}', key: 'job.get' },
  list: { path: '/sse/config/v1/jobs', key: 'job.list' },
};
const reader = (client: { request: (req: ScmRequest) => Promise<ScmResponse> }) =>
  new JobReader(client, ROUTES);

/** A clock that only moves when the waiter sleeps. */
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

describe('waitForPush', () => {
  it('follows the parent, then its child jobs, with rising progress, until all are FIN/OK', async () => {
    const child = (status: string, result: string, pct: string) =>
      job('11', status, result, pct, { parent_id: '10', type_str: 'CommitAll' });
    const { client } = scripted([
      { parent: job('10', 'PEND', 'PEND', '0') },
      { parent: job('10', 'ACT', 'PEND', '60') },
      { parent: job('10', 'FIN', 'OK', '100'), children: [child('ACT', 'PEND', '50')] },
      { parent: job('10', 'FIN', 'OK', '100'), children: [child('FIN', 'OK', '100')] },
    ]);
    const t = fakeTime();
    const progress: Array<[number, string]> = [];
    const out = await waitForPush(reader(client), '10', {
      ...t,
      progress: async (p, _total, m) => {
        progress.push([p, m]);
      },
    });
    expect(out).toMatchObject({ job_id: '10', state: 'succeeded', status: 'FIN/OK', failures: [] });
    expect(out.jobs.map((j) => `${j.id}:${j.status}/${j.result}`)).toEqual(['10:FIN/OK', '11:FIN/OK']);
    expect(progress.map(([p]) => p)).toEqual([0, 30, 75, 100]);
    expect(progress[1]![1]).toBe('job 10 CommitAndPush ACT/PEND 60%');
    expect(progress[2]![1]).toContain('child jobs: 11 ACT/PEND 50%');
    // Poll intervals grow from 2 s towards 10 s.
    expect(t.sleeps).toEqual([2000, 3000, 4500]);
  });

  it('a failed parent ends the wait at once with its details parsed', async () => {
    const { client } = scripted([
      {
        parent: job('10', 'FIN', 'FAIL', '100', {
          summary: 'Validation Error',
          details: '{"errors":["rule x: address y not found"]}',
        }),
      },
    ]);
    const out = await waitForPush(reader(client), '10', fakeTime());
    expect(out.state).toBe('failed');
    expect(out.failures).toEqual(['10']);
    expect(out.jobs).toEqual([
      expect.objectContaining({
        id: '10',
        summary: 'Validation Error',
        details: { errors: ['rule x: address y not found'] },
      }),
    ]);
  });

  it('a failed child job fails the push', async () => {
    const { client } = scripted([
      {
        parent: job('10', 'FIN', 'OK', '100'),
        children: [job('11', 'PUSHFAIL', 'FAIL', '100', { parent_id: '10' })],
      },
    ]);
    const out = await waitForPush(reader(client), '10', fakeTime());
    expect(out).toMatchObject({ state: 'failed', status: 'FIN/OK' });
    expect(out.failures).toEqual(['11']);
    // Each job is listed once, whole, in jobs; failures only names them.
    expect(out.jobs.map((j) => j.id)).toEqual(['10', '11']);
    expect(JSON.stringify(out).match(/PUSHFAIL/g)).toHaveLength(1);
  });

  it('a finished parent with no child jobs is done after a grace period', async () => {
    const { client } = scripted([{ parent: job('10', 'FIN', 'OK', '100') }]);
    const t = fakeTime();
    const out = await waitForPush(reader(client), '10', { ...t, childGraceMs: 5000 });
    expect(out.state).toBe('succeeded');
    expect(out.jobs).toHaveLength(1);
    expect(t.now()).toBeGreaterThanOrEqual(5000);
  });

  it('gives up at the timeout, naming the job (the push goes on)', async () => {
    const { client } = scripted([{ parent: job('10', 'ACT', 'PEND', '5') }]);
    const t = fakeTime();
    const out = await waitForPush(reader(client), '10', { ...t, timeoutMs: 30 * 60_000 });
    expect(out).toMatchObject({ state: 'timed_out', status: 'ACT/PEND', job_id: '10' });
    expect(t.now()).toBe(30 * 60_000);
  });

  it('stops when cancelled', async () => {
    const { client } = scripted([{ parent: job('10', 'ACT', 'PEND', '5') }]);
    const abort = new AbortController();
    const t = fakeTime();
    const out = await waitForPush(reader(client), '10', {
      ...t,
      signal: abort.signal,
      progress: async () => abort.abort(),
    });
    expect(out.state).toBe('cancelled');
  });

  it('after repeated read failures reports the job as unreadable', async () => {
    const client = {
      request: async (): Promise<ScmResponse> => {
        throw new ScmNetworkError({ operation: 'job.get', attempts: 3, cause: new Error('ECONNRESET') });
      },
    };
    const out: PushOutcome = await waitForPush(reader(client), '10', fakeTime());
    expect(out).toMatchObject({
      state: 'unreadable',
      status: 'unknown',
      error: expect.stringContaining('ECONNRESET'),
    });
  });

  it('toJobView keeps what matters and parses details', () => {
    expect(
      toJobView({
        id: '1',
        status_str: 'FIN',
        result_str: 'OK',
        percent: '100',
        details: 'not json',
        summary: '',
      }),
    ).toEqual({
      id: '1',
      status: 'FIN',
      result: 'OK',
      percent: 100,
      details: 'not json',
    });
  });
});

describe('withPushWait', () => {
  const pushTool = (result: Record<string, unknown>, isError = false): ServedTool => ({
    definition: { name: 'config_version_push', inputSchema: { type: 'object' } },
    safety: 'deploy',
    toolset: 'config',
    run: async () => ({ content: [], structuredContent: result, ...(isError ? { isError: true } : {}) }),
  });

  it('passes through without wait, on refusal, and on errors', async () => {
    const { client, sent } = scripted([{ parent: job('1', 'FIN', 'OK', '100') }]);
    const preview = { status: 'confirmation_required' };
    expect(
      (
        await withPushWait(pushTool(preview), { jobs: reader(client) }).run(
          { folders: ['Shared'], wait: true },
          {},
        )
      ).structuredContent,
    ).toBe(preview);
    const ok = { result: { job_id: '1' } };
    expect(
      (await withPushWait(pushTool(ok), { jobs: reader(client) }).run({ folders: ['Shared'] }, {}))
        .structuredContent,
    ).toBe(ok);
    expect(sent).toEqual([]);
  });

  it("follows a push on another tenant (tsg_id) on that tenant's jobs", async () => {
    const { client: own, sent: ownSent } = scripted([{ parent: job('5', 'FIN', 'OK', '100') }]);
    const { client: other, sent: otherSent } = scripted([{ parent: job('5', 'FIN', 'OK', '100') }]);
    const asked: string[] = [];
    const audit: AuditRecord[] = [];
    const tool = withPushWait(pushTool({ result: { job_id: '5' } }), {
      jobs: reader(own),
      jobsFor: (tsg) => {
        asked.push(tsg);
        return reader(other);
      },
      audit: { write: (r) => void audit.push(r) },
      wait: fakeTime(),
    });
    const res = await tool.run({ folders: ['Shared'], confirm: true, wait: true, tsg_id: '1234567891' }, {});
    expect((res.structuredContent as any).wait.state).toBe('succeeded');
    expect(asked).toEqual(['1234567891']);
    expect(ownSent).toEqual([]);
    expect(otherSent.length).toBeGreaterThan(0);
    expect(audit[0]).toMatchObject({ phase: 'job', tsgId: '1234567891' });
  });

  it('waits after a push, writes a job line to the audit log with the same call id', async () => {
    const { client } = scripted([
      { parent: job('5', 'FIN', 'OK', '100'), children: [job('6', 'FIN', 'OK', '100', { parent_id: '5' })] },
    ]);
    const audit: AuditRecord[] = [];
    const tool = withPushWait(pushTool({ environment: 'sandbox', result: { job_id: '5' } }), {
      jobs: reader(client),
      audit: { write: (r) => void audit.push(r) },
      wait: fakeTime(),
    });
    const res = await tool.run(
      { folders: ['Shared'], confirm: true, wait: true },
      { clientName: 'c', callId: 'call-1' },
    );
    expect(res.isError).toBeFalsy();
    expect(res.structuredContent).toMatchObject({
      environment: 'sandbox',
      wait: { state: 'succeeded', follow: expect.stringContaining('scm://jobs/5') },
    });
    expect(audit).toEqual([
      expect.objectContaining({
        phase: 'job',
        callId: 'call-1',
        jobId: '5',
        jobStatus: 'succeeded: FIN/OK',
        outcome: 'ok',
        args: { folders: ['Shared'] },
      }),
    ]);
  });
});
