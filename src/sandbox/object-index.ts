import { containerOf, nameOf, type StoredObject } from './store.js';

interface Entry {
  list: StoredObject[];
  generation: number;
  byId: Map<string, StoredObject>;
  /** `container \0 name` -> object. */
  byName: Map<string, StoredObject>;
  /** Container -> its objects, in list order. */
  byContainer: Map<string, StoredObject[]>;
}

const nameKey = (container: string, name: string) => `${container}\0${name}`;

function group(entry: Entry, container: string): StoredObject[] {
  let objects = entry.byContainer.get(container);
  if (!objects) {
    objects = [];
    entry.byContainer.set(container, objects);
  }
  return objects;
}

/**
 * Candidate objects by id, by container, and by container and name, per resource, so lookups and uniqueness checks do not
 * scan. An entry holds while the state's generation is the one it was built or carried forward at; any other
 * change (moves, loads, job progress, a test editing the state) makes the next lookup rebuild it.
 */
export class ObjectIndex {
  readonly #entries = new Map<string, Entry>();
  readonly #list: (resource: string) => StoredObject[];
  readonly #generation: () => number;

  constructor(list: (resource: string) => StoredObject[], generation: () => number) {
    this.#list = list;
    this.#generation = generation;
  }

  #entry(resource: string): Entry {
    const list = this.#list(resource);
    const generation = this.#generation();
    const cached = this.#entries.get(resource);
    if (cached && cached.list === list && cached.generation === generation) return cached;
    const entry: Entry = { list, generation, byId: new Map(), byName: new Map(), byContainer: new Map() };
    for (const o of list) {
      entry.byId.set(o.id, o);
      group(entry, containerOf(o)).push(o);
      const name = nameOf(o);
      // First wins, as a scan in list order would find it.
      if (name !== undefined && !entry.byName.has(nameKey(containerOf(o), name)))
        entry.byName.set(nameKey(containerOf(o), name), o);
    }
    this.#entries.set(resource, entry);
    return entry;
  }

  byId(resource: string, id: string): StoredObject | undefined {
    return this.#entry(resource).byId.get(id);
  }

  byName(resource: string, container: string, name: string): StoredObject | undefined {
    return this.#entry(resource).byName.get(nameKey(container, name));
  }

  /** The objects of one container, in list order. Read-only: the index owns the array. */
  inContainer(resource: string, container: string): readonly StoredObject[] {
    return this.#entry(resource).byContainer.get(container) ?? [];
  }

  /**
   * After one indexed change and its `changed()`: keeps the entry instead of rebuilding it. `before` is the
   * object's name before the change (update); `removed` when it left the list.
   */
  carry(resource: string, obj: StoredObject, change: { before?: string; removed?: boolean } = {}): void {
    const entry = this.#entries.get(resource);
    const generation = this.#generation();
    if (!entry || entry.list !== this.#list(resource) || entry.generation !== generation - 1) return;
    entry.generation = generation;
    const container = containerOf(obj);
    if (change.before !== undefined && entry.byName.get(nameKey(container, change.before)) === obj)
      entry.byName.delete(nameKey(container, change.before));
    const name = nameOf(obj);
    if (change.removed) {
      entry.byId.delete(obj.id);
      const objects = group(entry, container);
      const at = objects.indexOf(obj);
      if (at >= 0) objects.splice(at, 1);
      if (name !== undefined && entry.byName.get(nameKey(container, name)) === obj)
        entry.byName.delete(nameKey(container, name));
      return;
    }
    // A new object was appended to the list, so it also ends its container's group.
    if (!entry.byId.has(obj.id)) group(entry, container).push(obj);
    entry.byId.set(obj.id, obj);
    if (name !== undefined && !entry.byName.has(nameKey(container, name)))
      entry.byName.set(nameKey(container, name), obj);
  }
}
