import type { IrOperation } from '../openapi/ir.js';
import type { FolderDirectory } from '../resources/folder-directory.js';
import type { PipelineDeps } from '../tools/call-operation.js';
import type { AuditRecord, AuditSink } from '../tools/types.js';
import { PolicyIndex } from './index-build.js';
import { loadSnapshot } from './load.js';
import { directReferrers } from './references.js';
import { OBJECT_KINDS } from './snapshot.js';

/** A folder name nobody has: says which ones exist. */
export class UnknownFolderError extends Error {
  readonly code = 'UNKNOWN_FOLDER';
  constructor(
    folder: string,
    readonly known: string[],
  ) {
    super(
      `folder: no folder named ${JSON.stringify(folder)} (names are case-sensitive); known: ${known.join(', ')}`,
    );
  }
}

export interface PolicyServiceOptions {
  operations: readonly IrOperation[];
  /** The pipeline the snapshot reads through; a function because the app builds it after this service. */
  deps: () => PipelineDeps;
  directory: Pick<FolderDirectory, 'list'>;
  tsgId: string;
  /** How long a snapshot is reused (default 60 s). */
  ttlMs?: number;
  now?: () => number;
}

/**
 * Snapshots per TSG and folder, indexed, cached briefly. Any write through this server to the TSG drops them
 * (it is an audit sink); a failed load caches nothing; a load that raced a write is served but not kept.
 */
export class PolicyService implements AuditSink {
  readonly #opts: PolicyServiceOptions;
  readonly #cache = new Map<string, PolicyIndex>();
  readonly #inflight = new Map<string, Promise<PolicyIndex>>();
  #generation = 0;

  constructor(opts: PolicyServiceOptions) {
    this.#opts = opts;
  }

  get now(): number {
    return (this.#opts.now ?? Date.now)();
  }

  /** Audit sink: a write that reached the API (or may have) makes every snapshot of this TSG stale. */
  write(record: AuditRecord): void {
    if (record.phase === 'outcome' && record.outcome !== 'refused') this.invalidate();
  }

  invalidate(): void {
    this.#generation++;
    this.#cache.clear();
  }

  /** The folder's chain, Shared first. Throws UnknownFolderError naming the known folders. */
  async chainOf(folder: string): Promise<string[]> {
    const listing = await this.#opts.directory.list();
    const all = [...listing.folders, ...listing.snippets];
    const info = all.find((f) => f.name === folder);
    if (!info) {
      // Without the Setup API only the system folders are known: take the name as a folder under Shared.
      if (listing.source === 'fallback') return folder === 'Shared' ? ['Shared'] : ['Shared', folder];
      throw new UnknownFolderError(
        folder,
        all.map((f) => f.name),
      );
    }
    const chain = [folder];
    for (let p = info.parent; p && !chain.includes(p); p = all.find((f) => f.name === p)?.parent)
      chain.unshift(p);
    return chain;
  }

  async index(folder: string, opts: { refresh?: boolean } = {}): Promise<PolicyIndex> {
    const key = `${this.#opts.tsgId}\u0000${folder}`;
    const cached = this.#cache.get(key);
    if (!opts.refresh && cached && this.now - cached.loadedAt < (this.#opts.ttlMs ?? 60_000)) return cached;
    const running = this.#inflight.get(key);
    if (running && !opts.refresh) return running;
    const generation = this.#generation;
    const p = (async () => {
      const chain = await this.chainOf(folder);
      const data = await loadSnapshot(
        folder,
        chain,
        this.#opts.operations,
        this.#opts.deps(),
        () => this.now,
      );
      const index = new PolicyIndex(data);
      if (generation === this.#generation) this.#cache.set(key, index);
      return index;
    })().finally(() => {
      if (this.#inflight.get(key) === p) this.#inflight.delete(key);
    });
    this.#inflight.set(key, p);
    return p;
  }

  /** For delete previews: what still refers to the object `name` as `folder` sees it, one line each. */
  async referencesFor(folder: string, name: string, resource?: string): Promise<string[]> {
    if (resource !== undefined && !(OBJECT_KINDS as readonly string[]).includes(resource)) return [];
    const index = await this.index(folder);
    return directReferrers(index, name).map(
      (r) => `${r.kind} ${r.name}${r.field ? ` (${r.field})` : ''} in ${r.folder}`,
    );
  }
}
