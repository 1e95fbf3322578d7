/** Config objects of one configuration (candidate, running or a saved version) and their order. */

export type Position = 'pre' | 'post';

export interface StoredObject {
  id: string;
  /** Exactly one of folder and snippet for scoped resources; neither for tenant-wide ones. */
  folder?: string;
  snippet?: string;
  /** Rules only: the rulebase. */
  position?: Position;
  /** The fields as the client sent them (validated), without id and container. */
  data: Record<string, unknown>;
}

/** Objects per resource, in creation (and, for rules, evaluation) order. */
export type ConfigData = Record<string, StoredObject[]>;

export const containerOf = (o: StoredObject): string => o.folder ?? o.snippet ?? '';

/** The display name: most objects have `name`; certificates are created with `certificate_name`. */
export function nameOf(o: StoredObject): string | undefined {
  const n = o.data.name ?? o.data.certificate_name;
  return typeof n === 'string' ? n : undefined;
}

export const cloneConfig = (c: ConfigData): ConfigData => structuredClone(c);

export function objectsOf(config: ConfigData, resource: string): StoredObject[] {
  let list = config[resource];
  if (!list) {
    list = [];
    config[resource] = list;
  }
  return list;
}

/** The object of that name the chain resolves to, nearest container first. */
export function resolveName(
  config: ConfigData,
  resources: string[],
  chain: string[],
  name: string,
): { resource: string; object: StoredObject } | undefined {
  for (const c of chain) {
    for (const resource of resources) {
      const object = config[resource]?.find((o) => containerOf(o) === c && nameOf(o) === name);
      if (object) return { resource, object };
    }
  }
  return undefined;
}

export type Destination = 'top' | 'bottom' | 'before' | 'after';

/**
 * Moves `obj` within its (container, position) group. `anchor` is the rule it goes before or after.
 * Rules of other groups keep their places, so every folder's order is independent.
 */
export function moveObject(
  list: StoredObject[],
  obj: StoredObject,
  destination: Destination,
  anchor?: StoredObject,
): void {
  const from = list.indexOf(obj);
  if (from >= 0) list.splice(from, 1);
  const group = list.filter((o) => containerOf(o) === containerOf(obj) && o.position === obj.position);
  let at: number;
  if (destination === 'before' || destination === 'after') {
    const i = anchor ? list.indexOf(anchor) : -1;
    at = i < 0 ? list.length : destination === 'before' ? i : i + 1;
  } else if (destination === 'top') {
    const first = group[0];
    at = first ? list.indexOf(first) : list.length;
  } else {
    const last = group[group.length - 1];
    at = last ? list.indexOf(last) + 1 : list.length;
  }
  list.splice(at, 0, obj);
}

/**
 * Running after a push: the pushed candidate's objects for the pushed containers, running's for the
 * rest, each side keeping its own order.
 */
export function mergeForPush(running: ConfigData, pushed: ConfigData, containers: Set<string>): ConfigData {
  const out: ConfigData = {};
  for (const resource of new Set([...Object.keys(running), ...Object.keys(pushed)])) {
    const kept = (running[resource] ?? []).filter((o) => !containers.has(containerOf(o)));
    const taken = (pushed[resource] ?? []).filter((o) => containers.has(containerOf(o)));
    out[resource] = structuredClone([...taken, ...kept]);
  }
  return out;
}

export interface ConfigDiff {
  added: Array<{ resource: string; id: string; name?: string; container: string }>;
  modified: Array<{ resource: string; id: string; name?: string; container: string }>;
  deleted: Array<{ resource: string; id: string; name?: string; container: string }>;
}

/** Objects that differ between two configurations (order changes count as modified). */
export function diffConfig(from: ConfigData, to: ConfigData): ConfigDiff {
  const diff: ConfigDiff = { added: [], modified: [], deleted: [] };
  const entry = (resource: string, o: StoredObject) => ({
    resource,
    id: o.id,
    name: nameOf(o),
    container: containerOf(o),
  });
  for (const resource of new Set([...Object.keys(from), ...Object.keys(to)])) {
    const before = from[resource] ?? [];
    const after = to[resource] ?? [];
    const afterIds = new Set(after.map((o) => o.id));
    const beforeById = new Map(before.map((o) => [o.id, o]));
    // Relative order of the objects on both sides: a move shows as a modification.
    const commonBefore = before.filter((o) => afterIds.has(o.id)).map((o) => o.id);
    const commonAfter = after.filter((o) => beforeById.has(o.id)).map((o) => o.id);
    for (const o of after) {
      const old = beforeById.get(o.id);
      if (!old) diff.added.push(entry(resource, o));
      else if (
        JSON.stringify(old) !== JSON.stringify(o) ||
        commonBefore.indexOf(o.id) !== commonAfter.indexOf(o.id)
      )
        diff.modified.push(entry(resource, o));
    }
    for (const o of before) if (!afterIds.has(o.id)) diff.deleted.push(entry(resource, o));
  }
  return diff;
}
