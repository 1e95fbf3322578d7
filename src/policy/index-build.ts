import { type IpSet, parseIpSet } from './ip.js';
import { AddressLookup } from './lookup.js';
import {
  type Item,
  type ObjectKind,
  OBJECT_KINDS,
  ownerOf,
  type Position,
  type SnapshotData,
  str,
  strs,
} from './snapshot.js';
import { evalTagExpr, parseTagExpr, type TagExpr } from './tag-expr.js';

/** One named object of the snapshot. */
export interface Obj {
  kind: ObjectKind;
  name: string;
  folder: string;
  raw: Item;
}

export interface AddressView {
  obj: Obj;
  set?: IpSet;
  fqdn?: string;
  tags: string[];
}

export interface PortRange {
  lo: number;
  hi: number;
}
export interface ServiceDef {
  protocol: string;
  ports: PortRange[];
}

export interface RuleView {
  name: string;
  folder: string;
  position: Position;
  /** 1-based place in its folder's pre or post list. */
  index: number;
  /** 1-based place in evaluation order. */
  order: number;
  action: string;
  disabled: boolean;
  from: string[];
  to: string[];
  source: string[];
  destination: string[];
  negateSource: boolean;
  negateDestination: boolean;
  sourceUser: string[];
  application: string[];
  service: string[];
  category: string[];
  sourceHip: string[];
  destinationHip: string[];
  schedule?: string;
  /** The lists joined, so a query decides each distinct list once. */
  keys: { application: string; service: string; source: string; destination: string };
  raw: Item;
}

export interface GroupView {
  obj: Obj;
  static?: string[];
  filter?: string;
  expr?: TagExpr;
  /** Why the filter could not be read, when it could not. */
  filterError?: string;
}

/** Services every tenant has without defining them. */
export const PREDEFINED_SERVICES: Record<string, ServiceDef[]> = {
  'service-http': [
    {
      protocol: 'tcp',
      ports: [
        { lo: 80, hi: 80 },
        { lo: 8080, hi: 8080 },
      ],
    },
  ],
  'service-https': [{ protocol: 'tcp', ports: [{ lo: 443, hi: 443 }] }],
};

/** `80,443,8000-8099` -> ranges; undefined when any part is not a port. */
export function parsePorts(s: string): PortRange[] | undefined {
  const out: PortRange[] = [];
  for (const part of s.split(',').map((p) => p.trim())) {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = Number(m[2] ?? m[1]);
    if (lo > hi || hi > 65535) return undefined;
    out.push({ lo, hi });
  }
  return out;
}

const lower = (s: string) => s.toLowerCase();

/**
 * The snapshot indexed for evaluation: names resolved as the folder sees them (the nearest definition wins),
 * group membership both ways, rules in evaluation order. Pure: no I/O.
 */
export class PolicyIndex {
  readonly folder: string;
  readonly chain: string[];
  readonly loadedAt: number;
  readonly missing: string[];
  readonly byKind = new Map<ObjectKind, Map<string, Obj>>();
  readonly addresses = new Map<string, AddressView>();
  readonly groups = new Map<string, GroupView>();
  /** Address or group name -> the address groups holding it directly (static member or dynamic match). */
  readonly parents = new Map<string, string[]>();
  readonly rules: RuleView[] = [];
  readonly services = new Map<string, ServiceDef[]>();
  readonly serviceGroups = new Map<string, string[]>();
  readonly appGroups = new Map<string, string[]>();
  /** Dynamic group -> the addresses its filter selects. */
  readonly #dynamic = new Map<string, string[]>();
  /** Every object, for find (all definitions, not only the nearest). */
  readonly all: Obj[] = [];

  constructor(data: SnapshotData) {
    this.folder = data.folder;
    this.chain = data.chain;
    this.loadedAt = data.loadedAt;
    this.missing = data.missing;
    const depth = (f: string) => {
      const i = this.chain.indexOf(f);
      return i < 0 ? this.chain.length : i;
    };
    for (const kind of OBJECT_KINDS) {
      const map = new Map<string, Obj>();
      const best = new Map<string, number>();
      for (const raw of data.objects[kind] ?? []) {
        const name = str(raw.name);
        if (!name) continue;
        const folder = ownerOf(raw) ?? data.folder;
        const obj: Obj = { kind, name, folder, raw };
        this.all.push(obj);
        const d = depth(folder);
        if ((best.get(name) ?? -1) <= d) {
          best.set(name, d);
          map.set(name, obj);
        }
      }
      this.byKind.set(kind, map);
    }
    for (const obj of this.kind('address').values()) {
      const r = obj.raw;
      const ipText = str(r.ip_netmask) ?? str(r.ip_range) ?? str(r.ip_wildcard);
      const set = ipText ? parseIpSet(ipText) : undefined;
      const fqdn = str(r.fqdn)?.toLowerCase();
      this.addresses.set(obj.name, {
        obj,
        ...(set ? { set } : {}),
        ...(fqdn ? { fqdn } : {}),
        tags: strs(r.tag),
      });
    }
    for (const obj of this.kind('addressGroup').values()) {
      const r = obj.raw;
      const dyn = r.dynamic as { filter?: unknown } | undefined;
      const view: GroupView = { obj };
      if (Array.isArray(r.static)) view.static = strs(r.static);
      const filter = str(dyn?.filter);
      if (filter !== undefined) {
        view.filter = filter;
        try {
          view.expr = parseTagExpr(filter);
        } catch (err) {
          view.filterError = (err as Error).message;
        }
      }
      this.groups.set(obj.name, view);
      for (const m of view.static ?? []) this.#addParent(m, obj.name);
    }
    this.#dynamicMembers();
    for (const obj of this.kind('service').values()) {
      const proto = obj.raw.protocol as Record<string, { port?: unknown }> | undefined;
      const defs: ServiceDef[] = [];
      for (const [protocol, v] of Object.entries(proto ?? {})) {
        const ports = parsePorts(String(v?.port ?? ''));
        if (ports) defs.push({ protocol: lower(protocol), ports });
      }
      this.services.set(obj.name, defs);
    }
    for (const obj of this.kind('serviceGroup').values())
      this.serviceGroups.set(obj.name, strs(obj.raw.members));
    for (const obj of this.kind('applicationGroup').values())
      this.appGroups.set(obj.name, strs(obj.raw.members));
    this.#rules(data);
  }

  #lookup?: AddressLookup;
  readonly #ipMemo = new Map<string, IpSet | null>();

  /** Address candidates by IP, and which groups hold FQDN or IP addresses: built on first use. */
  get lookup(): AddressLookup {
    this.#lookup ??= new AddressLookup(this);
    return this.#lookup;
  }

  /** parseIpSet, remembered: rule fields repeat the same literals in every query. */
  ipSetOf(s: string): IpSet | undefined {
    let v = this.#ipMemo.get(s);
    if (v === undefined) {
      v = parseIpSet(s) ?? null;
      this.#ipMemo.set(s, v);
    }
    return v ?? undefined;
  }

  kind(k: ObjectKind): Map<string, Obj> {
    return this.byKind.get(k) ?? new Map();
  }

  #addParent(child: string, group: string) {
    const list = this.parents.get(child);
    if (list) {
      if (!list.includes(group)) list.push(group);
    } else this.parents.set(child, [group]);
  }

  /** Dynamic groups select addresses by tags; evaluated once per distinct tag set, not once per address. */
  #dynamicMembers() {
    const dynamic = [...this.groups.values()].filter((g) => g.expr);
    if (!dynamic.length) return;
    const byTags = new Map<string, string[]>();
    for (const a of this.addresses.values()) {
      if (!a.tags.length) continue;
      const key = [...a.tags].sort().join('\u0000');
      let groups = byTags.get(key);
      if (!groups) {
        const set = new Set(a.tags);
        groups = dynamic.filter((g) => evalTagExpr(g.expr!, set)).map((g) => g.obj.name);
        byTags.set(key, groups);
      }
      for (const g of groups) {
        this.#addParent(a.obj.name, g);
        const members = this.#dynamic.get(g);
        if (members) members.push(a.obj.name);
        else this.#dynamic.set(g, [a.obj.name]);
      }
    }
  }

  readonly #ancestors = new Map<string, string[]>();

  /** Every group holding `name`, directly or through other groups (cycles cut); remembered. */
  ancestorsOf(name: string): string[] {
    let out = this.#ancestors.get(name);
    if (out) return out;
    const seen = new Set<string>();
    const queue = [...(this.parents.get(name) ?? [])];
    for (let i = 0; i < queue.length; i++) {
      const g = queue[i]!;
      if (seen.has(g)) continue;
      seen.add(g);
      for (const p of this.parents.get(g) ?? []) if (!seen.has(p)) queue.push(p);
    }
    out = [...seen];
    this.#ancestors.set(name, out);
    return out;
  }

  /** Members of a group: static as written, dynamic as selected now. */
  membersOf(group: string): string[] {
    const g = this.groups.get(group);
    if (!g) return [];
    return g.static ?? this.#dynamic.get(group) ?? [];
  }

  /** Address names a group reaches through nested groups (cycles cut), with the path to each. */
  leavesOf(group: string): Array<{ address: string; path: string[] }> {
    const out: Array<{ address: string; path: string[] }> = [];
    const seen = new Set<string>();
    const walk = (g: string, path: string[]) => {
      if (seen.has(g)) return;
      seen.add(g);
      for (const m of this.membersOf(g)) {
        if (this.groups.has(m)) walk(m, [...path, m]);
        else out.push({ address: m, path: [...path, m] });
      }
    };
    walk(group, []);
    return out;
  }

  #rules(data: SnapshotData) {
    const ordered: Array<[string, Position]> = [
      ...data.chain.map((f): [string, Position] => [f, 'pre']),
      ...[...data.chain].reverse().map((f): [string, Position] => [f, 'post']),
    ];
    const seen = new Set<string>();
    for (const [folder, position] of ordered) {
      let index = 0;
      for (const raw of data.rules[folder]?.[position] ?? []) {
        const id = str(raw.id) ?? `${folder}/${position}/${str(raw.name)}`;
        if (seen.has(id)) continue;
        seen.add(id);
        index++;
        const name = str(raw.name) ?? id;
        const hip = (k: string) => strs(raw[k]);
        const key = (k: string) => strs(raw[k]).join('\u0001');
        this.rules.push({
          keys: {
            application: key('application'),
            service: key('service'),
            source: key('source'),
            destination: key('destination'),
          },
          name,
          folder: ownerOf(raw) ?? folder,
          position,
          index,
          order: this.rules.length + 1,
          action: str(raw.action) ?? 'allow',
          disabled: raw.disabled === true,
          from: strs(raw.from),
          to: strs(raw.to),
          source: strs(raw.source),
          destination: strs(raw.destination),
          negateSource: raw.negate_source === true,
          negateDestination: raw.negate_destination === true,
          sourceUser: strs(raw.source_user),
          application: strs(raw.application),
          service: strs(raw.service),
          category: strs(raw.category),
          sourceHip: hip('source_hip'),
          destinationHip: hip('destination_hip'),
          ...(str(raw.schedule) ? { schedule: str(raw.schedule)! } : {}),
          raw,
        });
      }
    }
  }
}
