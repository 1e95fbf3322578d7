import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { TOOLSETS } from '../../src/catalog/toolsets.js';
import { rankTools, type SearchEntry, stem, words } from '../../src/discovery/search.js';

let entries: SearchEntry[];
beforeAll(() => {
  entries = loadCatalog().tools.map((t) => ({
    name: t.name,
    toolset: t.toolset,
    safety: t.safety,
    description: t.description,
    title: t.title,
    ...(TOOLSETS[t.toolset] ? { toolsetLine: TOOLSETS[t.toolset] } : {}),
  }));
});

const top = (query: string, n = 1) =>
  rankTools(entries, query)
    .slice(0, n)
    .map((h) => h.entry.name);

describe('words', () => {
  it('lower-cases, drops filler words and plural endings', () => {
    expect(words('Block the IP-Addresses of policies')).toEqual(['block', 'ip', 'address', 'policy']);
    expect(stem('class')).toBe('class');
  });
});

describe('rankTools', () => {
  it.each([
    ['address', 'address_list'],
    ['security rules', 'security_rule_list'],
    ['decryption rule', 'decryption_rule_list'],
    ['push', 'config_version_push'],
    ['deploy changes', 'config_version_push'],
    ['discard changes', 'config_version_rollback_candidate'],
    ['job status', 'job_list'],
    ['add firewall rule', 'security_rule_create'],
    ['delete address group', 'address_group_delete'],
    ['globalprotect agent profile', 'mobile_agent_agent_profile_list'],
    ['vpn tunnel', 'ipsec_tunnel_list'],
    ['edl', 'external_dynamic_list_list'],
    ['hip_object_create', 'hip_object_create'],
  ])('%s -> %s first', (query, expected) => {
    expect(top(query)).toEqual([expected]);
  });

  it('finds what blocking an IP takes among the first ten', () => {
    expect(top('block an IP address', 10)).toEqual(
      expect.arrayContaining(['address_create', 'address_group_update']),
    );
  });

  it('finds every tool first by its own name', () => {
    const misses = entries.filter((e) => top(e.name)[0] !== e.name).map((e) => e.name);
    expect(misses).toEqual([]);
  });

  it('applies synonyms whose key a stem changes (status -> statu)', () => {
    const job: SearchEntry = {
      name: 'job_get',
      toolset: 'config',
      safety: 'read',
      description: 'Read one job',
    };
    expect(rankTools([job], 'status').map((h) => h.entry.name)).toEqual(['job_get']);
  });

  it('is deterministic, and finds nothing for nothing', () => {
    expect(rankTools(entries, 'rule')).toEqual(rankTools(entries, 'rule'));
    expect(rankTools(entries, 'the of')).toEqual([]);
    expect(rankTools(entries, 'qwertyuiop')).toEqual([]);
  });
});
