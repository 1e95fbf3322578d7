import { describe, expect, it } from 'vitest';
import { planBlock, type Snapshot } from '../../src/workflows/block-plan.js';
import { classifyIndicators } from '../../src/workflows/indicators.js';

const empty = (over: Partial<Snapshot> = {}): Snapshot => ({
  folder: 'Shared',
  addresses: [],
  groups: [],
  categories: [],
  tags: [],
  rules: [],
  ...over,
});
const ips = (n: number, base = 0) =>
  classifyIndicators(Array.from({ length: n }, (_, i) => `203.0.113.${base + i}`)).valid;

describe('planBlock', () => {
  it('spills past the member limit into numbered groups, filling existing ones first', () => {
    const snap = empty({
      groups: [{ id: 'g1', name: 'mcp-blocked-addresses', folder: 'Shared', static: ['a', 'b'] }],
    });
    const plan = planBlock(ips(5), snap, 'both', { groupLimit: 3 });
    expect(plan.groups.map((g) => [g.name, g.add.length, g.create])).toEqual([
      ['mcp-blocked-addresses', 1, false],
      ['mcp-blocked-addresses-2', 3, true],
      ['mcp-blocked-addresses-3', 1, true],
    ]);
    expect(plan.rules.find((r) => r.role === 'inbound')!.want).toEqual([
      'mcp-blocked-addresses',
      'mcp-blocked-addresses-2',
      'mcp-blocked-addresses-3',
    ]);
  });

  it('reuses an object holding the value, and plans nothing when all is in place', () => {
    const [ind] = ips(1, 7);
    const snap = empty({
      addresses: [{ id: 'x', name: 'theirs', folder: 'Shared', ip_netmask: '203.0.113.7/32' }],
      groups: [{ id: 'g', name: 'mcp-blocked-addresses', folder: 'Shared', static: ['theirs'] }],
      tags: [{ name: 'mcp-blocked' }],
      rules: [
        { id: 'r1', name: 'mcp-block-inbound', folder: 'Shared', source: ['mcp-blocked-addresses'] },
        { id: 'r2', name: 'mcp-block-outbound', folder: 'Shared', destination: ['mcp-blocked-addresses'] },
      ],
    });
    const plan = planBlock([ind!], snap, 'both');
    expect(plan.addresses).toEqual([expect.objectContaining({ name: 'theirs', create: false })]);
    expect(plan).toMatchObject({ writes: 0, toBlock: [], tagCreate: false });
    expect(plan.alreadyBlocked).toHaveLength(1);
  });

  it('adds a new group to an existing rule instead of creating another, and never moves an existing rule', () => {
    const snap = empty({
      groups: [{ id: 'g', name: 'mcp-blocked-addresses', folder: 'Shared', static: ['a'] }],
      tags: [{ name: 'mcp-blocked' }],
      rules: [
        { id: 'r0', name: 'Allow-Web', folder: 'Shared' },
        { id: 'r1', name: 'mcp-block-inbound', folder: 'Shared', source: ['mcp-blocked-addresses'] },
      ],
    });
    const plan = planBlock(ips(2), snap, 'inbound', { groupLimit: 2 });
    expect(plan.rules).toEqual([
      expect.objectContaining({ name: 'mcp-block-inbound', create: false, update: true, notAtTop: true }),
    ]);
    // 2 address creates, group -1 update and -2 create, one rule update.
    expect(plan.writes).toBe(2 + 2 + 1);
  });

  it('URLs only touch the category and its rule; inbound ignores them', () => {
    const urls = classifyIndicators(['https://a.example/x', 'b.example/y']).valid;
    const out = planBlock(urls, empty(), 'outbound');
    expect(out.category!.add).toEqual(['a.example/x', 'b.example/y']);
    expect(out.groups).toEqual([]);
    expect(out.rules.map((r) => r.name)).toEqual(['mcp-block-urls']);
    const inbound = planBlock(urls, empty(), 'inbound');
    expect(inbound.writes).toBe(0);
    expect(inbound.alreadyBlocked).toEqual([]);
    expect(inbound.notApplicable.map((i) => i.value)).toEqual(['a.example/x', 'b.example/y']);
  });
});
