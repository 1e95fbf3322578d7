import type { ApprovalRecord, ApprovalStore } from './types.js';

/** Approvals in this process's memory, the oldest dropped beyond `max`. */
export class MemoryApprovalStore implements ApprovalStore {
  readonly #records = new Map<string, ApprovalRecord>();
  readonly #max: number;
  readonly #now: () => number;

  constructor(opts: { max?: number; now?: () => number } = {}) {
    this.#max = opts.max ?? 500;
    this.#now = opts.now ?? Date.now;
  }

  async create(record: ApprovalRecord): Promise<void> {
    this.#records.set(record.id, { ...record });
    if (this.#records.size > this.#max) this.#records.delete(this.#records.keys().next().value!);
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    const r = this.#expire(this.#records.get(id));
    return r && { ...r };
  }

  async list(): Promise<ApprovalRecord[]> {
    return [...this.#records.values()]
      .map((r) => this.#expire(r)!)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((r) => ({ ...r }));
  }

  async transition(
    id: string,
    from: ApprovalRecord['state'],
    patch: Partial<Pick<ApprovalRecord, 'state' | 'decidedBy' | 'decidedAt' | 'note'>>,
  ): Promise<ApprovalRecord | undefined> {
    const r = this.#expire(this.#records.get(id));
    if (!r || r.state !== from) return undefined;
    Object.assign(r, patch);
    return { ...r };
  }

  #expire(r: ApprovalRecord | undefined): ApprovalRecord | undefined {
    if (r && (r.state === 'pending' || r.state === 'approved') && this.#now() >= r.expiresAt)
      r.state = 'expired';
    return r;
  }
}
