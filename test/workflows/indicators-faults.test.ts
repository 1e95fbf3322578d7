import { afterEach, describe, expect, it } from 'vitest';
import { accept, call, type Harness, startHarness } from '../integration/approval-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const IPS = Array.from({ length: 30 }, (_, i) => `203.0.113.${100 + i}`);
const DOMAINS = Array.from({ length: 10 }, (_, i) => `bad${i}.example.org`);

describe('indicators_block under 429, 5xx and dropped connections', () => {
  it.each([
    ['light faults: the first run finishes', { rate429: 0.08, rate5xx: 0.08, dropRate: 0.05 }, 'done'],
    ['heavy faults: the first run is partial', { rate429: 0.1, rate5xx: 0.2, dropRate: 0.2 }, 'partial'],
  ])(
    '%s; nothing lost, nothing duplicated, a re-run completes the rest',
    { timeout: 180_000 },
    async (_, faults, first) => {
      h = await startHarness({
        elicit: accept,
        approval: 'flag',
        sandbox: { seed: 7, faults: { ...faults, retryAfterSeconds: 0 } },
      });
      const statuses: string[] = [];
      for (let run = 0; run < 6 && statuses.at(-1) !== 'nothing_to_do'; run++) {
        const { data } = await call(h.client, 'indicators_block', {
          indicators: [...IPS, ...DOMAINS],
          confirm: true,
        });
        statuses.push(data.status ?? data.error?.code);
        // The outage ends after the first run; light faults stay.
        h.sandbox.setFaults({ rate429: 0.05, rate5xx: 0.05, dropRate: 0.05, retryAfterSeconds: 0 });
        if (data.status === 'partial') {
          // A partial run names exactly what is not done, each with why.
          expect(data.not_done.items.length).toBe(data.counts.not_done);
          for (const n of data.not_done.items) expect(n.reason).toEqual(expect.any(String));
        }
      }
      expect(statuses[0]).toBe(first);
      expect(statuses.at(-1)).toBe('nothing_to_do');
      // The faults really happened.
      expect(h.sandbox.requests.some((r) => r.status === 429)).toBe(true);
      expect(h.sandbox.requests.some((r) => (r.status ?? 0) >= 500 || r.status === 0)).toBe(true);

      const shared = (resource: string) =>
        h!.sandbox.state.objects(resource).filter((o) => o.folder === 'Shared');
      const addresses = shared('address').filter((o) => String(o.data.name).startsWith('ioc-'));
      const values = addresses.map((o) => String(o.data.ip_netmask ?? o.data.fqdn));
      expect(values.sort()).toEqual([...IPS, ...DOMAINS].sort());
      expect(new Set(values).size).toBe(values.length);
      const group = shared('addressGroup').find((g) => g.data.name === 'mcp-blocked-addresses')!;
      expect((group.data.static as string[]).length).toBe(40);
      expect(new Set(group.data.static as string[]).size).toBe(40);
      expect(
        (shared('urlCategory').find((c) => c.data.name === 'mcp-blocked-urls')!.data.list as string[]).sort(),
      ).toEqual([...DOMAINS].sort());
      for (const name of ['mcp-block-inbound', 'mcp-block-outbound', 'mcp-block-urls'])
        expect(shared('securityRule').filter((r) => r.data.name === name)).toHaveLength(1);
    },
  );
});
