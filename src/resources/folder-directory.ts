import { SYSTEM_FOLDER_TREE } from '../facts.js';
import type { Logger } from '../log.js';
import { ScmApiError } from '../scm/errors.js';
import type { IrOperation } from '../openapi/ir.js';
import type { ScmClient, ScmRequest } from '../scm/http-client.js';
import { paginate } from '../scm/paginate.js';

/** A folder or snippet of the tenant. */
export interface FolderInfo {
  name: string;
  type: 'folder' | 'snippet';
  id?: string;
  /** Parent folder name; absent for a root (Shared, snippets). */
  parent?: string;
  description?: string;
  labels?: string[];
  /** Snippets attached to this folder. */
  snippets?: string[];
}

export interface FolderListing {
  /** live: read from the Setup API; fallback: that API refused, so the six system folders. */
  source: 'live' | 'fallback';
  folders: FolderInfo[];
  snippets: FolderInfo[];
  fetched_at: string;
  /** Why the fallback was used (status of the refused call). */
  reason?: string;
}

/** The Prisma Access system folders every tenant has (SCM-NOTES), with their place in the tree. */
export const SYSTEM_FOLDERS: FolderInfo[] = SYSTEM_FOLDER_TREE.map((f) => ({
  name: f.name,
  type: 'folder',
  ...(f.parent ? { parent: f.parent } : {}),
}));

export const FOLDERS_PATH = '/config/setup/v1/folders';
/** Statuses that mean "this service account may not read folders", not "something broke". */
const REFUSED = new Set([401, 403, 404]);

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const strings = (v: unknown) =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;

/** One Setup API record -> FolderInfo (snippet names may come as strings or as {name} objects). */
export function toFolderInfo(raw: Record<string, unknown>): FolderInfo | undefined {
  const name = str(raw.name);
  if (!name) return undefined;
  const snippets = Array.isArray(raw.snippets)
    ? raw.snippets
        .map((s) => (typeof s === 'string' ? s : str((s as { name?: unknown } | null)?.name)))
        .filter((s): s is string => !!s)
    : undefined;
  const info: FolderInfo = { name, type: raw.type === 'snippet' ? 'snippet' : 'folder' };
  const id = str(raw.id);
  const parent = str(raw.parent);
  const description = str(raw.description);
  const labels = strings(raw.labels);
  if (id) info.id = id;
  if (parent) info.parent = parent;
  if (description) info.description = description;
  if (labels?.length) info.labels = labels;
  if (snippets?.length) info.snippets = snippets;
  return info;
}

export interface FolderDirectoryOptions {
  client: Pick<ScmClient, 'request'>;
  /** The IR operation with the `folder-list` role, when the catalogue has one; else the Setup API's fixed path. */
  folderOp?: Pick<IrOperation, 'path' | 'key' | 'base'>;
  /** How long a listing is reused (default 45 s). */
  ttlMs?: number;
  now?: () => number;
  log?: Pick<Logger, 'info' | 'debug'>;
}

/** The tenant's folders and snippets, read live from the Setup API and cached briefly. */
export class FolderDirectory {
  readonly #opts: FolderDirectoryOptions;
  #cached: { at: number; listing: FolderListing } | undefined;
  #inflight: Promise<FolderListing> | undefined;

  constructor(opts: FolderDirectoryOptions) {
    this.#opts = opts;
  }

  async list(opts: { refresh?: boolean } = {}): Promise<FolderListing> {
    const now = (this.#opts.now ?? Date.now)();
    if (!opts.refresh && this.#cached && now - this.#cached.at < (this.#opts.ttlMs ?? 45_000))
      return this.#cached.listing;
    this.#inflight ??= this.#fetch().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /** Folder and snippet names, folders first. */
  async names(): Promise<string[]> {
    const { folders, snippets } = await this.list();
    return [...folders, ...snippets].map((f) => f.name);
  }

  async find(name: string): Promise<{ info: FolderInfo | undefined; listing: FolderListing }> {
    const listing = await this.list();
    const info = [...listing.folders, ...listing.snippets].find((f) => f.name === name);
    return { info, listing };
  }

  #request(): ScmRequest {
    const op = this.#opts.folderOp;
    if (!op) return { method: 'GET', path: FOLDERS_PATH, base: 'setup', operation: 'folder.list' };
    return { method: 'GET', path: op.path, operation: op.key, ...(op.base ? { host: op.base.host } : {}) };
  }

  async #fetch(): Promise<FolderListing> {
    const now = this.#opts.now ?? Date.now;
    let listing: FolderListing;
    try {
      const page = await paginate(this.#opts.client, this.#request(), { pageSize: 200, max: 10_000 });
      const all = page.data
        .filter((r): r is Record<string, unknown> => !!r && typeof r === 'object')
        .map(toFolderInfo)
        .filter((f): f is FolderInfo => !!f);
      const folders = all.filter((f) => f.type === 'folder');
      const snippets = all.filter((f) => f.type === 'snippet');
      // Snippets named by a folder but not listed themselves (the folders API lists folders first of all).
      for (const name of new Set(folders.flatMap((f) => f.snippets ?? []))) {
        if (!snippets.some((s) => s.name === name)) snippets.push({ name, type: 'snippet' });
      }
      listing = { source: 'live', folders, snippets, fetched_at: new Date(now()).toISOString() };
    } catch (err) {
      if (!(err instanceof ScmApiError) || !REFUSED.has(err.status)) throw err;
      this.#opts.log?.info(`folders API refused (${err.status}); serving the system folders instead`);
      listing = {
        source: 'fallback',
        folders: SYSTEM_FOLDERS.map((f) => ({ ...f })),
        snippets: [],
        fetched_at: new Date(now()).toISOString(),
        reason: `the Setup API answered ${err.status} to GET ${this.#request().path}: the service account may not read folders, so only the system folders are listed (custom folders and snippets still work by name)`,
      };
    }
    this.#cached = { at: now(), listing };
    return listing;
  }
}
