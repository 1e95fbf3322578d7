import { formatIpSet, type IpSet, isFqdn, overlap, parseIpSet } from './ip.js';
import type { PolicyIndex } from './index-build.js';
import { type Item, strs } from './snapshot.js';
import { parseTagExpr, tagsIn } from './tag-expr.js';
import { normalUrl, urlInCategory } from './url.js';

/** One object that names another, with the field it names it in. */
export interface Referrer {
  kind: string;
  name: string;
  folder: string;
  field: string;
  position?: string;
  index?: number;
  /** Rules: place in evaluation order (1-based). */
  order?: number;
}

/** Fields that name other objects, per kind (rules separately). Profile groups: every list field. */
const FIELDS: Record<string, string[]> = {
  address: ['tag'],
  addressGroup: ['static', 'tag', 'dynamic.filter'],
  service: ['tag'],
  serviceGroup: ['members', 'tag'],
  applicationGroup: ['members'],
  externalDynamicList: [],
  urlCategory: [],
  dynamicUserGroup: ['tag', 'filter'],
  schedule: [],
};
const RULE_FIELDS = [
  'source',
  'destination',
  'source_user',
  'application',
  'service',
  'category',
  'tag',
  'source_hip',
  'destination_hip',
  'schedule',
  'profile_setting.group',
];
const SKIP = new Set(['id', 'name', 'folder', 'snippet', 'device', 'description']);

function valuesAt(raw: Item, path: string): string[] {
  const [head, tail] = path.split('.') as [string, string | undefined];
  const v = raw[head];
  if (!tail) return strs(v);
  const inner = v && typeof v === 'object' ? (v as Item)[tail] : undefined;
  if (path.endsWith('filter')) {
    try {
      return typeof inner === 'string' ? tagsIn(parseTagExpr(inner)) : [];
    } catch {
      return [];
    }
  }
  return strs(inner);
}

const built = new WeakMap<PolicyIndex, Map<string, Referrer[]>>();

/** Name -> every object and rule that names it, built once per snapshot. */
export function referrerIndex(index: PolicyIndex): Map<string, Referrer[]> {
  const have = built.get(index);
  if (have) return have;
  const refs = new Map<string, Referrer[]>();
  const add = (name: string, r: Referrer) => {
    const list = refs.get(name);
    if (list) list.push(r);
    else refs.set(name, [r]);
  };
  for (const obj of index.all) {
    const fields =
      obj.kind === 'profileGroup'
        ? Object.keys(obj.raw).filter((k) => !SKIP.has(k) && Array.isArray(obj.raw[k]))
        : (FIELDS[obj.kind] ?? []);
    for (const field of fields)
      for (const v of new Set(valuesAt(obj.raw, field)))
        add(v, { kind: obj.kind, name: obj.name, folder: obj.folder, field });
  }
  for (const r of index.rules)
    for (const field of RULE_FIELDS)
      for (const v of new Set(valuesAt(r.raw, field)))
        add(v, {
          kind: 'securityRule',
          name: r.name,
          folder: r.folder,
          field,
          position: r.position,
          index: r.index,
          order: r.order,
        });
  built.set(index, refs);
  return refs;
}

/** What names `name` directly (delete previews). */
export function directReferrers(index: PolicyIndex, name: string): Referrer[] {
  return referrerIndex(index).get(name) ?? [];
}

export interface WhereUsed {
  /** Objects named so, or (for a value) addresses and URL categories that hold it. */
  objects: Array<{ kind: string; name: string; folder: string; value?: string; relation?: string }>;
  /** Address groups holding it, directly or through other groups, with the path from the group down. */
  groups: Array<{ name: string; folder: string; path: string[]; dynamic?: boolean }>;
  /** Rules that name it or a group holding it (or an IP literal holding the value). */
  rules: Array<{
    name: string;
    folder: string;
    position: string;
    index: number;
    fields: string[];
    via?: string;
    disabled?: boolean;
  }>;
  /** Every other object that names it, with the field. */
  others: Referrer[];
  notes: string[];
}

const addressValue = (raw: Item) =>
  (['ip_netmask', 'ip_range', 'ip_wildcard', 'fqdn'] as const)
    .map((k) => raw[k])
    .find((v) => typeof v === 'string') as string | undefined;

/** Where-used for an object name or a raw value (IP, CIDR, range, FQDN, URL). */
export function whereUsed(index: PolicyIndex, q: { name?: string } | { value: string }): WhereUsed {
  const refs = referrerIndex(index);
  const out: WhereUsed = { objects: [], groups: [], rules: [], others: [], notes: [] };
  const roots: string[] = [];
  const literalRules = new Map<string, Set<string>>();
  if ('name' in q && q.name !== undefined) {
    for (const [kind, map] of index.byKind) {
      const o = map.get(q.name);
      if (o) {
        const value = kind === 'address' ? addressValue(o.raw) : undefined;
        out.objects.push({ kind, name: o.name, folder: o.folder, ...(value ? { value } : {}) });
      }
    }
    roots.push(q.name);
  } else if ('value' in q) {
    const set = parseIpSet(q.value);
    if (set) {
      for (const a of index.addresses.values()) {
        if (!a.set) continue;
        const relation = relationOf(a.set, set);
        if (!relation) continue;
        out.objects.push({
          kind: 'address',
          name: a.obj.name,
          folder: a.obj.folder,
          value: formatIpSet(a.set),
          relation,
        });
        roots.push(a.obj.name);
      }
      for (const r of index.rules)
        for (const field of ['source', 'destination'] as const)
          for (const e of r[field]) {
            const lit = parseIpSet(e);
            if (lit && relationOf(lit, set)) {
              const key = `${r.order}`;
              (literalRules.get(key) ?? literalRules.set(key, new Set()).get(key)!).add(field);
            }
          }
      if (index.kind('externalDynamicList').size)
        out.notes.push(
          'External dynamic lists are not searched: their entries are not in the configuration.',
        );
    } else {
      const url = normalUrl(q.value);
      const host = url.split('/')[0]!;
      for (const a of index.addresses.values())
        if (a.fqdn && a.fqdn === host) {
          out.objects.push({
            kind: 'address',
            name: a.obj.name,
            folder: a.obj.folder,
            value: a.fqdn,
            relation: 'equals',
          });
          roots.push(a.obj.name);
        }
      for (const c of index.kind('urlCategory').values())
        if (urlInCategory(q.value, c.raw)) {
          out.objects.push({ kind: 'urlCategory', name: c.name, folder: c.folder, relation: 'lists' });
          roots.push(c.name);
        }
      if (isFqdn(host))
        out.notes.push(
          'Address objects holding IPs are not matched against a name: DNS is not in the configuration.',
        );
    }
  }
  // Groups up from every root, breadth first, each with the first path found.
  const groupPath = new Map<string, string[]>();
  const queue = roots.map((r) => [r, [r]] as [string, string[]]);
  for (let i = 0; i < queue.length; i++) {
    const [n, path] = queue[i]!;
    for (const g of index.parents.get(n) ?? []) {
      if (groupPath.has(g) || roots.includes(g)) continue;
      groupPath.set(g, [g, ...path]);
      queue.push([g, [g, ...path]]);
    }
  }
  for (const [g, path] of groupPath) {
    const view = index.groups.get(g)!;
    out.groups.push({ name: g, folder: view.obj.folder, path, ...(view.expr ? { dynamic: true } : {}) });
  }
  const rules = new Map<number, WhereUsed['rules'][number]>();
  for (const n of [...roots, ...groupPath.keys()])
    for (const r of refs.get(n) ?? []) {
      if (r.kind !== 'securityRule') {
        if (roots.includes(n) && !(r.kind === 'addressGroup' && groupPath.has(r.name))) out.others.push(r);
        continue;
      }
      const rule = index.rules[r.order! - 1]!;
      const have = rules.get(rule.order);
      if (have) {
        if (!have.fields.includes(r.field)) have.fields.push(r.field);
        continue;
      }
      rules.set(rule.order, {
        name: rule.name,
        folder: rule.folder,
        position: rule.position,
        index: rule.index,
        fields: [r.field],
        ...(roots.includes(n) ? {} : { via: n }),
        ...(rule.disabled ? { disabled: true } : {}),
      });
    }
  for (const [order, fields] of literalRules) {
    const rule = index.rules[Number(order) - 1]!;
    if (!rules.has(rule.order))
      rules.set(rule.order, {
        name: rule.name,
        folder: rule.folder,
        position: rule.position,
        index: rule.index,
        fields: [...fields],
        via: 'an IP literal',
      });
  }
  out.rules = [...rules.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
  return out;
}

/** contains: the object holds all of the value; inside: the value holds all of the object; overlaps: part. */
function relationOf(obj: IpSet, value: IpSet): string | undefined {
  const o = overlap(obj, value);
  if (o === 'all') return 'contains';
  if (o === 'none') return undefined;
  return overlap(value, obj) === 'all' ? 'inside' : 'overlaps';
}
