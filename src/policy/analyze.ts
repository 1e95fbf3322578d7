import { type IpSet, overlap, parseIpSet } from './ip.js';
import { type PolicyIndex, PREDEFINED_SERVICES, type RuleView, type ServiceDef } from './index-build.js';
import { referrerIndex } from './references.js';
import { strs } from './snapshot.js';

export interface RuleRef {
  rule: string;
  folder: string;
  position: string;
  index: number;
}
export interface Analysis {
  shadowed: Array<RuleRef & { action: string; by: RuleRef & { action: string } }>;
  redundant: Array<RuleRef & { by: RuleRef }>;
  permissive: Array<RuleRef & { why: string }>;
  disabled: RuleRef[];
  dangling: Array<{ kind: string; name: string; folder: string; field: string; missing: string }>;
  unused: Array<{ kind: string; name: string; folder: string }>;
  empty_groups: Array<{ name: string; folder: string; dynamic: boolean }>;
}

const refOf = (r: RuleView): RuleRef => ({
  rule: r.name,
  folder: r.folder,
  position: r.position,
  index: r.index,
});
const isAny = (l: string[]) => l.length === 0 || l.includes('any');
const subset = (b: string[], a: string[]) => isAny(a) || (!isAny(b) && b.every((x) => a.includes(x)));

type Leaf = { set: IpSet } | { opaque: string };

/** Per rule and field: the values its entries reach (IP sets; names for what has no IP value). */
class Leaves {
  readonly #cache = new Map<string, Leaf[]>();
  constructor(readonly index: PolicyIndex) {}
  of(entry: string): Leaf[] {
    const have = this.#cache.get(entry);
    if (have) return have;
    const { index } = this;
    let out: Leaf[];
    const lit = parseIpSet(entry);
    if (lit) out = [{ set: lit }];
    else if (index.groups.has(entry)) out = index.leavesOf(entry).flatMap((l) => this.of(l.address));
    else {
      const a = index.addresses.get(entry);
      out = a?.set ? [{ set: a.set }] : [{ opaque: a?.fqdn ? `fqdn:${a.fqdn}` : entry }];
    }
    this.#cache.set(entry, out);
    return out;
  }
}

function addressCovered(L: Leaves, b: string[], a: string[]): boolean {
  if (isAny(a)) return true;
  if (isAny(b)) return false;
  const aLeaves = a.flatMap((e) => L.of(e));
  return b.every((e) =>
    L.of(e).every((leaf) =>
      'set' in leaf
        ? aLeaves.some((x) => 'set' in x && overlap(x.set, leaf.set) === 'all')
        : aLeaves.some((x) => 'opaque' in x && x.opaque === leaf.opaque),
    ),
  );
}

function serviceDefs(index: PolicyIndex, name: string, seen = new Set<string>()): ServiceDef[] | undefined {
  if (PREDEFINED_SERVICES[name]) return PREDEFINED_SERVICES[name];
  if (index.services.has(name)) return index.services.get(name);
  const m = index.serviceGroups.get(name);
  if (!m || seen.has(name)) return undefined;
  seen.add(name);
  const out: ServiceDef[] = [];
  for (const x of m) {
    const d = serviceDefs(index, x, seen);
    if (!d) return undefined;
    out.push(...d);
  }
  return out;
}

function serviceCovered(index: PolicyIndex, b: RuleView, a: RuleView): boolean {
  if (isAny(a.service)) return true;
  if (isAny(b.service)) return false;
  if (a.service.includes('application-default') || b.service.includes('application-default'))
    return b.service.every((s) => a.service.includes(s));
  const aDefs = a.service.flatMap((s) => serviceDefs(index, s) ?? []);
  return b.service.every((s) => {
    const defs = serviceDefs(index, s);
    return (
      !!defs &&
      defs.every((d) =>
        d.ports.every((r) =>
          aDefs.some((x) => x.protocol === d.protocol && x.ports.some((p) => p.lo <= r.lo && p.hi >= r.hi)),
        ),
      )
    );
  });
}

function appsOf(index: PolicyIndex, list: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    const m = index.appGroups.get(n);
    if (m) m.forEach(walk);
    else out.push(n);
  };
  list.forEach(walk);
  return out;
}

/** Does earlier rule `a` match everything later rule `b` matches? Only ever yes when certain. */
export function covers(index: PolicyIndex, L: Leaves, a: RuleView, b: RuleView): boolean {
  if (a.negateSource !== b.negateSource || a.negateDestination !== b.negateDestination) return false;
  if (a.negateSource && a.source.join() !== b.source.join()) return false;
  if (a.negateDestination && a.destination.join() !== b.destination.join()) return false;
  if (a.schedule && a.schedule !== b.schedule) return false;
  return (
    subset(b.from, a.from) &&
    subset(b.to, a.to) &&
    subset(b.sourceUser, a.sourceUser) &&
    subset(b.category, a.category) &&
    subset(b.sourceHip, a.sourceHip) &&
    subset(b.destinationHip, a.destinationHip) &&
    (isAny(a.application) ||
      (!isAny(b.application) && subset(appsOf(index, b.application), appsOf(index, a.application)))) &&
    serviceCovered(index, b, a) &&
    (a.negateSource || addressCovered(L, b.source, a.source)) &&
    (a.negateDestination || addressCovered(L, b.destination, a.destination))
  );
}

const COUNTRY = /^[A-Z]{2}$/;

/** Findings for the folder's rulebase and the objects it sees. Configuration-level only: no hit counts. */
export function analyze(index: PolicyIndex): Analysis {
  const out: Analysis = {
    shadowed: [],
    redundant: [],
    permissive: [],
    disabled: [],
    dangling: [],
    unused: [],
    empty_groups: [],
  };
  const L = new Leaves(index);
  const live = index.rules.filter((r) => !r.disabled);
  for (const [i, b] of live.entries()) {
    for (const a of live.slice(0, i)) {
      if (!covers(index, L, a, b)) continue;
      if (a.action === b.action) out.redundant.push({ ...refOf(b), by: refOf(a) });
      else out.shadowed.push({ ...refOf(b), action: b.action, by: { ...refOf(a), action: a.action } });
      break;
    }
    if (
      b.action === 'allow' &&
      isAny(b.source) &&
      isAny(b.destination) &&
      isAny(b.application) &&
      !b.negateSource &&
      !b.negateDestination
    )
      out.permissive.push({ ...refOf(b), why: 'allows any source to any destination for any application' });
  }
  for (const r of index.rules) if (r.disabled) out.disabled.push(refOf(r));

  const has = (kinds: Array<Parameters<PolicyIndex['kind']>[0]>, n: string) =>
    kinds.some((k) => index.kind(k).has(n));
  const addr = (n: string) =>
    n === 'any' ||
    !!parseIpSet(n) ||
    COUNTRY.test(n) ||
    has(['address', 'addressGroup', 'externalDynamicList', 'region'], n);
  const svc = (n: string) =>
    n === 'any' ||
    n === 'application-default' ||
    !!PREDEFINED_SERVICES[n] ||
    has(['service', 'serviceGroup'], n);
  const tag = (n: string) => has(['tag'], n);
  const dangle = (
    kind: string,
    name: string,
    folder: string,
    field: string,
    list: string[],
    ok: (n: string) => boolean,
  ) => {
    for (const m of list) if (!ok(m)) out.dangling.push({ kind, name, folder, field, missing: m });
  };
  for (const r of index.rules) {
    dangle('securityRule', r.name, r.folder, 'source', r.source, addr);
    dangle('securityRule', r.name, r.folder, 'destination', r.destination, addr);
    dangle('securityRule', r.name, r.folder, 'service', r.service, svc);
    dangle('securityRule', r.name, r.folder, 'tag', strs(r.raw.tag), tag);
    const pg = (r.raw.profile_setting as { group?: unknown } | undefined)?.group;
    dangle('securityRule', r.name, r.folder, 'profile_setting.group', strs(pg), (n) =>
      has(['profileGroup'], n),
    );
  }
  for (const g of index.groups.values()) {
    dangle('addressGroup', g.obj.name, g.obj.folder, 'static', g.static ?? [], (n) =>
      has(['address', 'addressGroup'], n),
    );
    dangle('addressGroup', g.obj.name, g.obj.folder, 'tag', strs(g.obj.raw.tag), tag);
    if (!index.membersOf(g.obj.name).length)
      out.empty_groups.push({ name: g.obj.name, folder: g.obj.folder, dynamic: !!g.filter });
  }
  for (const [name, members] of index.serviceGroups) {
    const o = index.kind('serviceGroup').get(name)!;
    dangle('serviceGroup', name, o.folder, 'members', members, svc);
  }
  for (const a of index.addresses.values()) dangle('address', a.obj.name, a.obj.folder, 'tag', a.tags, tag);

  const refs = referrerIndex(index);
  const used = (n: string) =>
    (refs.get(n) ?? []).some((r) => r.kind === 'securityRule' || r.kind.endsWith('Group')) ||
    index.parents.has(n);
  for (const kind of ['address', 'addressGroup', 'service', 'serviceGroup', 'applicationGroup'] as const)
    for (const o of index.kind(kind).values())
      if (!used(o.name)) out.unused.push({ kind, name: o.name, folder: o.folder });
  return out;
}
