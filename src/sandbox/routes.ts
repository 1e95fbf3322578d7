import type { IrOperation } from '../openapi/ir.js';
import { belowPrefix } from './unified-paths.js';

/** What the sandbox does for an operation; decided from the IR, never per operation by hand. */
export type OpKind =
  | 'list'
  | 'get'
  | 'create'
  | 'update'
  | 'delete'
  | 'move'
  | 'import'
  | 'query'
  | 'singletonGet'
  | 'singletonUpdate'
  | 'catalogue'
  | 'versionList'
  | 'versionGet'
  | 'running'
  | 'load'
  | 'push'
  | 'rollback'
  | 'jobList'
  | 'jobGet'
  | 'snapshotList'
  | 'enable'
  | 'enabledGet'
  | 'unsupported';

export interface ResourceMeta {
  name: string;
  /** The path below its family's prefix (`security-rules`), for messages. */
  collection: string;
  /** Objects live in a folder or snippet. */
  scoped: boolean;
  /** Addressed by `{id}`; otherwise by `keyField` in the query or body. */
  byId: boolean;
  /** Answers carry `id`. */
  showsId: boolean;
  keyField: string;
  /** Rules: ordered per folder and pre/post rulebase. */
  positioned: boolean;
  catalogue: boolean;
  createOp?: IrOperation;
}

export interface Route {
  op: IrOperation;
  kind: OpKind;
  byId: boolean;
  meta: ResourceMeta;
  pattern: RegExp;
  params: string[];
  /** Literal characters in the template: a literal segment beats a parameter. */
  weight: number;
}

const CONFIG_KINDS: Record<string, OpKind> = {
  'configVersion.list': 'versionList',
  'configVersion.get': 'versionGet',
  'configVersion.getRunning': 'running',
  'configVersion.load': 'load',
  'configVersion.push': 'push',
  'configVersion.rollbackCandidate': 'rollback',
  'job.list': 'jobList',
  'job.get': 'jobGet',
  'snapshot.list': 'snapshotList',
};

const collectionOf = (path: string) =>
  belowPrefix(path)
    .replace(/\/\{[^}]+\}.*$/, '')
    .replace(/:[a-z]+$/i, '');

const hasQuery = (op: IrOperation, name: string) =>
  op.inputs.some((i) => i.source === 'query' && i.apiName === name);

function metaOf(name: string, ops: IrOperation[]): ResourceMeta {
  const createOp = ops.find((o) => o.action === 'create');
  const byId = ops.some((o) => o.path.includes('{id}'));
  const bodyProps = (createOp?.body?.schema.properties ?? {}) as Record<string, unknown>;
  return {
    name,
    collection: collectionOf(ops[0]?.path ?? name),
    // A singleton GET takes `folder` in the spec even where the settings are tenant-wide: not a scope.
    scoped: ops.some(
      (o) => hasQuery(o, 'folder') && !(o.method === 'GET' && o.action !== 'list' && !o.path.endsWith('}')),
    ),
    byId,
    showsId: byId || 'id' in bodyProps,
    keyField: ops.some((o) => hasQuery(o, 'host_id')) ? 'host_id' : 'name',
    positioned: ops.some((o) => o.action === 'move' && o.path.includes('{id}:move')),
    catalogue: ops.every((o) => o.method === 'GET') && ops[0]?.toolset === 'catalogues',
    ...(createOp ? { createOp } : {}),
  };
}

function kindOf(op: IrOperation, meta: ResourceMeta): OpKind {
  const special = CONFIG_KINDS[op.key];
  if (special) return special;
  if (op.action === 'enable') return 'enable';
  if (op.action === 'getEnabled') return 'enabledGet';
  if (meta.catalogue) return 'catalogue';
  if (/:move$/.test(op.path)) return 'move';
  if (/:import$/.test(op.path)) return 'import';
  const item = op.path.endsWith('}');
  switch (op.method) {
    case 'GET':
      if (item) return 'get';
      if (op.action === 'list') return 'list';
      return meta.createOp ? 'query' : 'singletonGet';
    case 'POST':
      return item ? 'unsupported' : 'create';
    case 'PUT':
      return item || meta.createOp ? 'update' : 'singletonUpdate';
    case 'DELETE':
      return 'delete';
  }
  return 'unsupported';
}

function compile(path: string): { pattern: RegExp; params: string[]; weight: number } {
  const params: string[] = [];
  let weight = 0;
  const source = path.replace(/\{([^}]+)\}|[^{]+/g, (part, param: string | undefined) => {
    if (param) {
      params.push(param);
      return '([^/]+?)';
    }
    weight += part.length;
    return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  });
  return { pattern: new RegExp(`^${source}$`), params, weight };
}

export interface RouteTable {
  routes: Route[];
  resources: Map<string, ResourceMeta>;
}

/** One route per IR operation, most literal first. */
export function buildRoutes(operations: IrOperation[]): RouteTable {
  const byResource = new Map<string, IrOperation[]>();
  for (const op of operations) byResource.set(op.resource, [...(byResource.get(op.resource) ?? []), op]);
  const resources = new Map<string, ResourceMeta>();
  for (const [name, ops] of byResource) resources.set(name, metaOf(name, ops));
  const routes = operations.map((op): Route => {
    const meta = resources.get(op.resource)!;
    return { op, kind: kindOf(op, meta), byId: /\{id\}/.test(op.path), meta, ...compile(op.path) };
  });
  routes.sort((a, b) => b.weight - a.weight || a.params.length - b.params.length);
  return { routes, resources };
}

export type RouteMatch = { route: Route; params: Record<string, string> } | { wrongMethod: true } | undefined;

export function matchRoute(table: RouteTable, method: string, path: string): RouteMatch {
  let pathMatched = false;
  for (const route of table.routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.op.method !== method) continue;
    const params: Record<string, string> = {};
    route.params.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1] ?? '');
    });
    return { route, params };
  }
  return pathMatched ? { wrongMethod: true } : undefined;
}
