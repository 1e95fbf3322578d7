import type { ScmClient } from '../scm/http-client.js';
import { isJobDone, isJobOk, type JobView, readChildren, readJob } from '../tools/push-wait.js';

export interface JobWithChildren {
  job: JobView;
  children: JobView[];
  /** The parent and every child job are finished. */
  done: boolean;
  /** ... and all of them FIN/OK. */
  ok: boolean;
}

/** A job and its child jobs (a push's per-folder jobs appear once the parent finishes). */
export async function readJobWithChildren(
  client: Pick<ScmClient, 'request'>,
  id: string,
): Promise<JobWithChildren> {
  const job = await readJob(client, id);
  const children = isJobDone(job) ? await readChildren(client, id) : [];
  const all = [job, ...children];
  return { job, children, done: all.every(isJobDone), ok: all.every(isJobOk) };
}
