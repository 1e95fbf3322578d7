import { createHash, randomBytes } from 'node:crypto';
import { withoutControlArgs } from '../tools/build-request.js';

/** JSON with object keys sorted at every level: the same arguments always give the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What a token is bound to: the tool and its arguments, without the ones the server consumes itself. */
export function argumentsHash(tool: string, args: Record<string, unknown>): string {
  // tsg_id is consumed by the server but names the tenant: a token approves one change on one TSG.
  const tsg = typeof args.tsg_id === 'string' ? { tsg_id: args.tsg_id } : {};
  return createHash('sha256')
    .update(`${tool}\n${canonicalJson({ ...withoutControlArgs(args), ...tsg })}`)
    .digest('hex');
}

export type RedeemResult =
  | { ok: true }
  | { ok: false; reason: 'unknown' | 'expired' | 'other_tool' | 'arguments_changed' | 'changes_changed' };

interface Issued {
  tool: string;
  hash: string;
  /** The approval fingerprint (tool, arguments, tenant, pending changes) at preview time. */
  fingerprint: string;
  expiresAt: number;
}

export const APPROVAL_TOKEN_TTL_MS = 5 * 60_000;

/**
 * Single-use confirmation tokens, in memory: issued with a preview, bound to the approval fingerprint (tool,
 * arguments, tenant and, for a push, the pending changes), valid five minutes. Only a call that matches spends
 * one: a mismatched call is refused and leaves the token valid for the right one.
 */
export class ApprovalTokens {
  readonly #issued = new Map<string, Issued>();
  readonly #now: () => number;
  readonly #ttlMs: number;

  constructor(opts: { now?: () => number; ttlMs?: number } = {}) {
    this.#now = opts.now ?? Date.now;
    this.#ttlMs = opts.ttlMs ?? APPROVAL_TOKEN_TTL_MS;
  }

  issue(tool: string, args: Record<string, unknown>, fingerprint = ''): { token: string; expiresAt: Date } {
    this.#sweep();
    const token = `apv_${randomBytes(18).toString('base64url')}`;
    const expiresAt = this.#now() + this.#ttlMs;
    this.#issued.set(token, { tool, hash: argumentsHash(tool, args), fingerprint, expiresAt });
    return { token, expiresAt: new Date(expiresAt) };
  }

  redeem(token: string, tool: string, args: Record<string, unknown>, fingerprint = ''): RedeemResult {
    const issued = this.#issued.get(token);
    if (!issued) return { ok: false, reason: 'unknown' };
    if (this.#now() >= issued.expiresAt) {
      this.#issued.delete(token);
      return { ok: false, reason: 'expired' };
    }
    if (issued.tool !== tool) return { ok: false, reason: 'other_tool' };
    if (issued.hash !== argumentsHash(tool, args)) return { ok: false, reason: 'arguments_changed' };
    if (issued.fingerprint !== fingerprint) return { ok: false, reason: 'changes_changed' };
    this.#issued.delete(token);
    return { ok: true };
  }

  /** Tokens still waiting to be used (for tests and diagnostics). */
  get size(): number {
    this.#sweep();
    return this.#issued.size;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [token, issued] of this.#issued) if (now >= issued.expiresAt) this.#issued.delete(token);
  }
}
