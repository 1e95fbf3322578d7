import { chainOf, type FolderRecord } from './folders.js';
import type { JobRecord, PushRecord } from './jobs.js';
import { ObjectIndex } from './object-index.js';
import { type ConfigData, type ConfigDiff, diffConfig, objectsOf, type StoredObject } from './store.js';

export interface ConfigVersionRecord {
  version: number;
  /** 'YYYY-MM-DD HH:MM:SS' UTC, as SCM shows it. */
  date: string;
  /** Epoch seconds. */
  created: number;
  admin: string;
  description: string;
  /** The folders pushed, comma-separated. */
  scope: string;
  /** The running configuration this version produced (what `load` restores). */
  config: ConfigData;
}

/** Everything a tenant is: what the state file holds. */
export interface StateData {
  format: 'prisma-access-mcp-sandbox';
  version: 1;
  folders: FolderRecord[];
  candidate: ConfigData;
  running: ConfigData;
  versions: ConfigVersionRecord[];
  /** Per pushed folder: the version running there. */
  runningVersions: Record<string, { version: number; date: string }>;
  jobs: JobRecord[];
  pushes: PushRecord[];
  nextJobId: number;
  enabled: { prismaAccess: boolean; mobileAgent: boolean };
}

/** The live tenant: data plus change notification (persistence listens). Tests may read and mutate it. */
export class SandboxState {
  data: StateData;
  /** Counts changes: a request that moved it has something to make durable before it answers. */
  generation = 0;
  readonly #listeners: Array<() => void> = [];
  /** Candidate objects by id and by container and name (object-index.ts). */
  readonly index = new ObjectIndex(
    (resource) => this.objects(resource),
    () => this.generation,
  );

  constructor(data: StateData) {
    this.data = data;
  }

  /** Call after every mutation: starts a save (the HTTP side answers once it is on disk). */
  changed(): void {
    this.generation++;
    for (const l of this.#listeners) l();
  }

  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /** A container and its ancestors, nearest first ('' is the tenant-wide scope). */
  chain = (container: string): string[] => (container ? chainOf(this.data.folders, container) : ['']);

  folder(name: string): FolderRecord | undefined {
    return this.data.folders.find((f) => f.name === name);
  }

  objects(resource: string, which: 'candidate' | 'running' = 'candidate'): StoredObject[] {
    return objectsOf(this.data[which], resource);
  }

  find(resource: string, id: string): StoredObject | undefined {
    return this.index.byId(resource, id);
  }

  /** What a push would change: candidate against running. */
  pendingChanges(): ConfigDiff {
    return diffConfig(this.data.running, this.data.candidate);
  }
}
