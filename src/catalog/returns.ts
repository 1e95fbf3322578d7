import type { IrOperation, SpecSchema } from '../openapi/ir.js';

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => !!v && typeof v === 'object' && !Array.isArray(v);
const unwrap = (s: unknown): unknown => (isObj(s) && Array.isArray(s.allOf) ? s.allOf[0] : s);

/** The schema of one list item, when the response says it: `{data: [item]}` (or a bare array of items). */
function itemSchema(response: SpecSchema | undefined): J | undefined {
  const top = unwrap(response);
  if (!isObj(top)) return undefined;
  const list = unwrap(isObj(top.properties) ? top.properties.data : top);
  const item = isObj(list) ? unwrap(list.items) : undefined;
  return isObj(item) ? item : undefined;
}

/** An item's key fields: id and name, and which one of its alternatives (ip_netmask|fqdn|...) it holds. */
function keyFields(op: IrOperation): string {
  const item = itemSchema(op.responseSchema);
  if (!item) return '';
  const props = isObj(item.properties) ? item.properties : {};
  const keys = ['id', 'name'].filter((k) => k in props);
  const alternatives = (Array.isArray(item.oneOf) ? item.oneOf : [])
    .map((v) =>
      isObj(v) && Array.isArray(v.required) && v.required.length === 1 ? v.required[0] : undefined,
    )
    .filter((k): k is string => typeof k === 'string');
  if (alternatives.length > 1) keys.push(alternatives.join('|'));
  return keys.length ? `{${keys.join(',')}}` : '';
}

/**
 * What a generated tool's result holds, in a few characters (344 tools share the listing budget): a list's page,
 * else what its `result` field is. The envelope (environment, operation, status, result) is said once in the
 * server instructions.
 */
export function returnsFor(op: IrOperation): string {
  switch (op.action) {
    case 'list':
      // limit and offset echo the call (the instructions say so): not worth 74 mentions.
      return op.paged ? `{data[${keyFields(op)}],total,next_offset}` : `{data[${keyFields(op)}],total}`;
    case 'get':
    case 'getRunning':
    case 'getEnabled':
      return 'the object';
    case 'create':
    case 'import':
      return 'the new object, with id';
    case 'update':
      return 'the saved object';
    case 'delete':
      return 'the deleted object';
    case 'move':
      return 'the moved object';
    default:
      return "the API's answer";
  }
}
