import { randomBytes } from 'node:crypto';
import type { AuditSink } from '../tools/types.js';
import type { ApprovalRecord, ApprovalStore, NewApproval } from './types.js';

export interface InboxOptions {
  store: ApprovalStore;
  /**
   * Where approvers open the inbox, e.g. `http://127.0.0.1:8765` (links in prompts and notifications); a function
   * when it is known only once the HTTP server listens.
   */
  baseUrl: string | (() => string);
  /** How long a request stays open for a decision (default 30 minutes). */
  ttlMs?: number;
  /** The approver must not be the client that asked (names compared case-insensitively). */
  fourEyes?: boolean;
  audit?: AuditSink;
  /** Called for each new request (webhook); failures are the notifier's own business. */
  notify?: (record: ApprovalRecord, url: string) => Promise<void>;
  now?: () => number;
  /** How often a waiting call looks at the store (default 250 ms). */
  pollMs?: number;
}

export const INBOX_TTL_MS = 30 * 60_000;

/** A decision refused: the reason, for the page. */
export class DecisionRefused extends Error {
  readonly code = 'DECISION_REFUSED';
}

/**
 * Pending approvals for people outside the chat: a gated call opens a request, a signed-in approver decides in
 * the inbox page, the call (waiting, or retried with the id) goes on only when approved and only once.
 */
export class ApprovalInbox {
  readonly #o: InboxOptions;
  readonly #now: () => number;

  constructor(opts: InboxOptions) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
  }

  get fourEyes(): boolean {
    return this.#o.fourEyes === true;
  }

  urlFor(id: string): string {
    const base = typeof this.#o.baseUrl === 'string' ? this.#o.baseUrl : this.#o.baseUrl();
    return `${base.replace(/\/$/, '')}/?id=${encodeURIComponent(id)}#${encodeURIComponent(id)}`;
  }

  async open(req: NewApproval): Promise<ApprovalRecord> {
    const now = this.#now();
    const record: ApprovalRecord = {
      ...req,
      id: `inb_${randomBytes(12).toString('base64url')}`,
      state: 'pending',
      createdAt: now,
      expiresAt: now + (this.#o.ttlMs ?? INBOX_TTL_MS),
    };
    await this.#o.store.create(record);
    void this.#o.notify?.(record, this.urlFor(record.id)).catch(() => {});
    return record;
  }

  get(id: string): Promise<ApprovalRecord | undefined> {
    return this.#o.store.get(id);
  }

  list(): Promise<ApprovalRecord[]> {
    return this.#o.store.list();
  }

  /** Waits until the request is decided or expires, or `timeoutMs` passes (then it comes back still pending). */
  async wait(
    id: string,
    opts: { timeoutMs: number; signal?: AbortSignal; onTick?: (waitedMs: number) => Promise<void> },
  ): Promise<ApprovalRecord | undefined> {
    const start = this.#now();
    const poll = this.#o.pollMs ?? 250;
    let lastTick = start;
    for (;;) {
      const r = await this.#o.store.get(id);
      if (!r || r.state !== 'pending') return r;
      const now = this.#now();
      if (now - start >= opts.timeoutMs || opts.signal?.aborted) return r;
      if (opts.onTick && now - lastTick >= 5000) {
        lastTick = now;
        await opts.onTick(now - start).catch(() => {});
      }
      await new Promise((resolve) => setTimeout(resolve, poll));
    }
  }

  /** A person's decision; refused when not pending, or when four-eyes forbids the approver. */
  async decide(id: string, approver: string, approve: boolean): Promise<ApprovalRecord> {
    const r = await this.#o.store.get(id);
    if (!r) throw new DecisionRefused('no such approval request');
    if (r.state !== 'pending') throw new DecisionRefused(`this request is ${r.state}, not pending`);
    if (approve && this.fourEyes && r.clientName && r.clientName.toLowerCase() === approver.toLowerCase())
      throw new DecisionRefused(
        `four-eyes rule: ${approver} asked for this change (as the MCP client) and cannot approve it; another approver must`,
      );
    const decided = await this.#o.store.transition(id, 'pending', {
      state: approve ? 'approved' : 'declined',
      decidedBy: approver,
      decidedAt: this.#now(),
    });
    if (!decided) throw new DecisionRefused('this request was decided or expired meanwhile');
    await this.#o.audit?.write({
      phase: 'decision',
      tool: decided.tool,
      key: decided.key,
      args: decided.args,
      ...(decided.clientName ? { clientName: decided.clientName } : {}),
      ...(approve ? { approvedBy: `inbox:${approver}` } : {}),
      decidedBy: approver,
      outcome: approve ? 'approved' : 'declined',
      approvalId: id,
    });
    return decided;
  }

  /** Spends an approval: true once, for the call that goes on. */
  async consume(id: string): Promise<boolean> {
    return (await this.#o.store.transition(id, 'approved', { state: 'used' })) !== undefined;
  }

  /** An approved or pending request whose change set changed: it can no longer be used. */
  async void(id: string, note: string): Promise<void> {
    for (const from of ['pending', 'approved'] as const)
      if (await this.#o.store.transition(id, from, { state: 'expired', note })) return;
  }
}
