import { type Indicator, keyOfAddress } from './indicators.js';
import {
  type Direction,
  GROUP_MEMBER_LIMIT,
  groupIndex,
  groupName,
  MANAGED,
  type RuleRole,
  rulesFor,
} from './managed.js';

type J = Record<string, any>;

/** What planning reads: the folder's effective objects (own and inherited) and its own `pre` rules in order. */
export interface Snapshot {
  folder: string;
  addresses: J[];
  groups: J[];
  categories: J[];
  tags: J[];
  rules: J[];
}

export interface AddressStep {
  indicator: Indicator;
  /** The object that holds (or will hold) the value. */
  name: string;
  create: boolean;
}

/** A managed group or the category: its members now and what the batch adds. */
export interface MemberSet {
  name: string;
  id?: string;
  current: string[];
  add: string[];
  create: boolean;
}

export interface RuleStep {
  role: RuleRole;
  name: string;
  id?: string;
  field: 'source' | 'destination' | 'category';
  want: string[];
  create: boolean;
  /** The rule exists but misses some of `want`. */
  update: boolean;
  /** Existing rule not first in the folder's pre rulebase: reported, never moved (we never reorder rules). */
  notAtTop?: boolean;
}

export interface BlockPlan {
  folder: string;
  direction: Direction;
  toBlock: Indicator[];
  alreadyBlocked: Indicator[];
  /** URLs with direction inbound: URL categories match outbound web traffic only. */
  notApplicable: Indicator[];
  addresses: AddressStep[];
  tagCreate: boolean;
  groups: MemberSet[];
  category?: MemberSet;
  rules: RuleStep[];
  /** Requests the plan would send (a rule create counts two: create and move to the top). */
  writes: number;
}

const own = (folder: string) => (o: J) => o.folder === undefined || o.folder === folder;
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** Pure: what blocking these indicators in this folder would change, given what exists. */
export function planBlock(
  indicators: Indicator[],
  snap: Snapshot,
  direction: Direction,
  opts: { groupLimit?: number } = {},
): BlockPlan {
  const limit = opts.groupLimit ?? GROUP_MEMBER_LIMIT;
  const mine = own(snap.folder);
  // Prefer our own deterministic name, then any object (own or inherited) holding the same value.
  const byKey = new Map<string, string>();
  for (const a of snap.addresses) {
    const key = keyOfAddress(a);
    if (key && typeof a.name === 'string' && !byKey.has(key)) byKey.set(key, a.name);
  }

  const managedGroups = snap.groups
    .filter((g) => mine(g) && groupIndex(String(g.name)) !== undefined)
    .sort((a, b) => groupIndex(a.name)! - groupIndex(b.name)!)
    .map((g): MemberSet => ({ name: g.name, id: g.id, current: strings(g.static), add: [], create: false }));
  const grouped = new Set(managedGroups.flatMap((g) => g.current));
  const cat = snap.categories.find((c) => mine(c) && c.name === MANAGED.category);
  const category: MemberSet = cat
    ? { name: cat.name, id: cat.id, current: strings(cat.list), add: [], create: false }
    : { name: MANAGED.category, current: [], add: [], create: true };
  const listed = new Set(category.current);

  const addresses: AddressStep[] = [];
  const toBlock: Indicator[] = [];
  const alreadyBlocked: Indicator[] = [];
  const notApplicable: Indicator[] = [];
  const newMembers: string[] = [];
  for (const ind of indicators) {
    if (!ind.addressField && direction === 'inbound') {
      notApplicable.push(ind);
      continue;
    }
    let pending = false;
    if (ind.addressField) {
      const existing = byKey.get(ind.key);
      const name = existing ?? ind.name;
      addresses.push({ indicator: ind, name, create: !existing });
      if (!grouped.has(name)) {
        grouped.add(name);
        newMembers.push(name);
        pending = true;
      }
      if (!existing) pending = true;
    }
    if (ind.urlEntry && direction !== 'inbound' && !listed.has(ind.urlEntry)) {
      listed.add(ind.urlEntry);
      category.add.push(ind.urlEntry);
      pending = true;
    }
    (pending ? toBlock : alreadyBlocked).push(ind);
  }

  // Fill groups in order up to the limit, then spill into the next numbered group.
  let n = 0;
  for (const member of newMembers) {
    while (managedGroups[n] && managedGroups[n]!.current.length + managedGroups[n]!.add.length >= limit) n++;
    if (!managedGroups[n]) {
      const index = managedGroups.length ? groupIndex(managedGroups[managedGroups.length - 1]!.name)! + 1 : 1;
      managedGroups.push({ name: groupName(index), current: [], add: [], create: true });
    }
    managedGroups[n]!.add.push(member);
  }
  const groups = managedGroups.filter((g) => g.current.length || g.add.length);
  const hasCategory = category.current.length + category.add.length > 0;

  const ownRules = snap.rules.filter(mine);
  const rules: RuleStep[] = [];
  for (const role of rulesFor(direction)) {
    const field = role === 'inbound' ? 'source' : role === 'outbound' ? 'destination' : 'category';
    const want = role === 'urls' ? (hasCategory ? [MANAGED.category] : []) : groups.map((g) => g.name);
    if (!want.length) continue;
    const name = MANAGED.rules[role];
    const at = ownRules.findIndex((r) => r.name === name);
    const rule = ownRules[at];
    const have = new Set(strings(rule?.[field]));
    rules.push({
      role,
      name,
      ...(rule ? { id: rule.id } : {}),
      field,
      want,
      create: !rule,
      update: !!rule && want.some((w) => !have.has(w)),
      ...(rule && ownRules.slice(0, at).some((r) => !Object.values(MANAGED.rules).includes(r.name))
        ? { notAtTop: true }
        : {}),
    });
  }
  // Indicators whose objects exist and are grouped still need their rule.
  if (rules.some((r) => r.create || r.update)) {
    for (const ind of [...alreadyBlocked]) {
      alreadyBlocked.splice(alreadyBlocked.indexOf(ind), 1);
      toBlock.push(ind);
    }
  }

  const tagCreate =
    (addresses.some((a) => a.create) || groups.some((g) => !g.id) || rules.some((r) => r.create)) &&
    !snap.tags.some((t) => t.name === MANAGED.tag);
  const writes =
    addresses.filter((a) => a.create).length +
    (tagCreate ? 1 : 0) +
    groups.filter((g) => g.add.length).length +
    (category.add.length ? 1 : 0) +
    rules.reduce((sum, r) => sum + (r.create ? 2 : r.update ? 1 : 0), 0);
  return {
    folder: snap.folder,
    direction,
    toBlock,
    alreadyBlocked,
    notApplicable,
    addresses,
    tagCreate,
    groups,
    ...(hasCategory ? { category } : {}),
    rules,
    writes,
  };
}
