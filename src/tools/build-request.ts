import { CONTROL_ARGS } from '../facts.js';
import type { FieldSchema, IrOperation } from '../openapi/ir.js';

export interface ScmRequestSpec {
  method: IrOperation['method'];
  path: string;
  pathParams: Record<string, string>;
  query: Record<string, unknown>;
  body?: Record<string, unknown>;
  operation: string;
  /** The operation's upstream host (from its spec's servers), mapped to a configured URL by the client. */
  host?: string;
  /** Lines a composite call (a workflow) wants the person to read before approving: every prompt shows them. */
  details?: string[];
}

const CONTROL = new Set<string>(CONTROL_ARGS);

export const withoutControlArgs = (args: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(args).filter(([k]) => !CONTROL.has(k)));

/** Client keys back to the API's own names, following the field schema (e.g. `no_pbf` -> `no-pbf`). */
export function toApiValue(schema: FieldSchema, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (schema.kind === 'array' && Array.isArray(value)) return value.map((v) => toApiValue(schema.items, v));
  if (schema.kind === 'object' && typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      // Own keys only: `constructor` must not find Object.prototype's.
      const prop = Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
      out[prop?.apiName ?? key] = prop ? toApiValue(prop.schema, v) : v;
    }
    return out;
  }
  return value;
}

/** Validated arguments -> the HTTP request the operation describes. */
export function buildRequest(op: IrOperation, args: Record<string, unknown>): ScmRequestSpec {
  const pathParams: Record<string, string> = {};
  const query: Record<string, unknown> = {};
  let body: Record<string, unknown> | undefined;
  for (const input of op.inputs) {
    const value = args[input.name];
    if (value === undefined) continue;
    if (input.source === 'path') pathParams[input.apiName] = String(value);
    else if (input.source === 'query') query[input.apiName] = value;
    else {
      body ??= {};
      body[input.apiName] = toApiValue(input.schema, value);
    }
  }
  if (op.body) {
    body ??= {};
    for (const [k, v] of Object.entries(op.body.defaults ?? {})) if (body[k] === undefined) body[k] = v;
  }
  return {
    method: op.method,
    path: op.path,
    pathParams,
    query,
    ...(body ? { body } : {}),
    operation: op.key,
    ...(op.base ? { host: op.base.host } : {}),
  };
}
