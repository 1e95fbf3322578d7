import { describe, expect, it } from 'vitest';
import { ApprovalTokens, argumentsHash } from '../../src/safety/approval-tokens.js';
import { SharedApprovalTokens } from '../../src/safety/shared-approval-tokens.js';
import { MemoryKv } from '../../src/store/kv-store.js';

describe('approval tokens are bound to the tenant (tsg_id)', () => {
  it('hashes tsg_id with the arguments, though the server consumes it', () => {
    const args = { id: 'x', confirm: true };
    expect(argumentsHash('address_delete', { ...args, tsg_id: '1' })).not.toBe(
      argumentsHash('address_delete', { ...args, tsg_id: '2' }),
    );
    expect(argumentsHash('address_delete', args)).toBe(argumentsHash('address_delete', { id: 'x' }));
  });

  it.each([
    ['in memory', () => new ApprovalTokens()],
    ['shared', () => new SharedApprovalTokens(new MemoryKv())],
  ])('%s: a token for one TSG is refused for another', async (_n, make) => {
    const tokens = make();
    const { token } = tokens.issue('address_delete', { id: 'x', tsg_id: '1234567891' });
    expect(await tokens.redeem(token, 'address_delete', { id: 'x', tsg_id: '1234567892' })).toEqual({
      ok: false,
      reason: 'arguments_changed',
    });
    const again = tokens.issue('address_delete', { id: 'x', tsg_id: '1234567891' });
    expect(await tokens.redeem(again.token, 'address_delete', { id: 'x', tsg_id: '1234567891' })).toEqual({
      ok: true,
    });
    expect(await tokens.redeem(again.token, 'address_delete', { id: 'x', tsg_id: '1234567891' })).toEqual({
      ok: false,
      reason: 'unknown',
    });
  });
});
