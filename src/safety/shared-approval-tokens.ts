import { randomBytes } from 'node:crypto';
import type { KvStore } from '../store/kv-store.js';
import { APPROVAL_TOKEN_TTL_MS, argumentsHash, type RedeemResult } from './approval-tokens.js';

/** What the approval gate needs of a token book: the in-memory ApprovalTokens, or this shared one. */
export interface TokenBook {
  /** `fingerprint`: the approval fingerprint at preview time (tool, arguments, tenant, pending changes). */
  issue(
    tool: string,
    args: Record<string, unknown>,
    fingerprint?: string,
  ): { token: string; expiresAt: Date };
  /** Only a call that matches spends the token; a mismatch leaves it valid for the right call. */
  redeem(
    token: string,
    tool: string,
    args: Record<string, unknown>,
    fingerprint?: string,
  ): RedeemResult | Promise<RedeemResult>;
}

/**
 * Single-use approval tokens in a shared store (Redis with --redis-url): a token one replica issued is redeemed
 * once on any replica, and refused on replay everywhere. Tokens are random, so nothing needs signing.
 */
export class SharedApprovalTokens implements TokenBook {
  readonly #store: KvStore;
  readonly #ttlMs: number;
  readonly #now: () => number;
  // A preview's write is in flight until stored: a redeem waits for it (same process), never misses it.
  readonly #pending = new Map<string, Promise<void>>();

  constructor(store: KvStore, opts: { ttlMs?: number; now?: () => number } = {}) {
    this.#store = store;
    this.#ttlMs = opts.ttlMs ?? APPROVAL_TOKEN_TTL_MS;
    this.#now = opts.now ?? Date.now;
  }

  issue(tool: string, args: Record<string, unknown>, fingerprint = ''): { token: string; expiresAt: Date } {
    const token = `apv_${randomBytes(18).toString('base64url')}`;
    const expiresAt = this.#now() + this.#ttlMs;
    const write = this.#store
      .set(
        `approval-token:${token}`,
        JSON.stringify({ tool, hash: argumentsHash(tool, args), fingerprint, expiresAt }),
        this.#ttlMs,
      )
      .catch(() => {})
      .finally(() => this.#pending.delete(token));
    this.#pending.set(token, write);
    return { token, expiresAt: new Date(expiresAt) };
  }

  async redeem(
    token: string,
    tool: string,
    args: Record<string, unknown>,
    fingerprint = '',
  ): Promise<RedeemResult> {
    await this.#pending.get(token);
    const key = `approval-token:${token}`;
    const raw = await this.#store.get(key);
    if (!raw) return { ok: false, reason: 'unknown' };
    const issued = JSON.parse(raw) as { tool: string; hash: string; fingerprint?: string; expiresAt: number };
    if (this.#now() >= issued.expiresAt) return { ok: false, reason: 'expired' };
    if (issued.tool !== tool) return { ok: false, reason: 'other_tool' };
    if (issued.hash !== argumentsHash(tool, args)) return { ok: false, reason: 'arguments_changed' };
    if ((issued.fingerprint ?? '') !== fingerprint) return { ok: false, reason: 'changes_changed' };
    // A matching call spends it; take is atomic, so of two replicas redeeming at once only one proceeds.
    return (await this.#store.take(key)) ? { ok: true } : { ok: false, reason: 'unknown' };
  }
}
