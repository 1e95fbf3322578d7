import { afterEach, describe, expect, it } from 'vitest';
import { accept, call, type Harness, startHarness } from '../integration/approval-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const shared = (hh: Harness, resource: string) =>
  hh.sandbox.state.objects(resource).filter((o) => o.folder === 'Shared');
const named = (hh: Harness, resource: string, name: string) =>
  shared(hh, resource).find((o) => o.data.name === name);
const writes = (hh: Harness) =>
  hh.sandbox.requests.filter((r) => r.method !== 'GET' && !r.path.includes('oauth2'));

describe('host_isolate', () => {
  it(
    "tags the host into the folder's quarantine group and quarantines the device, after one approval",
    { timeout: 60_000 },
    async () => {
      h = await startHarness({ elicit: accept });
      const preview = await call(h.client, 'host_isolate', {
        host: 'partner-acme',
        device_host_id: 'HOST-42',
      });
      expect(preview.data).toMatchObject({
        status: 'confirmation_required',
        executed: false,
        value: '198.51.100.0/24',
      });
      expect(preview.data.isolation).toMatchObject({
        mode: 'quarantine_tag',
        group: 'quarantined-hosts',
        tag: 'Quarantine',
        rule: 'Deny-Quarantined',
        action: 'add tag Quarantine',
      });
      expect(preview.data.where_used.groups).toContain('partners');
      expect(writes(h)).toHaveLength(0);

      const { data } = await call(h.client, 'host_isolate', {
        host: 'partner-acme',
        device_host_id: 'HOST-42',
        confirm: true,
      });
      expect(data).toMatchObject({ status: 'done', executed: true, approved_by: 'elicitation' });
      expect(h.prompts).toHaveLength(1);
      expect(h.prompts[0]!.message).toMatch(/Add device HOST-42 to the quarantined devices/);
      expect(named(h, 'address', 'partner-acme')!.data.tag).toContain('Quarantine');
      expect(h.sandbox.state.objects('quarantinedDevice').map((d) => d.data.host_id)).toContain('HOST-42');

      const again = await call(h.client, 'host_isolate', { host: 'partner-acme', confirm: true });
      expect(again.data).toMatchObject({ status: 'nothing_to_do', writes: 0 });
    },
  );

  it(
    'without a quarantine group: blocks the host both ways with the managed rules',
    { timeout: 60_000 },
    async () => {
      h = await startHarness({ approval: 'flag' });
      const rule = named(h, 'securityRule', 'Deny-Quarantined')!;
      expect(
        (await call(h.client, 'security_rule_delete', { id: rule.id, confirm: true })).res.isError,
      ).toBeFalsy();
      const { data } = await call(h.client, 'host_isolate', { host: '203.0.113.99', confirm: true });
      expect(data).toMatchObject({ status: 'done', isolation: { mode: 'managed_block' } });
      expect(named(h, 'addressGroup', 'mcp-blocked-addresses')!.data.static).toEqual(['ioc-ip-203.0.113.99']);
      expect(named(h, 'securityRule', 'mcp-block-inbound')!.data.source).toEqual(['mcp-blocked-addresses']);
      expect(named(h, 'securityRule', 'mcp-block-outbound')!.data.destination).toEqual([
        'mcp-blocked-addresses',
      ]);
    },
  );

  it('an unknown host is named, nothing sent', async () => {
    h = await startHarness({ approval: 'flag' });
    const { res, data } = await call(h.client, 'host_isolate', { host: 'no-such-object', confirm: true });
    expect(res.isError).toBe(true);
    expect(data.error.message).toMatch(/not an IP, an FQDN or an address object/);
    expect(writes(h)).toHaveLength(0);
  });
});
