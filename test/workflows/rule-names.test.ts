import { afterEach, describe, expect, it } from 'vitest';
import { call, type Harness, startHarness } from '../integration/approval-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const rule = (name: string) => ({
  folder: 'Shared',
  position: 'pre',
  name,
  action: 'allow',
  from: ['any'],
  to: ['any'],
  source: ['any'],
  destination: ['any'],
  application: ['any'],
  service: ['any'],
});
const preNames = (hh: Harness) =>
  hh.sandbox.state
    .objects('securityRule')
    .filter((r) => r.folder === 'Shared' && r.position === 'pre')
    .map((r) => r.data.name);

describe('rule moves by name', () => {
  it('security_rule_move takes the rule and the destination rule by name', async () => {
    h = await startHarness();
    for (const n of ['move-me', 'anchor'])
      expect((await call(h.client, 'security_rule_create', rule(n))).res.isError).toBeFalsy();
    const { res, data } = await call(h.client, 'security_rule_move', {
      id: 'move-me',
      folder: 'Shared',
      rulebase: 'pre',
      destination: 'after',
      destination_rule: 'anchor',
    });
    expect(res.isError, JSON.stringify(data)).toBeFalsy();
    const names = preNames(h);
    expect(names.indexOf('move-me')).toBe(names.indexOf('anchor') + 1);
    // The audit shows the resolved id, as for a call by id.
    const audited = h.audit().find((l) => l.key === 'securityRule.move' && l.phase === 'outcome')!;
    expect(audited.args.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('an unknown name is named with its field; nothing is moved', async () => {
    h = await startHarness();
    const { res, data } = await call(h.client, 'security_rule_move', {
      id: 'no-such-rule',
      folder: 'Shared',
      rulebase: 'pre',
      destination: 'top',
    });
    expect(res.isError).toBe(true);
    expect(data.error.fields).toEqual([
      { field: 'id', message: 'no security rule named "no-such-rule" in folder Shared (pre)' },
    ]);
    expect(h.sandbox.requests.some((r) => r.path.includes(':move'))).toBe(false);
  });

  it('the other rule moves take names too', async () => {
    h = await startHarness();
    const listed = await h.client.listTools();
    const moves = listed.tools.filter((t) => t.name.endsWith('_rule_move'));
    expect(moves.length).toBeGreaterThanOrEqual(5);
    for (const t of moves) expect(t.description).toMatch(/also take the rule name/);
  });
});
