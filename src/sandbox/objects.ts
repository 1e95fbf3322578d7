import { catalogueRows } from './catalogues.js';
import { type Container, containerFor, containerName, homeFolder, SCOPE_FIELDS } from './container.js';
import { type Call, type Core, ok, type Reply } from './context.js';
import {
  invalidObject,
  invalidQuery,
  missingBody,
  missingQuery,
  nameNotUnique,
  notPresent,
  referenceNotZero,
} from './errors.js';
import { toStored } from './hooks.js';
import { present } from './present.js';
import { checkRequiredQuery, page, positionOf } from './query.js';
import { referrersOf, refPath, renameAt } from './references.js';
import {
  containerOf,
  type Destination,
  moveObject,
  nameOf,
  type Position,
  type StoredObject,
} from './store.js';

const resourceOf = (call: Call) => call.route.op.resource;
const answersPage = (call: Call) =>
  !!(call.route.op.responseSchema?.properties as Record<string, unknown> | undefined)?.data;

function withoutScope(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([k]) => !SCOPE_FIELDS.includes(k)));
}

/** Fields the live API takes beyond the schema: the container, and `name` where the spec forgot it. */
const extrasFor = (call: Call) => ['name', ...(call.route.meta.scoped ? SCOPE_FIELDS : [])];

function describe(c: Container): string {
  return c.folder ? `folder ${c.folder}` : c.snippet ? `snippet ${c.snippet}` : 'the tenant';
}

/**
 * What a folder sees of a resource: own plus inherited objects (rules of one rulebase). Objects: root first.
 * Pre rules: ancestors' first; post rules: own first (as the firewall evaluates). Read-only.
 */
function visible(core: Core, call: Call, container: Container): readonly StoredObject[] {
  const resource = resourceOf(call);
  const position = call.route.meta.positioned ? positionOf(call.query) : undefined;
  if (!call.route.meta.scoped) return core.state.objects(resource);
  const chain = core.state.chain(containerName(container));
  const order = position === 'post' ? chain : [...chain].reverse();
  const groups = order.map((c) => {
    const own = core.state.index.inContainer(resource, c);
    return position === undefined ? own : own.filter((o) => o.position === position);
  });
  // One container (Shared) is the common case at scale: no copy of its objects.
  return groups.length === 1 ? groups[0]! : groups.flat();
}

export function list(core: Core, call: Call): Reply {
  checkRequiredQuery(call);
  const container = containerFor(core, call);
  const name = call.query.get('name');
  if (name !== null && call.route.op.inputs.some((i) => i.apiName === 'name')) {
    // `?name=` answers with the object itself; the nearest container wins over inherited ones.
    const position = call.route.meta.positioned ? positionOf(call.query) : undefined;
    const chain = call.route.meta.scoped ? core.state.chain(containerName(container)) : [''];
    const match = chain
      .map((c) => core.state.index.byName(resourceOf(call), c, name))
      .find((o) => o !== undefined && (position === undefined || o.position === position));
    if (!match)
      throw notPresent(`no ${call.route.meta.collection} named "${name}" in ${describe(container)}`);
    return ok(present(call.route.meta, match));
  }
  // Only the page is presented: a 50k-object folder costs one page of copies, not 50k.
  return ok(page(visible(core, call, container), call.query, (o) => present(call.route.meta, o)));
}

/** The object an id or key request names, or 404. */
function target(core: Core, call: Call): StoredObject {
  checkRequiredQuery(call);
  const { meta } = call.route;
  const resource = resourceOf(call);
  if (call.route.byId) {
    const id = call.params.id ?? '';
    const found = core.state.find(resource, id);
    if (!found) throw notPresent(`no ${meta.collection} with id ${id}`);
    return found;
  }
  const body = (call.body ?? {}) as Record<string, unknown>;
  const key =
    call.query.get(meta.keyField) ??
    (typeof body[meta.keyField] === 'string' ? String(body[meta.keyField]) : null);
  if (!key) throw missingQuery(meta.keyField);
  const container = containerFor(core, call, { fromBody: true });
  const found = core.state
    .objects(resource)
    .find((o) => containerOf(o) === containerName(container) && o.data[meta.keyField] === key);
  if (!found) throw notPresent(`no ${meta.collection} "${key}" in ${describe(container)}`);
  return found;
}

export function get(core: Core, call: Call): Reply {
  return ok(present(call.route.meta, target(core, call)));
}

function assertUnique(
  core: Core,
  call: Call,
  container: string,
  data: Record<string, unknown>,
  self?: string,
) {
  const { keyField } = call.route.meta;
  const probe: StoredObject = { id: '', data };
  const name = keyField === 'name' ? nameOf(probe) : (data[keyField] as string | undefined);
  if (name === undefined) return;
  const resource = resourceOf(call);
  // Names are indexed by container; other keys (host_id) are rare enough to scan for.
  const found =
    keyField === 'name'
      ? core.state.index.byName(resource, container, name)
      : core.state
          .objects(resource)
          .find((o) => o.id !== self && containerOf(o) === container && o.data[keyField] === name);
  const clash = found && found.id !== self;
  if (clash) throw nameNotUnique(name, container || 'the tenant');
}

export function create(core: Core, call: Call): Reply {
  checkRequiredQuery(call);
  if (call.body === undefined) throw missingBody();
  const container = containerFor(core, call, { fromBody: true });
  const home = homeFolder(call.route.meta.collection);
  if (home && container.folder !== home)
    throw invalidQuery(
      'folder',
      containerName(container),
      `${call.route.meta.collection} live in folder "${home}"`,
    );
  const position = call.route.meta.positioned ? positionOf(call.query) : undefined;
  core.validator.check(call.route.op, call.body, extrasFor(call));
  const data = toStored(resourceOf(call), call.route.kind, withoutScope(call.body), core.now());
  assertUnique(core, call, containerName(container), data);
  const obj: StoredObject = { id: core.uuid(), ...container, ...(position ? { position } : {}), data };
  core.state.objects(resourceOf(call)).push(obj);
  core.state.changed();
  core.state.index.carry(resourceOf(call), obj);
  return ok(present(call.route.meta, obj), 201);
}

export function update(core: Core, call: Call): Reply {
  if (call.body === undefined) throw missingBody();
  const obj = target(core, call);
  core.validator.check(call.route.op, call.body, extrasFor(call));
  const container = containerFor(core, call, { fromBody: true, required: false });
  if (containerName(container) && containerName(container) !== containerOf(obj))
    throw invalidObject([
      { field: 'folder', message: `cannot change: the object is in ${containerOf(obj)}` },
    ]);
  const data = toStored(resourceOf(call), 'update', withoutScope(call.body), core.now());
  // The name (or key) is the object's identity: a PUT that leaves it out keeps it.
  for (const key of new Set(['name', call.route.meta.keyField]))
    if (data[key] === undefined && obj.data[key] !== undefined) data[key] = obj.data[key];
  assertUnique(core, call, containerOf(obj), data, obj.id);
  const before = nameOf(obj);
  const after = nameOf({ id: '', data });
  if (before !== undefined && after !== undefined && before !== after) {
    // A rename carries over to everything that used the old name, as PAN-OS does.
    for (const r of referrersOf(core.state.data.candidate, core.state.chain, resourceOf(call), obj))
      renameAt(r.object.data, r.field.path, before, after);
  }
  obj.data = data;
  core.state.changed();
  core.state.index.carry(resourceOf(call), obj, before === undefined ? {} : { before });
  return ok(present(call.route.meta, obj));
}

export function remove(core: Core, call: Call): Reply {
  const obj = target(core, call);
  const refs = referrersOf(core.state.data.candidate, core.state.chain, resourceOf(call), obj);
  if (refs.length) throw referenceNotZero(nameOf(obj) ?? obj.id, refs.map(refPath));
  const list = core.state.objects(resourceOf(call));
  list.splice(list.indexOf(obj), 1);
  core.state.changed();
  core.state.index.carry(resourceOf(call), obj, { removed: true });
  return ok(present(call.route.meta, obj));
}

export function move(core: Core, call: Call): Reply {
  if (call.body === undefined) throw missingBody();
  core.validator.check(call.route.op, call.body, extrasFor(call));
  const body = call.body as Record<string, unknown>;
  const list = core.state.objects(resourceOf(call));
  let obj: StoredObject;
  let destination: Destination;
  let anchor: StoredObject | undefined;
  let anchorField: string;
  let anchorKey: unknown;
  let rulebase: Position | undefined;
  if (call.route.byId) {
    obj = target(core, call);
    // The unified API's move names no folder: the rule's own container is meant.
    const named = call.route.op.inputs.some((i) => i.source === 'query' && SCOPE_FIELDS.includes(i.apiName));
    const container = named ? containerFor(core, call) : { folder: containerOf(obj) };
    if (containerName(container) !== containerOf(obj))
      throw notPresent(`no ${call.route.meta.collection} with id ${obj.id} in ${describe(container)}`);
    destination = body.destination as Destination;
    anchorField = 'destination_rule';
    anchorKey = body.destination_rule;
    rulebase = body.rulebase as Position;
    if (anchorKey !== undefined) anchor = list.find((o) => o.id === anchorKey);
    if (anchor && (containerOf(anchor) !== containerOf(obj) || anchor.position !== rulebase))
      throw invalidObject([
        { field: anchorField, message: `must be a rule of the ${rulebase} rulebase in ${containerOf(obj)}` },
      ]);
  } else {
    // Name-keyed ordering (mobile agent authentication settings): `where` relative to `destination`.
    obj = target(core, call);
    destination = (body.where ?? 'bottom') as Destination;
    anchorField = 'destination';
    anchorKey = body.destination;
    if (anchorKey !== undefined)
      anchor = list.find((o) => containerOf(o) === containerOf(obj) && nameOf(o) === anchorKey);
  }
  const relative = destination === 'before' || destination === 'after';
  if (relative && anchorKey === undefined)
    throw invalidObject([{ field: anchorField, message: `is required with ${destination}` }]);
  if (!relative && anchorKey !== undefined)
    throw invalidObject([{ field: anchorField, message: `is only allowed with before or after` }]);
  if (relative && !anchor) throw notPresent(`${anchorField} ${String(anchorKey)} does not exist`);
  if (anchor?.id === obj.id)
    throw invalidObject([{ field: anchorField, message: 'cannot be the rule being moved' }]);
  if (rulebase) obj.position = rulebase;
  moveObject(list, obj, destination, anchor);
  core.state.changed();
  return ok(present(call.route.meta, obj));
}

/** A collection GET filtered by its query fields (quarantined devices): a bare array. */
export function query(core: Core, call: Call): Reply {
  checkRequiredQuery(call);
  const filters = call.route.op.inputs.filter(
    (i) => i.source === 'query' && call.query.get(i.apiName) !== null,
  );
  const items = core.state
    .objects(resourceOf(call))
    .filter((o) => filters.every((f) => o.data[f.apiName] === call.query.get(f.apiName)));
  return ok(items.map((o) => present(call.route.meta, o)));
}

function singleton(core: Core, call: Call): { container: Container; obj?: StoredObject } {
  checkRequiredQuery(call);
  // Per-folder settings (mobile agent locations) name their folder; tenant-wide ones have none.
  const required = call.route.op.inputs.some((i) => i.apiName === 'folder' && i.required);
  const container = containerFor(core, call, { fromBody: true, required });
  const obj = core.state.objects(resourceOf(call)).find((o) => containerOf(o) === containerName(container));
  return { container, ...(obj ? { obj } : {}) };
}

export function singletonGet(core: Core, call: Call): Reply {
  const { obj } = singleton(core, call);
  const shown = obj ? present(call.route.meta, obj) : {};
  return ok(answersPage(call) ? page(obj ? [shown] : [], call.query) : shown);
}

export function singletonUpdate(core: Core, call: Call): Reply {
  if (call.body === undefined) throw missingBody();
  core.validator.check(call.route.op, call.body, extrasFor(call));
  const { container, obj } = singleton(core, call);
  const data = withoutScope(call.body);
  const stored = obj ?? { id: core.uuid(), ...container, data };
  stored.data = data;
  if (!obj) core.state.objects(resourceOf(call)).push(stored);
  core.state.changed();
  return ok(present(call.route.meta, stored));
}

export function catalogue(_core: Core, call: Call): Reply {
  const rows = catalogueRows(resourceOf(call));
  if (!answersPage(call)) return ok(rows);
  const name = call.query.get('name');
  if (name !== null) {
    const match = rows.find((r) => {
      const row = r as Record<string, unknown>;
      return row.name === name || row.value === name;
    });
    if (!match) throw notPresent(`no ${call.route.meta.collection} named "${name}"`);
    return ok(match);
  }
  return ok(page(rows, call.query));
}
