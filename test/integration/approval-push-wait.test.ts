import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { accept, call, createAddress, type Harness, startHarness } from './approval-harness.js';
import { resultData } from './result-data.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('config_version_push with wait: true', () => {
  it('after approval, waits for the parent and child jobs with progress, and reports every job', async () => {
    h = await startHarness({ elicit: accept, sandbox: { pushDurationMs: 2500 } });
    await createAddress(h.client, 'ioc-wait');
    const progress: Progress[] = [];
    const res = await h.client.callTool(
      {
        name: 'config_version_push',
        arguments: { folders: ['Shared', 'Remote Networks'], confirm: true, wait: true },
      },
      undefined,
      { onprogress: (p) => progress.push(p), timeout: 60_000 },
    );
    const data = resultData(res) as Record<string, any>;
    expect(res.isError).toBeFalsy();
    const jobId = data.result.job_id as string;
    expect(data.wait).toMatchObject({ job_id: jobId, state: 'succeeded', status: 'FIN/OK', failures: [] });
    const jobs = data.wait.jobs as Array<Record<string, any>>;
    expect(jobs[0]).toMatchObject({ id: jobId, status: 'FIN', result: 'OK', type: 'CommitAndPush' });
    expect(jobs.slice(1)).toHaveLength(2);
    for (const child of jobs.slice(1))
      expect(child).toMatchObject({ parent_id: jobId, status: 'FIN', result: 'OK' });

    // Progress: status and percent, never going back, ending at 100.
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0]!.message).toMatch(new RegExp(`job ${jobId} CommitAndPush (PEND|ACT)/PEND \\d+%`));
    expect(progress.at(-1)).toMatchObject({ progress: 100, total: 100 });
    expect(progress.at(-1)!.message).toMatch(/child jobs: .*FIN\/OK/);
    const values = progress.map((p) => p.progress);
    expect(values).toEqual([...values].sort((a, b) => a - b));

    const job = h.audit().filter((l) => l.phase === 'job');
    expect(job).toEqual([
      expect.objectContaining({ job_id: jobId, job_status: 'succeeded: FIN/OK', outcome: 'ok' }),
    ]);
    const jobResource = await h.client.readResource({ uri: `scm://jobs/${jobId}` });
    const body = JSON.parse((jobResource.contents[0] as { text: string }).text);
    expect(body).toMatchObject({ done: true, ok: true, job: { id: jobId } });
    expect(body.children).toHaveLength(2);
  });

  it('a failing push: isError, the parent FAIL with its details, the audit job line says failed', async () => {
    h = await startHarness({ elicit: accept });
    const rule = await call(h.client, 'security_rule_create', {
      folder: 'Shared',
      position: 'pre',
      name: 'block-ioc',
      from: ['any'],
      to: ['any'],
      source: ['any'],
      destination: ['any'],
      application: ['any'],
      service: ['any'],
      action: 'deny',
    });
    expect(rule.res.isError).toBeFalsy();
    // Make the rule name an address that does not exist, as a change made elsewhere could: the commit fails.
    const stored = h.sandbox.state.find('securityRule', rule.data.result.id)!;
    stored.data.source = ['does-not-exist-anywhere'];
    const { res, data } = await call(h.client, 'config_version_push', {
      folders: ['Shared'],
      confirm: true,
      wait: true,
    });
    expect(res.isError).toBe(true);
    expect(data.wait.state).toBe('failed');
    expect(data.wait.failures).toEqual([data.result.job_id]);
    const failed = data.wait.jobs.find((j: { id: string }) => j.id === data.result.job_id);
    expect(failed).toMatchObject({ status: 'FIN', result: 'FAIL' });
    expect(JSON.stringify(failed.details)).toContain('does-not-exist-anywhere');
    // No job appears twice in what the person reads.
    expect(JSON.stringify(data.wait).split('does-not-exist-anywhere').length - 1).toBe(
      JSON.stringify(failed).split('does-not-exist-anywhere').length - 1,
    );
    expect(h.audit().find((l) => l.phase === 'job')).toMatchObject({
      outcome: 'error',
      job_status: 'failed: FIN/FAIL',
    });
  });

  it('without wait the push answers at once with the job id', async () => {
    h = await startHarness({ elicit: accept, sandbox: { pushDurationMs: 60_000 } });
    const { data } = await call(h.client, 'config_version_push', { folders: ['Shared'], confirm: true });
    expect(data.result.job_id).toMatch(/^\d+$/);
    expect(data.wait).toBeUndefined();
  });

  it('a declined push with wait sends nothing and waits for nothing', async () => {
    h = await startHarness({ elicit: async () => ({ action: 'decline' }) });
    const { res, data } = await call(h.client, 'config_version_push', {
      folders: ['Shared'],
      confirm: true,
      wait: true,
    });
    expect(res.isError).toBe(true);
    expect(data.status).toBe('declined');
    expect(h.sandbox.requests.filter((r) => r.path.includes('jobs') || r.path.endsWith(':push'))).toEqual([]);
  });

  it('when the client cancels, the push goes on and the audit log names the job to follow', async () => {
    h = await startHarness({ elicit: accept, sandbox: { pushDurationMs: 60_000 } });
    const abort = new AbortController();
    const progress: Progress[] = [];
    const pending = h.client.callTool(
      { name: 'config_version_push', arguments: { folders: ['Shared'], confirm: true, wait: true } },
      undefined,
      {
        signal: abort.signal,
        onprogress: (p) => {
          progress.push(p);
          abort.abort('user pressed stop');
        },
      },
    );
    await expect(pending).rejects.toThrow();
    // The server stops waiting on its next turn and writes the job line.
    const deadline = Date.now() + 10_000;
    while (!h.audit().some((l) => l.phase === 'job') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const job = h.audit().find((l) => l.phase === 'job');
    expect(job).toMatchObject({ outcome: 'error', job_status: expect.stringMatching(/^cancelled: /) });
    const jobId = job!.job_id as string;
    expect(jobId).toMatch(/^\d+$/);
    // The push itself goes on.
    const jobNow = await call(h.client, 'job_get', { id: jobId });
    expect(['PEND', 'ACT']).toContain(jobNow.data.result.status_str);
  });
});
