import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../log.js';
import { isJobDone, isJobOk, type JobReader, type JobView } from '../scm/jobs.js';
import { defaultSleep } from '../scm/transport.js';
import type { Sleep } from '../scm/types.js';
import { withoutControlArgs } from './build-request.js';
import type { ServedTool } from './served-tool.js';
import { jsonResult } from './to-tool-result.js';
import type { AuditSink, CallMeta } from './types.js';

export type PushState = 'succeeded' | 'failed' | 'timed_out' | 'cancelled' | 'unreadable';

export interface PushOutcome {
  job_id: string;
  state: PushState;
  /** `FIN/OK` etc. of the parent job, as last seen. */
  status: string;
  /** Every job seen (the parent, then its children), each once. */
  jobs: JobView[];
  /** Ids of the jobs in `jobs` that finished without OK (named, not repeated: a job appears once). */
  failures: string[];
  elapsed_ms: number;
  error?: string;
}

export interface WaitOptions {
  signal?: AbortSignal;
  progress?: CallMeta['progress'];
  /** Give up waiting after this long (default 30 minutes); the push itself goes on. */
  timeoutMs?: number;
  /** First poll interval (default 2 s), growing to maxIntervalMs (default 10 s). */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** Child jobs appear only after the parent finishes: how long to look for them (default 20 s). */
  childGraceMs?: number;
  now?: () => number;
  sleep?: Sleep;
}

export const PUSH_WAIT_TIMEOUT_MS = 30 * 60_000;
const MAX_POLL_ERRORS = 3;
const statusOf = (j: JobView) => `${j.status}/${j.result}`;
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** Overall progress 0..100: the parent job is the first half, its child jobs the second. */
function progressOf(parent: JobView, children: JobView[]): { value: number; message: string } {
  const pct = (j: JobView) => (isJobDone(j) ? 100 : Math.max(0, Math.min(100, j.percent ?? 0)));
  const head =
    `job ${parent.id} ${parent.type ?? ''} ${parent.status}/${parent.result} ${pct(parent)}%`.replace(
      /\s+/g,
      ' ',
    );
  if (!isJobDone(parent) || !children.length) return { value: pct(parent) / 2, message: head };
  const avg = children.reduce((sum, c) => sum + pct(c), 0) / children.length;
  const kids = children.map((c) => `${c.id} ${c.status}/${c.result} ${pct(c)}%`).join(', ');
  return { value: 50 + avg / 2, message: `${head}; child jobs: ${kids}` };
}

/**
 * Polls a push's parent job, then its child jobs, until all are done, the timeout passes or the caller
 * cancels (the push itself goes on regardless). Progress goes out as status and percent.
 */
export async function waitForPush(
  jobs: JobReader,
  jobId: string,
  opts: WaitOptions = {},
): Promise<PushOutcome> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? defaultSleep;
  const timeoutMs = opts.timeoutMs ?? PUSH_WAIT_TIMEOUT_MS;
  const maxInterval = opts.maxIntervalMs ?? 10_000;
  let interval = opts.intervalMs ?? 2000;
  const start = now();
  let parent: JobView | undefined;
  let children: JobView[] = [];
  let parentDoneAt: number | undefined;
  let errors = 0;
  let lastProgress = -1;
  let lastMessage = '';

  const outcome = (state: PushState, error?: string): PushOutcome => {
    const jobs = parent ? [parent, ...children] : children;
    return {
      job_id: jobId,
      state,
      status: parent ? statusOf(parent) : 'unknown',
      jobs,
      failures: jobs.filter((j) => isJobDone(j) && !isJobOk(j)).map((j) => j.id),
      elapsed_ms: now() - start,
      ...(error ? { error } : {}),
    };
  };

  for (;;) {
    if (opts.signal?.aborted) return outcome('cancelled');
    try {
      parent = await jobs.job(jobId, opts.signal);
      if (isJobDone(parent)) {
        children = await jobs.children(jobId, opts.signal);
        parentDoneAt ??= now();
      }
      errors = 0;
    } catch (err) {
      if (opts.signal?.aborted) return outcome('cancelled');
      if (++errors >= MAX_POLL_ERRORS)
        return outcome('unreadable', err instanceof Error ? err.message : String(err));
    }

    if (parent) {
      const p = progressOf(parent, children);
      const done =
        isJobDone(parent) && (!isJobOk(parent) || (children.length > 0 && children.every(isJobDone)));
      const value = done ? 100 : Math.max(lastProgress, p.value);
      if (opts.progress && (value > lastProgress || p.message !== lastMessage)) {
        await opts.progress(value, 100, p.message).catch(() => {});
        lastProgress = value;
        lastMessage = p.message;
      }
      if (isJobDone(parent) && !isJobOk(parent)) return outcome('failed');
      if (done) return outcome(children.every(isJobOk) ? 'succeeded' : 'failed');
      // A push with nothing to send to may have no child jobs at all.
      if (
        parentDoneAt !== undefined &&
        !children.length &&
        now() - parentDoneAt >= (opts.childGraceMs ?? 20_000)
      )
        return outcome('succeeded');
    }

    if (now() - start >= timeoutMs) return outcome('timed_out');
    try {
      await sleep(Math.min(interval, Math.max(1, timeoutMs - (now() - start))), opts.signal);
    } catch {
      return outcome('cancelled');
    }
    interval = Math.min(maxInterval, Math.round(interval * 1.5));
  }
}

export interface PushWaitOptions {
  jobs: JobReader;
  /** The jobs of another tenant, for a push that names one (tsg_id). */
  jobsFor?: (tsgId: string) => JobReader;
  audit?: AuditSink;
  log?: Pick<Logger, 'warn' | 'info'>;
  wait?: Omit<WaitOptions, 'signal' | 'progress'>;
}

const HINTS: Record<PushState, string> = {
  succeeded: 'The push is done: the parent job and every child job finished OK.',
  failed:
    'The push failed: failures names the jobs that failed; their entries in jobs (summary, details) say why. Fix the cause, then push again.',
  timed_out: 'Stopped waiting, but the push goes on: follow job_id with job_get (or read scm://jobs/{id}).',
  cancelled:
    'Stopped waiting because the call was cancelled; the push goes on: follow job_id with job_get (or scm://jobs/{id}).',
  unreadable:
    'The jobs could not be read; the push may still be going on: follow job_id with job_get (or scm://jobs/{id}).',
};

/**
 * config_version_push with `wait: true`: the push goes through the one pipeline (and its approval), then this
 * follows its jobs. Without `wait`, or when nothing was pushed, the result is the pipeline's own.
 */
export function withPushWait(tool: ServedTool, opts: PushWaitOptions): ServedTool {
  return {
    ...tool,
    run: async (rawArgs, meta) => {
      const args = rawArgs && typeof rawArgs === 'object' ? (rawArgs as Record<string, unknown>) : {};
      if (args.wait !== true) return tool.run(rawArgs, meta);
      const callId = meta.callId ?? randomUUID();
      const res = await tool.run(rawArgs, { ...meta, callId });
      const structured = res.structuredContent as { result?: { job_id?: unknown } } | undefined;
      const jobId = str(structured?.result?.job_id);
      if (res.isError || jobId === undefined) return res;

      const tsgId = str(args.tsg_id);
      const jobs = tsgId && opts.jobsFor ? opts.jobsFor(tsgId) : opts.jobs;
      const outcome = await waitForPush(jobs, jobId, {
        ...opts.wait,
        ...(meta.signal ? { signal: meta.signal } : {}),
        ...(meta.progress ? { progress: meta.progress } : {}),
      });
      const follow = `job_get with id ${jobId}, or the resource scm://jobs/${jobId}`;
      if (outcome.state === 'cancelled' || outcome.state === 'timed_out' || outcome.state === 'unreadable')
        opts.log?.warn(
          `push job ${jobId}: ${outcome.state} while waiting; the push goes on. Follow it with ${follow}.`,
        );
      await opts.audit?.write({
        phase: 'job',
        callId,
        tool: tool.definition.name,
        key: tool.operation?.key ?? tool.definition.name,
        args: withoutControlArgs(args),
        clientName: meta.clientName,
        ...(tsgId ? { tsgId } : {}),
        jobId,
        jobStatus: `${outcome.state}: ${outcome.status}`,
        outcome: outcome.state === 'succeeded' ? 'ok' : 'error',
        ...(outcome.error ? { error: outcome.error } : {}),
      });
      const merged: Record<string, unknown> = {
        ...(res.structuredContent ?? {}),
        wait: { ...outcome, follow, hint: HINTS[outcome.state].replace('{id}', jobId) },
      };
      return jsonResult(merged, outcome.state !== 'succeeded') as CallToolResult;
    },
  };
}
