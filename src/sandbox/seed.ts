import { CUSTOM_FOLDER, defaultFolders } from './folders.js';
import { finish, jobTime, newJob } from './jobs.js';
import { BASE_OBJECTS, DEMO_OBJECTS, type SeedObject } from './seed-demo.js';
import type { StateData } from './state.js';
import { type ConfigData, cloneConfig, objectsOf } from './store.js';

const DAY = 86_400_000;
const PUSHED = ['Mobile Users', 'Mobile Users Explicit Proxy', 'Remote Networks', 'Service Connections'];

function build(objects: readonly SeedObject[], uuid: () => string): ConfigData {
  const config: ConfigData = {};
  for (const o of objects) {
    objectsOf(config, o.resource).push({
      id: uuid(),
      ...o.container,
      ...(o.position ? { position: o.position } : {}),
      data: structuredClone(o.data),
    });
  }
  return config;
}

/**
 * A tenant as if configured a week ago (version 1) and given its branch rulebase yesterday
 * (version 2, pushed to the branch folder). Candidate equals running: nothing is pending.
 */
export function seedState(opts: {
  uuid: () => string;
  now: number;
  admin: string;
  demo: boolean;
}): StateData {
  const { uuid, now, admin } = opts;
  const folders = defaultFolders(uuid);
  const full = build([...BASE_OBJECTS, ...(opts.demo ? DEMO_OBJECTS : [])], uuid);
  const data: StateData = {
    format: 'prisma-access-mcp-sandbox',
    version: 1,
    folders,
    candidate: cloneConfig(full),
    running: cloneConfig(full),
    versions: [],
    runningVersions: {},
    jobs: [],
    pushes: [],
    nextJobId: 101,
    enabled: { prismaAccess: true, mobileAgent: true },
  };
  const history: Array<{ at: number; folders: string[]; description: string; config: ConfigData }> = [];
  if (opts.demo) {
    // Version 1 had no branch rules yet: loading it is a visible change.
    const v1 = cloneConfig(full);
    v1.securityRule = (v1.securityRule ?? []).filter((r) => r.folder !== CUSTOM_FOLDER);
    history.push({
      at: now - 7 * DAY,
      folders: [...PUSHED, CUSTOM_FOLDER],
      description: 'Initial configuration',
      config: v1,
    });
    history.push({
      at: now - DAY,
      folders: [CUSTOM_FOLDER],
      description: 'Branch office rulebase',
      config: full,
    });
  } else {
    history.push({ at: now - DAY, folders: PUSHED, description: 'Initial configuration', config: full });
  }
  for (const [i, h] of history.entries()) {
    const version = i + 1;
    const date = jobTime(h.at);
    data.versions.push({
      version,
      date,
      created: Math.floor(h.at / 1000),
      admin,
      description: h.description,
      scope: h.folders.join(','),
      config: h.config,
    });
    for (const f of h.folders) data.runningVersions[f] = { version, date };
    const parent = finishedJob(data, {
      type: 'CommitAndPush',
      parent: '0',
      uname: admin,
      description: h.description,
      at: h.at,
      ms: 95_000,
    });
    for (const f of h.folders)
      finishedJob(data, {
        type: 'CommitAll',
        parent: parent.id,
        uname: admin,
        description: f,
        at: h.at + 95_000,
        ms: 60_000,
      });
  }
  return data;
}

function finishedJob(
  data: StateData,
  o: { type: string; parent: string; uname: string; description: string; at: number; ms: number },
) {
  const job = newJob(data, {
    type: o.type,
    parent: o.parent,
    uname: o.uname,
    description: o.description,
    at: o.at,
  });
  const summary =
    o.parent === '0' ? 'Configuration committed successfully' : `Push to ${o.description} succeeded`;
  const details = {
    info: [summary],
    errors: [],
    warnings: [],
    ...(o.parent === '0' ? { description: o.description } : {}),
  };
  finish(job, 'OK', o.at + o.ms, details, summary);
  return job;
}
