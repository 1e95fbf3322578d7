import { danglingReferences } from './references.js';
import type { SandboxState, StateData } from './state.js';
import { type ConfigData, cloneConfig, mergeForPush } from './store.js';

/** A job as `GET /jobs` shows it: every field a string, `details` a JSON string. */
export interface JobRecord {
  id: string;
  parent_id: string;
  type_str: string;
  type_i: string;
  job_type: string;
  status_str: 'PEND' | 'ACT' | 'FIN';
  status_i: string;
  job_status: string;
  result_str: 'PEND' | 'OK' | 'FAIL';
  result_i: string;
  job_result: string;
  percent: string;
  summary: string;
  description: string;
  details: string;
  uname: string;
  owner: string;
  insert_ts: string;
  start_ts: string;
  end_ts?: string;
  last_update: string;
  opaque_int: string;
  opaque_str: string;
  session_id: string;
}

/** A push in flight: its snapshot of the candidate and its timeline. */
export interface PushRecord {
  jobId: string;
  childIds: string[];
  folders: string[];
  description: string;
  startMs: number;
  durationMs: number;
  /** The candidate when the push was asked for: later edits are not part of it. */
  config: ConfigData;
  /** Validation errors found at push time: the parent ends FAIL with them. */
  errors: string[];
  phase: 'parent' | 'children' | 'done';
}

const TYPE_I: Record<string, string> = { CommitAndPush: '53', CommitAll: '13' };
const STATUS_I = { PEND: '0', ACT: '1', FIN: '2' } as const;
const RESULT_I = { PEND: '0', OK: '2', FAIL: '3' } as const;

/** SCM's job timestamps: 'YYYY-MM-DD HH:MM:SS' in UTC. */
export const jobTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

export function newJob(
  data: StateData,
  opts: { type: string; parent?: string; uname: string; description: string; at: number },
): JobRecord {
  const id = String(data.nextJobId++);
  const ts = jobTime(opts.at);
  const type_i = TYPE_I[opts.type] ?? '0';
  const job: JobRecord = {
    id,
    parent_id: opts.parent ?? '0',
    type_str: opts.type,
    type_i,
    job_type: type_i,
    status_str: 'PEND',
    status_i: STATUS_I.PEND,
    job_status: STATUS_I.PEND,
    result_str: 'PEND',
    result_i: RESULT_I.PEND,
    job_result: RESULT_I.PEND,
    percent: '0',
    summary: '',
    description: opts.description,
    details: JSON.stringify({ info: [], errors: [], warnings: [], description: opts.description }),
    uname: opts.uname,
    owner: 'cfgserv',
    insert_ts: ts,
    start_ts: ts,
    last_update: ts,
    opaque_int: '0',
    opaque_str: '',
    session_id: '',
  };
  data.jobs.push(job);
  return job;
}

function setProgress(job: JobRecord, elapsed: number, duration: number, now: number): boolean {
  const before = `${job.status_str}${job.percent}`;
  const status = elapsed < duration * 0.1 ? 'PEND' : 'ACT';
  job.status_str = status;
  job.status_i = job.job_status = STATUS_I[status];
  job.percent = status === 'PEND' ? '0' : String(Math.min(99, Math.floor((elapsed / duration) * 100)));
  if (before === `${job.status_str}${job.percent}`) return false;
  job.last_update = jobTime(now);
  return true;
}

export function finish(
  job: JobRecord,
  result: 'OK' | 'FAIL',
  at: number,
  details: object,
  summary: string,
): void {
  job.status_str = 'FIN';
  job.status_i = job.job_status = STATUS_I.FIN;
  job.result_str = result;
  job.result_i = job.job_result = RESULT_I[result];
  job.percent = '100';
  job.end_ts = job.last_update = jobTime(at);
  job.summary = summary;
  job.details = JSON.stringify(details);
}

/** Containers a push of `folders` commits: them, their ancestors, their snippets, tenant-wide objects. */
export function pushScope(state: SandboxState, folders: string[]): Set<string> {
  const scope = new Set<string>(['']);
  for (const f of folders) {
    for (const c of state.chain(f)) {
      scope.add(c);
      for (const s of state.folder(c)?.snippets ?? []) scope.add(s);
    }
  }
  return scope;
}

/** Queues a push of the candidate; the parent job then goes PEND, ACT, FIN over `durationMs`. */
export function startPush(
  state: SandboxState,
  opts: { folders: string[]; description: string; uname: string; now: number; durationMs: number },
): JobRecord {
  const config = cloneConfig(state.data.candidate);
  const errors = danglingReferences(config, state.chain, pushScope(state, opts.folders));
  const job = newJob(state.data, {
    type: 'CommitAndPush',
    uname: opts.uname,
    description: opts.description,
    at: opts.now,
  });
  state.data.pushes.push({
    jobId: job.id,
    childIds: [],
    folders: opts.folders,
    description: opts.description,
    startMs: opts.now,
    durationMs: Math.max(1, opts.durationMs),
    config,
    errors,
    phase: 'parent',
  });
  return job;
}

function commit(state: SandboxState, push: PushRecord, parent: JobRecord, at: number): void {
  const d = state.data;
  d.running = mergeForPush(d.running, push.config, pushScope(state, push.folders));
  const version = Math.max(0, ...d.versions.map((v) => v.version)) + 1;
  const date = jobTime(at);
  d.versions.push({
    version,
    date,
    created: Math.floor(at / 1000),
    admin: parent.uname,
    description: push.description,
    scope: push.folders.join(','),
    config: cloneConfig(d.running),
  });
  for (const f of push.folders) d.runningVersions[f] = { version, date };
  // Child jobs exist only once the parent has finished: one push per target folder.
  for (const f of push.folders) {
    const child = newJob(state.data, {
      type: 'CommitAll',
      parent: parent.id,
      uname: parent.uname,
      description: f,
      at,
    });
    push.childIds.push(child.id);
  }
}

/** Moves every push along its timeline; true when anything changed. Idempotent, so call it freely. */
export function advanceJobs(state: SandboxState, now: number): boolean {
  // Called on every request: with no push in flight there is nothing to advance.
  if (state.data.pushes.every((p) => p.phase === 'done')) return false;
  let changed = false;
  const jobs = new Map(state.data.jobs.map((j) => [j.id, j]));
  for (const push of state.data.pushes) {
    if (push.phase === 'done') continue;
    const parent = jobs.get(push.jobId);
    if (!parent) {
      push.phase = 'done';
      continue;
    }
    const end = push.startMs + push.durationMs;
    if (push.phase === 'parent') {
      if (now < end) {
        changed = setProgress(parent, now - push.startMs, push.durationMs, now) || changed;
        continue;
      }
      changed = true;
      if (push.errors.length) {
        finish(
          parent,
          'FAIL',
          end,
          { info: [], errors: push.errors, warnings: [], description: push.description },
          'Validation Error',
        );
        push.phase = 'done';
        continue;
      }
      finish(
        parent,
        'OK',
        end,
        {
          info: ['Configuration committed successfully'],
          errors: [],
          warnings: [],
          description: push.description,
        },
        'Configuration committed successfully',
      );
      commit(state, push, parent, end);
      push.phase = 'children';
      for (const id of push.childIds) {
        const child = state.data.jobs.find((j) => j.id === id);
        if (child) jobs.set(id, child);
      }
    }
    const childDuration = Math.max(1, push.durationMs / 2);
    const elapsed = now - end;
    for (const id of push.childIds) {
      const child = jobs.get(id);
      if (!child) continue;
      if (elapsed < childDuration) changed = setProgress(child, elapsed, childDuration, now) || changed;
      else if (child.status_str !== 'FIN') {
        finish(
          child,
          'OK',
          end + childDuration,
          { info: [`Push to ${child.description} succeeded`], errors: [], warnings: [] },
          `Push to ${child.description} succeeded`,
        );
        changed = true;
      }
    }
    if (elapsed >= childDuration) push.phase = 'done';
  }
  // A finished push lives on in its jobs and version; the snapshot would only bloat the state file.
  state.data.pushes = state.data.pushes.filter((p) => p.phase !== 'done');
  return changed;
}

export const hasActivePushes = (state: SandboxState) => state.data.pushes.some((p) => p.phase !== 'done');
