import { ConfigError } from '../config.js';
import type { Safety } from '../openapi/ir.js';

/**
 * Every toolset, one line each (tool_search shows them). Generated tools take theirs from specs/overlay.yaml (one
 * per resource); `folders` and `discovery` hold composite tools.
 */
export const TOOLSETS: Record<string, string> = {
  objects:
    'addresses, address and service groups, services, tags, applications with their groups and filters, external dynamic lists, URL categories, dynamic user groups, regions, schedules, HIP objects and profiles, quarantined devices, auto-tag actions',
  policy:
    'security, decryption, decryption exclusion, app override, authentication, QoS and traffic steering rules; which rule matches traffic, where an object is used, find objects, rulebase analysis',
  'security-profiles':
    'anti-spyware, vulnerability protection, WildFire antivirus, DNS security, file blocking, URL access, decryption and HTTP header profiles, profile groups, custom signatures',
  identity:
    'authentication profiles, sequences and portals, local users and groups, LDAP, RADIUS, SAML, TACACS+ and Kerberos server profiles, MFA servers',
  certificates: 'certificates, certificate profiles, SCEP profiles, OCSP responder, TLS service profiles',
  network:
    'remote networks, service connections and groups, IKE gateways and crypto profiles, IPsec tunnels and crypto profiles, BGP routing, internal DNS servers, infrastructure settings, bandwidth allocations, QoS profiles, Prisma Access enable',
  'mobile-agent':
    'GlobalProtect mobile agent: agent profiles, authentication, global and infrastructure settings, locations, tunnel profiles, enable',
  config: 'push the candidate configuration, configuration versions (load, discard), jobs, snapshots',
  catalogues:
    'read-only lists: locations, license types, URL filtering categories, trusted CAs, agent versions',
  folders: 'the folders and snippets of the tenant',
  workflows:
    'one call, one approval: block, unblock and check indicators (IPs, CIDRs, FQDNs, URLs), isolate a host, check the candidate before a push',
  discovery: 'tool_search, tool_describe, tool_call: find, read and run any tool of the server',
};

/** Toolsets only the unified SCM API (`--api scm`) has, one line each; the rest share the lines above. */
export const SCM_TOOLSETS: Record<string, string> = {
  security:
    'data filtering, DoS protection, SaaS tenant restrictions, SSL decryption settings, URL admin override',
  deployment: 'Prisma Access deployment: sites, locations, shared infrastructure settings, enable',
  setup: 'folders, snippets, snippet snapshots, labels, variables, devices, trusted tenants (Setup API)',
  'device-onboarding': 'device onboarding rules, sites and site groups',
  adnsr: 'advanced DNS resolver: profiles, connection sources and subnets, EDLs, domains, CA certificates',
};

/** The one line of a toolset, whichever API set has it. */
export const toolsetLine = (name: string): string | undefined => TOOLSETS[name] ?? SCM_TOOLSETS[name];

export const ALL = 'all';
export const DEFAULT = 'default';
export const DISCOVERY = 'discovery';

/**
 * The default surface: what policy questions, incident response and blocking indicators need (objects, security
 * rules, push and jobs, folders), plus discovery for every other tool. Whole toolsets would not fit: objects,
 * policy and config alone are 130 tools, about 38k tokens (`npm run bench:context`).
 */
export const DEFAULT_TOOLSETS = ['folders', 'workflows', DISCOVERY];
export const DEFAULT_TOOLS = [
  // objects: read what rules reference, add and change the indicators to block
  'address_list',
  'address_create',
  'address_update',
  'address_delete',
  'address_group_list',
  'address_group_create',
  'address_group_update',
  'service_list',
  'service_group_list',
  'application_list',
  'application_group_list',
  'application_filter_list',
  'tag_list',
  'tag_create',
  'url_category_list',
  'url_category_create',
  'url_category_update',
  'external_dynamic_list_list',
  // policy
  'security_rule_list',
  'security_rule_create',
  'security_rule_update',
  'security_rule_move',
  'security_rule_delete',
  // policy answers computed by the server (src/policy)
  'policy_match',
  'object_references',
  'object_find',
  'policy_analyze',
  // config
  'config_version_push',
  'config_version_rollback_candidate',
  'job_list',
  'job_get',
  // folders
  'folder_list',
];

/** What selection needs to know of a tool. */
export interface Selectable {
  name: string;
  toolset: string;
  safety: Safety;
}

export interface SelectionFlags {
  /** Undefined or empty: the default surface. */
  toolsets?: string[];
  tools?: string[];
  excludeTools?: string[];
  readOnly?: boolean;
}

export interface Selection {
  /** Listed in tools/list and callable directly. */
  listed: Set<string>;
  /** Allowed at all (not excluded; read tools only on a read-only server): what discovery may show and run. */
  allowed: Set<string>;
  /** The toolsets asked for, as given (`default` when none). */
  toolsets: string[];
}

const levenshtein = (a: string, b: string): number => {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
};

/** Up to five known names close to `name` (typos, or a part of the name), closest first. */
export function similarNames(name: string, known: Iterable<string>): string[] {
  const scored: Array<[number, string]> = [];
  for (const k of known) {
    const d = levenshtein(name, k);
    if (d <= Math.max(2, Math.floor(name.length / 4)) || (name.length >= 3 && k.includes(name)))
      scored.push([d, k]);
  }
  return scored
    .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1))
    .slice(0, 5)
    .map(([, k]) => k);
}

function unknownTool(flag: string, name: string, known: Set<string>): ConfigError {
  const near = similarNames(name, known);
  return new ConfigError(
    `unknown tool "${name}" in ${flag}${near.length ? `; did you mean ${near.join(', ')}?` : ''} Every generated tool is in tools-manifest/TOOLS.md; tool_search finds tools by words.`,
  );
}

/** Every toolset name `--toolsets` accepts, sorted. */
export function toolsetNames(tools: Selectable[]): string[] {
  return [...new Set([...Object.keys(TOOLSETS), ...tools.map((t) => t.toolset)])].sort();
}

/**
 * Which tools are listed and which are allowed, from the flags. `--toolsets` (default: the default surface; `all`
 * every tool) plus `--tools`, minus `--exclude-tools`; `--read-only` wins over everything: only read tools (and
 * the discovery tools, which then reach read tools only). Unknown names throw a ConfigError naming the valid ones.
 */
export function selectTools(tools: Selectable[], flags: SelectionFlags): Selection {
  const byName = new Map(tools.map((t) => [t.name, t]));
  const names = new Set(byName.keys());
  const validToolsets = toolsetNames(tools);
  const toolsets = flags.toolsets?.length ? flags.toolsets : [DEFAULT];
  for (const ts of toolsets) {
    if (ts !== ALL && ts !== DEFAULT && !validToolsets.includes(ts))
      throw new ConfigError(
        `unknown toolset "${ts}" in --toolsets; valid: ${[ALL, DEFAULT, ...validToolsets].join(', ')}`,
      );
  }
  for (const name of flags.tools ?? []) if (!names.has(name)) throw unknownTool('--tools', name, names);
  for (const name of flags.excludeTools ?? [])
    if (!names.has(name)) throw unknownTool('--exclude-tools', name, names);

  const excluded = new Set(flags.excludeTools ?? []);
  const allowed = new Set(
    tools
      .filter((t) => !excluded.has(t.name))
      .filter((t) => !flags.readOnly || t.safety === 'read' || t.toolset === DISCOVERY)
      .map((t) => t.name),
  );
  const wanted = new Set<string>(flags.tools ?? []);
  const sets = new Set<string>();
  for (const ts of toolsets) {
    if (ts === DEFAULT) {
      for (const s of DEFAULT_TOOLSETS) sets.add(s);
      for (const name of DEFAULT_TOOLS) wanted.add(name);
    } else sets.add(ts);
  }
  const listed = new Set(
    tools
      .filter((t) => sets.has(ALL) || sets.has(t.toolset) || wanted.has(t.name))
      .map((t) => t.name)
      .filter((name) => allowed.has(name)),
  );
  return { listed, allowed, toolsets };
}
