import * as configOps from './config-ops.js';
import type { Call, Core, Reply } from './context.js';
import { ApiError } from './errors.js';
import { advanceJobs } from './jobs.js';
import * as objects from './objects.js';
import type { OpKind } from './routes.js';

type Handler = (core: Core, call: Call) => Reply;

const HANDLERS: Record<OpKind, Handler> = {
  list: objects.list,
  get: objects.get,
  create: objects.create,
  import: objects.create,
  update: objects.update,
  delete: objects.remove,
  move: objects.move,
  query: objects.query,
  singletonGet: objects.singletonGet,
  singletonUpdate: objects.singletonUpdate,
  catalogue: objects.catalogue,
  versionList: configOps.versionList,
  versionGet: configOps.versionGet,
  running: configOps.running,
  load: configOps.load,
  push: configOps.push,
  rollback: configOps.rollback,
  jobList: configOps.jobList,
  jobGet: configOps.jobGet,
  snapshotList: configOps.snapshotList,
  enable: configOps.enable,
  enabledGet: configOps.enabledGet,
  unsupported: () => {
    throw new ApiError(501, 'E012', 'Method Not Supported', {});
  },
};

/** Runs one matched API operation against the candidate configuration. */
export function handleCall(core: Core, call: Call): Reply {
  // Jobs move with the clock: bring them up to date before anything reads or pushes.
  if (advanceJobs(core.state, core.now())) core.state.changed();
  return HANDLERS[call.route.kind](core, call);
}
