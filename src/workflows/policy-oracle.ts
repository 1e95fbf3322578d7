/**
 * Policy questions the workflows ask, behind one small interface (merge point: replace BasicPolicyOracle with the
 * policy layer's `policy_match` / `object_references` when it lands). The basic implementation reads through the
 * pipeline and checks addresses only: containment of IPs in addresses and static groups, exact FQDNs, `any`.
 * Zones, applications, services, users, negation and dynamic groups are not evaluated, and it says so.
 */
import type { CallMeta } from '../tools/types.js';
import { type Indicator, keyOfAddress } from './indicators.js';
import { cidrBounds, parseIp } from './ip.js';
import { MANAGED } from './managed.js';
import type { OpRunner } from './pipeline.js';

type J = Record<string, any>;

export interface Known {
  addresses: J[];
  groups: J[];
  rules: J[];
}

export interface RuleHit {
  rule: string;
  folder: string;
  action: string;
  /** Why the rule's address field covers the indicator: `any`, or the object path. */
  via: string;
}

export interface AllowCheck {
  /** Per indicator input: allow rules ordered before the managed deny rule whose address field covers it. */
  matches: { input: string; rules: RuleHit[] }[];
  not_evaluated: string;
}

export interface References {
  addresses: string[];
  groups: string[];
  rules: { rule: string; folder: string; position: string; field: string }[];
  not_evaluated: string;
}

export interface PolicyOracle {
  /** `known`: the folder's effective addresses and groups and its own pre rules, when the caller already read them. */
  allowRulesBefore(
    folder: string,
    indicators: Indicator[],
    field: 'source' | 'destination',
    meta?: CallMeta,
    known?: Known,
  ): Promise<AllowCheck>;
  referencesOf(folder: string, indicator: Indicator | { name: string }, meta?: CallMeta): Promise<References>;
  /** For each object name: the groups (other than `ignoreGroups`) and rules that use it, as "group X" / "rule Y". */
  usersOf(
    folder: string,
    names: string[],
    ignoreGroups: Set<string>,
    meta?: CallMeta,
  ): Promise<Map<string, string[]>>;
}

const NOT_EVALUATED =
  'basic check: address fields only (any, addresses and static groups); zones, applications, services, users, negation, dynamic groups and EDLs are not evaluated';

/** First and last address of an `ip:`/`range:` key, or undefined for FQDNs and URLs. */
export function boundsOfKey(key: string): [bigint, bigint] | undefined {
  if (key.startsWith('ip:')) {
    const [addr, len] = key.slice(3).split('/');
    const ip = parseIp(addr!);
    return ip ? cidrBounds(ip, Number(len)) : undefined;
  }
  if (key.startsWith('range:')) {
    const [a, b] = key
      .slice(6)
      .split('-')
      .map((x) => parseIp(x));
    return a && b ? [a.value, b.value] : undefined;
  }
  return undefined;
}

/** Whether an address object's value holds the indicator (CIDR/range containment, exact FQDN). */
export function addressHolds(obj: J, ind: Pick<Indicator, 'key'>): boolean {
  const key = keyOfAddress(obj);
  if (!key) return false;
  if (key === ind.key) return true;
  const outer = boundsOfKey(key);
  const inner = boundsOfKey(ind.key);
  if (!outer || !inner) return false;
  // Same family: v4 and v6 numbers never share a key prefix shape, but compare families by text to be sure.
  if (key.includes(':', 3) !== ind.key.includes(':', 3)) return false;
  return outer[0] <= inner[0] && inner[1] <= outer[1];
}

export class BasicPolicyOracle implements PolicyOracle {
  constructor(
    private readonly run: OpRunner,
    private readonly ancestors: (folder: string) => Promise<string[]>,
  ) {}

  async allowRulesBefore(
    folder: string,
    indicators: Indicator[],
    field: 'source' | 'destination',
    meta: CallMeta = {},
    known?: Known,
  ): Promise<AllowCheck> {
    const chain = [...(await this.ancestors(folder)), folder];
    const [addresses, groups] = known
      ? [known.addresses, known.groups]
      : await Promise.all([
          this.run.list('address.list', { folder }, meta),
          this.run.list('addressGroup.list', { folder }, meta),
        ]);
    const before: J[] = [];
    for (const f of chain) {
      const listed =
        f === folder && known
          ? known.rules
          : await this.run.list('securityRule.list', { folder: f, position: 'pre' }, meta);
      const rules = listed.filter((r) => r.folder === undefined || r.folder === f);
      const stop = f === folder ? rules.findIndex((r) => Object.values(MANAGED.rules).includes(r.name)) : -1;
      before.push(...(stop >= 0 ? rules.slice(0, stop) : rules).map((r) => ({ ...r, folder: f })));
    }
    const allows = before.filter((r) => r.action === 'allow' && r.disabled !== true);
    const addrByName = new Map(addresses.map((a) => [a.name, a]));
    const groupByName = new Map(groups.map((g) => [g.name, g]));
    const via = (name: string, ind: Indicator, seen: Set<string>): string | undefined => {
      if (name === 'any') return 'any';
      const a = addrByName.get(name);
      if (a) return addressHolds(a, ind) ? `address ${name}` : undefined;
      const g = groupByName.get(name);
      if (!g || seen.has(name)) return undefined;
      seen.add(name);
      for (const m of Array.isArray(g.static) ? g.static : []) {
        const v = via(String(m), ind, seen);
        if (v) return `group ${name} > ${v}`;
      }
      return undefined;
    };
    const matches = indicators
      .filter((i) => i.addressField)
      .map((ind) => ({
        input: ind.input,
        rules: allows.flatMap((r): RuleHit[] => {
          for (const n of Array.isArray(r[field]) ? r[field] : []) {
            const v = via(String(n), ind, new Set());
            if (v) return [{ rule: r.name, folder: r.folder, action: r.action, via: `${field}: ${v}` }];
          }
          return [];
        }),
      }))
      .filter((m) => m.rules.length);
    return { matches, not_evaluated: NOT_EVALUATED };
  }

  async usersOf(
    folder: string,
    names: string[],
    ignoreGroups: Set<string>,
    meta: CallMeta = {},
  ): Promise<Map<string, string[]>> {
    const wanted = new Set(names);
    const out = new Map<string, string[]>();
    const add = (name: string, user: string) => {
      if (wanted.has(name)) out.set(name, [...(out.get(name) ?? []), user]);
    };
    for (const g of await this.run.list('addressGroup.list', { folder }, meta))
      if (!ignoreGroups.has(g.name))
        for (const m of Array.isArray(g.static) ? g.static : []) add(String(m), `group ${g.name}`);
    for (const f of [...(await this.ancestors(folder)), folder])
      for (const position of ['pre', 'post'])
        for (const r of await this.run.list('securityRule.list', { folder: f, position }, meta)) {
          if (r.folder !== undefined && r.folder !== f) continue;
          for (const field of ['source', 'destination'])
            for (const m of Array.isArray(r[field]) ? r[field] : [])
              add(String(m), `rule ${r.name} (${f}, ${position}, ${field})`);
        }
    return out;
  }

  async referencesOf(
    folder: string,
    target: Indicator | { name: string },
    meta: CallMeta = {},
  ): Promise<References> {
    const [addresses, groups] = await Promise.all([
      this.run.list('address.list', { folder }, meta),
      this.run.list('addressGroup.list', { folder }, meta),
    ]);
    const holders =
      'key' in target
        ? addresses.filter((a) => addressHolds(a, target)).map((a) => String(a.name))
        : [target.name];
    const names = new Set(holders);
    // Groups that hold them directly or through other groups.
    const inGroups: string[] = [];
    for (let grew = true; grew;) {
      grew = false;
      for (const g of groups) {
        if (names.has(g.name)) continue;
        if ((Array.isArray(g.static) ? g.static : []).some((m: unknown) => names.has(String(m)))) {
          names.add(g.name);
          inGroups.push(String(g.name));
          grew = true;
        }
      }
    }
    const chain = [...(await this.ancestors(folder)), folder];
    const rules: References['rules'] = [];
    for (const f of chain)
      for (const position of ['pre', 'post'])
        for (const r of await this.run.list('securityRule.list', { folder: f, position }, meta)) {
          if (r.folder !== undefined && r.folder !== f) continue;
          for (const field of ['source', 'destination'])
            if ((Array.isArray(r[field]) ? r[field] : []).some((m: unknown) => names.has(String(m))))
              rules.push({ rule: r.name, folder: f, position, field });
        }
    return {
      addresses: holders,
      groups: inGroups,
      rules,
      not_evaluated:
        'basic check: addresses, static groups and security rules; profiles, EDLs, NAT and other rule types are not searched',
    };
  }
}
