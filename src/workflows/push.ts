import { waitForPush } from '../tools/push-wait.js';
import type { CallMeta } from '../tools/types.js';
import type { WorkflowDeps } from './kit.js';
import type { OpRunner } from './pipeline.js';

/** Pushes the folder through the pipeline (its gate passes: the workflow's approval covers it), then optionally waits. */
export async function pushAndWait(
  w: WorkflowDeps,
  run: OpRunner,
  folder: string,
  wait: boolean,
  meta: CallMeta,
) {
  const p = await run.call(
    run.pushKey(),
    { folders: [folder], description: 'indicators (prisma-access-mcp workflow)' },
    meta,
  );
  if (!p.ok) return { pushed: false, error: p.message };
  const jobId = p.result.job_id === undefined ? undefined : String(p.result.job_id);
  if (!wait || !jobId || !w.jobs) return { pushed: true, ...(jobId ? { job_id: jobId } : {}) };
  const outcome = await waitForPush(w.jobs, jobId, {
    ...(meta.signal ? { signal: meta.signal } : {}),
    ...(meta.progress ? { progress: meta.progress } : {}),
    intervalMs: 500,
  });
  return {
    pushed: true,
    job_id: jobId,
    state: outcome.state,
    status: outcome.status,
    ...(outcome.failures.length ? { failures: outcome.failures } : {}),
  };
}
