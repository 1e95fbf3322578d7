import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import {
  DEFAULT_TOOLS,
  type Selectable,
  type SelectionFlags,
  selectTools,
  similarNames,
  TOOLSETS,
} from '../../src/catalog/toolsets.js';
import { ConfigError, loadConfig } from '../../src/config.js';

let tools: Selectable[];
const DISCOVERY_TOOLS = ['tool_search', 'tool_describe', 'tool_call'];
const POLICY_TOOLS = ['policy_match', 'object_references', 'object_find', 'policy_analyze'];

beforeAll(() => {
  // What the app selects from: every generated tool, plus its composite tools.
  tools = [
    ...loadCatalog().tools.map((t) => ({ name: t.name, toolset: t.toolset, safety: t.safety })),
    { name: 'folder_list', toolset: 'folders', safety: 'read' },
    ...POLICY_TOOLS.map((name) => ({ name, toolset: 'policy', safety: 'read' as const })),
    ...DISCOVERY_TOOLS.map((name) => ({ name, toolset: 'discovery', safety: 'read' as const })),
  ];
});

const listed = (flags: SelectionFlags) => [...selectTools(tools, flags).listed].sort();
const toolsetOf = (name: string) => tools.find((t) => t.name === name)?.toolset;

describe('toolsets', () => {
  it('group every tool: each toolset of the catalogue has a line', () => {
    const used = new Set(loadCatalog().tools.map((t) => t.toolset));
    expect([...used].filter((ts) => !TOOLSETS[ts])).toEqual([]);
    expect([...used].sort()).toEqual(
      expect.arrayContaining(['config', 'identity', 'network', 'objects', 'policy', 'security-profiles']),
    );
    expect(TOOLSETS).toHaveProperty('discovery');
    expect(TOOLSETS).toHaveProperty('folders');
  });

  it('default: the curated tools, folders and discovery, all of them real tools', () => {
    const names = new Set(tools.map((t) => t.name));
    expect(DEFAULT_TOOLS.filter((n) => !names.has(n))).toEqual([]);
    const def = listed({});
    expect(def).toEqual([...new Set([...DEFAULT_TOOLS, ...DISCOVERY_TOOLS])].sort());
    expect(def.length).toBeLessThanOrEqual(40); // Cursor warns past 40
    expect(new Set(def.map(toolsetOf))).toEqual(
      new Set(['objects', 'policy', 'config', 'folders', 'discovery']),
    );
    expect(listed({ toolsets: ['default'] })).toEqual(def);
    expect(listed({ toolsets: [] })).toEqual(def);
  });

  it('--toolsets a,b: whole toolsets, nothing else', () => {
    const out = listed({ toolsets: ['policy', 'config'] });
    expect(new Set(out.map(toolsetOf))).toEqual(new Set(['policy', 'config']));
    expect(out).toHaveLength(tools.filter((t) => t.toolset === 'policy' || t.toolset === 'config').length);
    expect(listed({ toolsets: ['discovery'] })).toEqual([...DISCOVERY_TOOLS].sort());
    expect(listed({ toolsets: ['default', 'network'] })).toEqual(
      expect.arrayContaining(['remote_network_create', 'address_list', 'tool_call']),
    );
  });

  it('--toolsets all: every tool', () => {
    expect(listed({ toolsets: ['all'] })).toHaveLength(tools.length);
    expect(tools.length).toBe(344 + 1 + 4 + 3);
  });

  it('--tools adds single tools, to the default or to toolsets', () => {
    expect(listed({ tools: ['remote_network_list'] })).toContain('remote_network_list');
    expect(listed({ tools: ['remote_network_list'] })).toContain('address_list');
    expect(listed({ toolsets: ['discovery'], tools: ['hip_object_get'] })).toEqual(
      [...DISCOVERY_TOOLS, 'hip_object_get'].sort(),
    );
  });

  it('--exclude-tools removes tools from the listing and from what discovery may reach', () => {
    const sel = selectTools(tools, { toolsets: ['all'], excludeTools: ['address_delete', 'tool_call'] });
    expect(sel.listed.has('address_delete')).toBe(false);
    expect(sel.allowed.has('address_delete')).toBe(false);
    expect(sel.listed.has('tool_call')).toBe(false);
    expect(sel.listed.size).toBe(tools.length - 2);
    // Excluding wins over adding.
    expect(listed({ tools: ['address_delete'], excludeTools: ['address_delete'] })).not.toContain(
      'address_delete',
    );
  });

  it('--read-only wins over everything: read tools only, whatever was asked', () => {
    for (const flags of [
      { readOnly: true },
      { readOnly: true, toolsets: ['all'] },
      { readOnly: true, toolsets: ['config'], tools: ['address_delete', 'config_version_push'] },
    ]) {
      const sel = selectTools(tools, flags);
      const bad = [...sel.listed, ...sel.allowed].filter(
        (n) => tools.find((t) => t.name === n)?.safety !== 'read',
      );
      expect(bad).toEqual([]);
    }
    const ro = selectTools(tools, { readOnly: true, toolsets: ['all'] });
    expect(ro.listed.size).toBe(135 + 1 + 4 + 3);
    expect(ro.allowed.has('address_create')).toBe(false);
    expect(listed({ readOnly: true })).toEqual(
      expect.arrayContaining(['address_list', 'tool_call', 'folder_list']),
    );
  });

  it('fails at start on unknown names, listing the valid toolsets and suggesting tools', () => {
    expect(() => selectTools(tools, { toolsets: ['objets'] })).toThrow(ConfigError);
    expect(() => selectTools(tools, { toolsets: ['objets'] })).toThrow(
      /unknown toolset "objets" in --toolsets; valid: all, default, catalogues, certificates, config, discovery, folders, identity, mobile-agent, network, objects, policy, security-profiles/,
    );
    expect(() => selectTools(tools, { tools: ['adress_create'] })).toThrow(
      /unknown tool "adress_create" in --tools; did you mean address_create/,
    );
    expect(() => selectTools(tools, { excludeTools: ['nope'] })).toThrow(
      /unknown tool "nope" in --exclude-tools/,
    );
  });

  it('takes its flags from the command line as parsed by loadConfig', () => {
    const c = loadConfig(
      ['--toolsets', 'objects, policy', '--tools', 'job_get', '--exclude-tools', 'address_delete'],
      {},
    );
    const out = listed(c);
    expect(out).toContain('job_get');
    expect(out).not.toContain('address_delete');
    expect(out).not.toContain('tool_call');
  });
});

describe('similarNames', () => {
  it('suggests typos and parts of names, closest first', () => {
    expect(similarNames('adress_list', ['address_list', 'address_group_list', 'tag_list'])[0]).toBe(
      'address_list',
    );
    expect(similarNames('hip_object', ['hip_object_get', 'hip_object_list', 'tag_list'])).toEqual([
      'hip_object_get',
      'hip_object_list',
    ]);
    expect(similarNames('zzz', ['address_list'])).toEqual([]);
  });
});
