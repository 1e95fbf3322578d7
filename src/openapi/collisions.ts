import type { InputField, IrOperation } from './ir.js';
import { camelOf, toolNameFor } from './naming.js';
import type { Overlay } from './overlay.js';

/** Assistants accept tool names of this shape (MCP-NOTES). */
export const TOOL_NAME = /^[a-z][a-z0-9_]*$/;
export const MAX_TOOL_NAME = 45;

const where = (op: IrOperation) => `${op.method} ${op.path} (${op.specFile})`;

/** Whether the overlay named this operation's key itself (then a clash is the overlay's to fix). */
function namedByOverlay(op: IrOperation, overlay: Overlay): boolean {
  const below = op.base?.prefix ? op.path.slice(op.base.prefix.length) : op.path;
  const rel = op.path.replace(/^\/sse\/config\/v1/, '');
  const full = `${op.base?.host ?? ''}${op.path}`;
  return [below, rel, op.path, full].some((p) => overlay.operations[`${op.method} ${p}`] !== undefined);
}

/** The same method and URL in two files: one operation, with the inputs of both. */
function mergeDuplicates(ops: IrOperation[], warn?: (m: string) => void): IrOperation[] {
  const byUrl = new Map<string, IrOperation>();
  for (const op of ops) {
    const id = `${op.method} ${op.base?.host ?? ''}${op.path}`;
    const first = byUrl.get(id);
    if (!first) {
      byUrl.set(id, op);
      continue;
    }
    const known = new Set(first.inputs.map((i) => i.name));
    const extra: InputField[] = op.inputs
      .filter((i) => !known.has(i.name))
      .map((i) => ({ ...i, required: false }));
    first.inputs.push(...extra);
    warn?.(`${op.method} ${op.path} is in ${first.specFile} and ${op.specFile}: merged into one tool`);
  }
  return [...byUrl.values()];
}

/** `deployment` + `location` -> `deploymentLocation`; a resource already named for its area keeps its name. */
function qualified(area: string, resource: string): string {
  const a = camelOf(area);
  if (resource.toLowerCase().startsWith(a.toLowerCase())) return resource;
  return `${a}${resource.charAt(0).toUpperCase()}${resource.slice(1)}`;
}

function clashes(ops: IrOperation[], reserved: ReadonlySet<string>): Map<string, IrOperation[]> {
  const groups = new Map<string, IrOperation[]>();
  for (const op of ops) {
    for (const id of new Set([`key ${op.key}`, `tool ${op.tool}`]))
      groups.set(id, [...(groups.get(id) ?? []), op]);
  }
  const out = new Map<string, IrOperation[]>();
  for (const [id, group] of groups) {
    const reservedHit = id.startsWith('tool ') && reserved.has(id.slice(5));
    if (group.length > 1 || reservedHit) out.set(id, group);
  }
  return out;
}

export interface CollisionOptions {
  overlay: Overlay;
  reservedTools?: readonly string[];
  warn?: (message: string) => void;
}

/**
 * Every clash of keys or tool names (with each other or with the server's own tools) found here, at generate time.
 * Rules, for operations whose key the overlay did not name: a collection call addressed by `name` beside the same
 * call by `{id}` becomes `..._by_name`; operations of different files are qualified by their file's area
 * (`location_list` -> `deployment_location_list`, `mobile_agent_location_list`). What the rules cannot resolve
 * fails the load, naming the operations, never by dropping one.
 */
export function resolveCollisions(input: IrOperation[], opts: CollisionOptions): IrOperation[] {
  const reserved = new Set(opts.reservedTools ?? []);
  const ops = mergeDuplicates(input, opts.warn);
  // Rule 1: a collection-level PUT/PATCH/DELETE/GET addressed by `name` beside the same call by `{id}` is `...ByName`.
  const renamed = new Set<IrOperation>();
  for (const group of clashes(ops, reserved).values()) {
    if (!group.some((o) => o.path.endsWith('}'))) continue;
    for (const op of group) {
      if (
        renamed.has(op) ||
        op.path.endsWith('}') ||
        op.method === 'POST' ||
        namedByOverlay(op, opts.overlay)
      )
        continue;
      if (!op.inputs.some((i) => i.source === 'query' && i.apiName === 'name')) continue;
      rename(op, op.resource, `${op.action}ByName`, opts.overlay);
      renamed.add(op);
    }
  }
  // Rule 2: operations of different files (areas), or one clashing with a server tool, are qualified by area.
  for (const [id, group] of clashes(ops, reserved)) {
    const areas = new Set(group.map(areaOfOp));
    const serverTool = id.startsWith('tool ') && reserved.has(id.slice(5));
    if (areas.size < 2 && !serverTool) continue;
    for (const op of group) {
      if (renamed.has(op) || namedByOverlay(op, opts.overlay)) continue;
      const resource = qualified(areaOfOp(op), op.resource);
      if (resource === op.resource) continue;
      rename(op, resource, op.action, opts.overlay);
      renamed.add(op);
    }
  }
  const left = clashes(ops, reserved);
  const problems = [...left].map(([id, group]) => {
    const [kind, name] = [id.slice(0, id.indexOf(' ')), id.slice(id.indexOf(' ') + 1)];
    const server = reserved.has(name) ? ' and the server tool of that name' : '';
    return `${kind} ${name}: ${group.map(where).join(', ')}${server}`;
  });
  for (const op of ops) {
    if (!TOOL_NAME.test(op.tool) || op.tool.length > MAX_TOOL_NAME)
      problems.push(
        `tool ${op.tool} (${where(op)}): must match ${TOOL_NAME.source} and have at most ${MAX_TOOL_NAME} characters`,
      );
  }
  if (problems.length)
    throw new Error(
      `name collisions the rules cannot resolve; name these operations under operations: in the overlay:\n  ${problems.join('\n  ')}`,
    );
  return ops;
}

function rename(op: IrOperation, resource: string, action: string, overlay: Overlay): void {
  const key = `${resource}.${action}`;
  op.resource = resource;
  op.action = action;
  op.key = key;
  op.tool = toolNameFor(key);
  // The overlay may classify or give a role under the new key.
  if (overlay.safety[key]) op.safety = overlay.safety[key];
  if (overlay.roles[key]) op.role = overlay.roles[key];
}

/** The area an operation's file was given (kept on the operation as the toolset fallback would be). */
function areaOfOp(op: IrOperation): string {
  return op.area ?? op.toolset;
}
