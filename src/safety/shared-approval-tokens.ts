import { randomBytes } from 'node:crypto';
import type { KvStore } from '../store/kv-store.js';
import { APPROVAL_TOKEN_TTL_MS, argumentsHash, type RedeemResult } from './approval-tokens.js';

/** What the approval gate needs of a token book: the in-memory ApprovalTokens, or this shared one. */
export interface TokenBook {
  issue(tool: string, args: Record<string, unknown>): { token: string; expiresAt: Date };
  redeem(token: string, tool: string, args: Record<string, unknown>): RedeemResult | Promise<RedeemResult>;
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

  issue(tool: string, args: Record<string, unknown>): { token: string; expiresAt: Date } {
    const token = `apv_${randomBytes(18).toString('base64url')}`;
    const expiresAt = this.#now() + this.#ttlMs;
    const write = this.#store
      .set(`approval-token:${token}`, JSON.stringify({ tool, hash: argumentsHash(tool, args), expiresAt }), this.#ttlMs)
      .catch(() => {})
      .finally(() => this.#pending.delete(token));
    this.#pending.set(token, write);
    return { token, expiresAt: new Date(expiresAt) };
  }

  async redeem(token: string, tool: string, args: Record<string, unknown>): Promise<RedeemResult> {
    await this.#pending.get(token);
    const raw = await this.#store.take(`approval-token:${token}`);
    if (!raw) return { ok: false, reason: 'unknown' };
    const issued = JSON.parse(raw) as { tool: string; hash: string; expiresAt: number };
    if (this.#now() >= issued.expiresAt) return { ok: false, reason: 'expired' };
    if (issued.tool !== tool) return { ok: false, reason: 'other_tool' };
    if (issued.hash !== argumentsHash(tool, args)) return { ok: false, reason: 'arguments_changed' };
    return { ok: true };
  }
}
