import { afterEach, describe, expect, it } from 'vitest';
import { accept, call, type Harness, startHarness } from '../integration/approval-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const BATCH = ['203.0.113.50', '198.51.100.0/24', 'c2.example.net', 'https://drop.example.org/payload'];
const shared = (hh: Harness, resource: string) =>
  hh.sandbox.state.objects(resource).filter((o) => o.folder === 'Shared');
const named = (hh: Harness, resource: string, name: string) =>
  shared(hh, resource).find((o) => o.data.name === name);
const byInput = (rows: any[]) => Object.fromEntries(rows.map((r) => [r.input, r]));

describe('indicators_status and indicators_unblock end to end', () => {
  it(
    'status before and after push; unblock removes what it made, keeps what others use and the rules',
    { timeout: 60_000 },
    async () => {
      h = await startHarness({ approval: 'flag' });
      const before = await call(h.client, 'indicators_status', { indicators: BATCH });
      expect(before.data.counts).toMatchObject({ valid: 4, blocked: 0 });

      const blocked = await call(h.client, 'indicators_block', { indicators: BATCH, confirm: true });
      expect(blocked.data.status).toBe('done');

      const pending = await call(h.client, 'indicators_status', { indicators: BATCH });
      expect(pending.res.isError).toBeFalsy();
      const rows = byInput(pending.data.indicators.items);
      expect(rows['203.0.113.50']).toMatchObject({
        candidate: 'blocked',
        running: 'pending_push',
        address: 'ioc-ip-203.0.113.50',
      });
      expect(rows['203.0.113.50'].by_rules.sort()).toEqual(['mcp-block-inbound', 'mcp-block-outbound']);
      expect(rows['https://drop.example.org/payload']).toMatchObject({
        candidate: 'blocked',
        by_rules: ['mcp-block-urls'],
      });
      expect(pending.data.notes.running).toMatch(/cannot read the content of the running configuration/);

      const push = await call(h.client, 'config_version_push', {
        folders: ['Shared'],
        confirm: true,
        wait: true,
      });
      expect(push.res.isError).toBeFalsy();
      const after = await call(h.client, 'indicators_status', { indicators: BATCH });
      expect(after.data.counts).toMatchObject({ blocked: 4, pending_push: 0 });
      expect(byInput(after.data.indicators.items)['c2.example.net'].running).toBe('pushed_or_unknown');

      const preview = await call(h.client, 'indicators_unblock', { indicators: BATCH });
      expect(preview.data).toMatchObject({ status: 'confirmation_required', executed: false });
      expect(preview.data.changes.deletes.items.sort()).toEqual([
        'ioc-fqdn-c2.example.net',
        'ioc-ip-203.0.113.50',
      ]);
      expect(named(h, 'address', 'ioc-ip-203.0.113.50')).toBeDefined();

      const unblocked = await call(h.client, 'indicators_unblock', { indicators: BATCH, confirm: true });
      expect(unblocked.data).toMatchObject({ status: 'done', executed: true });
      expect(named(h, 'address', 'ioc-ip-203.0.113.50')).toBeUndefined();
      // partner-acme belongs to the tenant (and other rules use it): out of the group, never deleted.
      expect(named(h, 'address', 'partner-acme')).toBeDefined();
      expect(named(h, 'addressGroup', 'mcp-blocked-addresses')!.data.static).toEqual([]);
      expect(named(h, 'urlCategory', 'mcp-blocked-urls')!.data.list).toEqual([]);
      for (const rule of ['mcp-block-inbound', 'mcp-block-outbound', 'mcp-block-urls'])
        expect(named(h, 'securityRule', rule)).toBeDefined();
      const deleted = h.audit().filter((l) => l.key === 'address.delete' && l.phase === 'outcome');
      expect(deleted).toHaveLength(2);
      expect(deleted[0]!.approved_by).toBe('workflow:indicators_unblock/confirm-flag');

      const status = await call(h.client, 'indicators_status', { indicators: BATCH });
      expect(status.data.counts.blocked).toBe(0);
      const again = await call(h.client, 'indicators_unblock', { indicators: BATCH, confirm: true });
      expect(again.data).toMatchObject({ status: 'nothing_to_do', writes: 0 });
    },
  );

  it('block with push: one approval covers the batch and the push', { timeout: 60_000 }, async () => {
    h = await startHarness({ elicit: accept });
    const { data } = await call(h.client, 'indicators_block', {
      indicators: ['203.0.113.60'],
      push: true,
      wait: true,
      confirm: true,
    });
    expect(data).toMatchObject({ status: 'done', push: { pushed: true, state: 'succeeded' } });
    expect(h.prompts).toHaveLength(1);
    expect(h.prompts[0]!.message).toMatch(/Then push folder Shared/);
    const push = h.audit().find((l) => l.key === 'configVersion.push' && l.phase === 'outcome')!;
    expect(push).toMatchObject({ outcome: 'ok', approved_by: 'workflow:indicators_block/elicitation' });
  });
});
