import { describe, expect, it } from 'vitest';
import { ApprovalTokens, argumentsHash, canonicalJson } from '../../src/safety/approval-tokens.js';

describe('canonicalJson / argumentsHash', () => {
  it('ignores key order at every level, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(argumentsHash('t', { a: 1, b: { x: 1, y: 2 } })).toBe(
      argumentsHash('t', { b: { y: 2, x: 1 }, a: 1 }),
    );
    expect(argumentsHash('t', { a: [1, 2] })).not.toBe(argumentsHash('t', { a: [2, 1] }));
  });

  it('binds the tool and leaves out confirm, approval_token and wait', () => {
    expect(argumentsHash('t', { id: 'x', confirm: true, approval_token: 'apv_1', wait: true })).toBe(
      argumentsHash('t', { id: 'x' }),
    );
    expect(argumentsHash('t', { id: 'x' })).not.toBe(argumentsHash('u', { id: 'x' }));
  });
});

describe('ApprovalTokens', () => {
  it('redeems once, for the same tool and arguments', () => {
    const tokens = new ApprovalTokens();
    const { token } = tokens.issue('address_delete', { id: 'a' });
    expect(token).toMatch(/^apv_[A-Za-z0-9_-]{24}$/);
    expect(tokens.redeem(token, 'address_delete', { id: 'a', confirm: true, approval_token: token })).toEqual(
      { ok: true },
    );
    expect(tokens.redeem(token, 'address_delete', { id: 'a' })).toEqual({ ok: false, reason: 'unknown' });
  });

  it('refuses other arguments, other tools and other pending changes without spending the token', () => {
    const tokens = new ApprovalTokens();
    const a = tokens.issue('address_delete', { id: 'a' }, 'fp-1').token;
    expect(tokens.redeem(a, 'address_delete', { id: 'b' }, 'fp-1')).toEqual({
      ok: false,
      reason: 'arguments_changed',
    });
    expect(tokens.redeem(a, 'tag_delete', { id: 'a' }, 'fp-1')).toEqual({ ok: false, reason: 'other_tool' });
    expect(tokens.redeem(a, 'address_delete', { id: 'a' }, 'fp-2')).toEqual({
      ok: false,
      reason: 'changes_changed',
    });
    // The matching call still redeems it, once.
    expect(tokens.redeem(a, 'address_delete', { id: 'a' }, 'fp-1')).toEqual({ ok: true });
    expect(tokens.redeem(a, 'address_delete', { id: 'a' }, 'fp-1')).toEqual({ ok: false, reason: 'unknown' });
  });

  it('expires after five minutes (injected clock) and forgets expired tokens', () => {
    let now = 1_000_000;
    const tokens = new ApprovalTokens({ now: () => now });
    const { token, expiresAt } = tokens.issue('config_version_push', { folders: ['Shared'] });
    expect(expiresAt.getTime()).toBe(1_000_000 + 5 * 60_000);
    now += 5 * 60_000 - 1;
    const early = tokens.issue('config_version_push', { folders: ['Shared'] }).token;
    expect(tokens.redeem(early, 'config_version_push', { folders: ['Shared'] })).toEqual({ ok: true });
    now += 1;
    expect(tokens.redeem(token, 'config_version_push', { folders: ['Shared'] })).toEqual({
      ok: false,
      reason: 'expired',
    });
    tokens.issue('x', {});
    now += 5 * 60_000;
    expect(tokens.size).toBe(0);
  });

  it('gives a different random token every time', () => {
    const tokens = new ApprovalTokens();
    const seen = new Set(Array.from({ length: 50 }, () => tokens.issue('t', {}).token));
    expect(seen.size).toBe(50);
  });
});
