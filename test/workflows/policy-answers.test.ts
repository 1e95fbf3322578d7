import { afterEach, describe, expect, it } from 'vitest';
import { accept, call, type Harness, startHarness } from '../integration/approval-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Hit = { rule: string; folder: string; verdict: string; via: string; depends_on?: string[] };
const rulesFor = (list: { input: string; rules: Hit[] }[], input: string) =>
  list.find((m) => m.input === input)?.rules ?? [];
const names = (hits: Hit[]) => hits.map((r) => r.rule);

describe('workflows answer policy questions with the policy layer', () => {
  it(
    'the block preview names earlier allow rules through nested groups, negation and the folder chain',
    { timeout: 60_000 },
    async () => {
      h = await startHarness({ elicit: accept });
      // An allow rule in Shared for everything outside the datacenter: negation decides who it lets through.
      const created = await call(h.client, 'security_rule_create', {
        folder: 'Shared',
        position: 'pre',
        name: 'Allow-Outside-DC',
        action: 'allow',
        from: ['any'],
        to: ['any'],
        source: ['any'],
        destination: ['dc-net'],
        negate_destination: true,
        application: ['web-browsing'],
        service: ['application-default'],
      });
      expect(created.res.isError, JSON.stringify(created.data)).toBeFalsy();

      const { data } = await call(h.client, 'indicators_block', {
        folder: 'Branch Offices',
        direction: 'outbound',
        indicators: ['10.10.1.11', '10.99.0.1'],
      });
      expect(data.status).toBe('confirmation_required');
      const allowed = data.policy.still_allowed as { input: string; rules: Hit[] }[];
      // 10.10.1.11 is web-srv-01, inside web-servers (and dc-net): the Shared rules before Branch Offices see it.
      const web = rulesFor(allowed, '10.10.1.11');
      const viaGroup = web.find((r) => r.rule === 'Allow-Web-To-DC')!;
      expect(viaGroup).toMatchObject({ folder: 'Shared', verdict: 'may match' });
      expect(viaGroup.via).toMatch(/web-servers/);
      // It needs zones and applications the indicator alone does not give.
      expect(viaGroup.depends_on!.join(' ')).toMatch(/zone/);
      expect(names(web)).toContain('Allow-Web-01-Only');
      expect(names(web)).not.toContain('Allow-Outside-DC');
      expect(names(web)).not.toContain('Allow-DNS');
      // An address outside the datacenter: the negated rule lets it through, the web rules do not.
      const outside = names(rulesFor(allowed, '10.99.0.1'));
      expect(outside).toContain('Allow-Outside-DC');
      expect(outside).not.toContain('Allow-Web-To-DC');
      expect(data.policy.not_evaluated).toMatch(/policy layer/);
    },
  );

  it(
    'indicators_status after a block and a rule move sees the new rule order (snapshots drop on writes)',
    { timeout: 60_000 },
    async () => {
      h = await startHarness({ elicit: accept });
      const ask = () => call(h!.client, 'indicators_status', { indicators: ['10.10.1.11'] });
      // The managed rule goes to the top of Shared's pre rules: nothing is evaluated before it.
      const before = await ask();
      expect(before.data.counts.still_allowed_by_earlier_rule).toBe(0);

      const done = await call(h.client, 'indicators_block', {
        indicators: ['10.10.1.11'],
        direction: 'outbound',
        confirm: true,
      });
      expect(done.data.status).toBe('done');
      expect((await ask()).data.indicators.items[0]).toMatchObject({ candidate: 'blocked' });

      // Someone moves the deny rule to the bottom: every earlier allow rule covering the host now counts.
      const moved = await call(h.client, 'security_rule_move', {
        id: 'mcp-block-outbound',
        folder: 'Shared',
        rulebase: 'pre',
        destination: 'bottom',
      });
      expect(moved.res.isError, JSON.stringify(moved.data)).toBeFalsy();
      const after = await ask();
      const row = after.data.indicators.items[0];
      expect(names(row.earlier_allow_rules)).toEqual(
        expect.arrayContaining(['Allow-Web-To-DC', 'Allow-Web-01-Only']),
      );
      expect(after.data.counts.still_allowed_by_earlier_rule).toBe(1);
    },
  );

  it('host_isolate says where the host is used: nested groups and the rules through them', async () => {
    h = await startHarness({ elicit: accept });
    const { data } = await call(h.client, 'host_isolate', { host: 'web-srv-01' });
    expect(data.status).toBe('confirmation_required');
    // web-srv-01 is in web-servers, which is in datacenter.
    expect(data.where_used.groups).toEqual(expect.arrayContaining(['web-servers', 'datacenter']));
    const rule = data.where_used.rules.find((r: { rule: string }) => r.rule === 'Allow-Web-To-DC');
    expect(rule).toMatchObject({ folder: 'Shared', fields: ['destination'], via: 'web-servers' });
    expect(data.where_used.rules.map((r: { rule: string }) => r.rule)).toContain('Allow-Web-01-Only');
  });
});
