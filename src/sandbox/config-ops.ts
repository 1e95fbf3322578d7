import { type Call, type Core, ok, type Reply } from './context.js';
import { badRequest, invalidObject, missingBody, notPresent } from './errors.js';
import { startPush } from './jobs.js';
import { page } from './query.js';
import type { ConfigVersionRecord } from './state.js';
import { cloneConfig } from './store.js';

const versionView = (v: ConfigVersionRecord) => ({
  id: v.version,
  version: String(v.version),
  date: v.date,
  created: v.created,
  updated: v.created,
  deleted: 0,
  admin: v.admin,
  description: v.description,
  scope: v.scope,
});

const newestFirst = (core: Core) => [...core.state.data.versions].sort((a, b) => b.version - a.version);

export function versionList(core: Core, call: Call): Reply {
  return ok(page(newestFirst(core).map(versionView), call.query));
}

function versionNamed(core: Core, raw: unknown): ConfigVersionRecord {
  const n = typeof raw === 'number' ? raw : Number(raw);
  const found = Number.isInteger(n) ? core.state.data.versions.find((v) => v.version === n) : undefined;
  if (!found) throw notPresent(`no configuration version ${String(raw)}`);
  return found;
}

export function versionGet(core: Core, call: Call): Reply {
  return ok(versionView(versionNamed(core, call.params.version)));
}

/** Per pushed folder: the version running there. */
export function running(core: Core): Reply {
  const rows = Object.entries(core.state.data.runningVersions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([device, v]) => ({ device, version: v.version, date: v.date }));
  return ok(rows);
}

export function load(core: Core, call: Call): Reply {
  if (call.body === undefined) throw missingBody();
  core.validator.check(call.route.op, call.body);
  if (call.body.version === undefined) throw invalidObject([{ field: 'version', message: 'is required' }]);
  const v = versionNamed(core, call.body.version);
  core.state.data.candidate = cloneConfig(v.config);
  core.state.changed();
  return ok({
    success: true,
    message: `Configuration version ${v.version} loaded into the candidate configuration`,
  });
}

export function rollback(core: Core): Reply {
  core.state.data.candidate = cloneConfig(core.state.data.running);
  core.state.changed();
  return ok({ success: true, message: 'Candidate configuration reverted to the running configuration' });
}

export function push(core: Core, call: Call): Reply {
  if (call.body === undefined) throw missingBody();
  // `admin` (push only these admins' changes) is live-API only; accepted, and every change is pushed.
  core.validator.check(call.route.op, call.body, ['admin']);
  // The unified API names the folders `folder` (a list); /sse/config/v1 names them `folders`.
  const field = Array.isArray(call.body.folder) ? 'folder' : 'folders';
  const folders = (call.body[field] ?? []) as string[];
  if (!folders.length) throw invalidObject([{ field, message: 'must name at least one folder' }]);
  for (const f of folders) {
    if (core.state.folder(f)?.type !== 'folder')
      throw badRequest('Invalid Object', [`${field}: folder "${f}" does not exist`]);
  }
  const job = startPush(core.state, {
    folders: [...new Set(folders)],
    description: typeof call.body.description === 'string' ? call.body.description : '',
    uname: call.principal,
    now: core.now(),
    durationMs: core.pushDurationMs,
  });
  core.state.changed();
  core.onPush();
  return ok({ success: true, job_id: job.id, message: `CommitAndPush job enqueued with jobid ${job.id}` });
}

const byNewest = (a: { id: string }, b: { id: string }) => Number(b.id) - Number(a.id);

export function jobList(core: Core, call: Call): Reply {
  return ok(page([...core.state.data.jobs].sort(byNewest), call.query));
}

export function jobGet(core: Core, call: Call): Reply {
  const job = core.state.data.jobs.find((j) => j.id === call.params.id);
  if (!job) throw notPresent(`no job with id ${call.params.id ?? ''}`);
  return ok({ data: [job] });
}

export function snapshotList(core: Core, call: Call): Reply {
  return ok(page(newestFirst(core).map(versionView), call.query));
}

export function enable(core: Core, call: Call): Reply {
  const which = call.route.op.resource === 'mobileAgent' ? 'mobileAgent' : 'prismaAccess';
  core.state.data.enabled[which] = true;
  core.state.changed();
  return ok({
    success: true,
    message: which === 'mobileAgent' ? 'Mobile users enabled' : 'Prisma Access enabled',
  });
}

export function enabledGet(core: Core): Reply {
  return ok({ data: { enabled: core.state.data.enabled.mobileAgent } });
}
