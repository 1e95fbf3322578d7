import { createHash } from 'node:crypto';
import type { IrOperation } from '../openapi/ir.js';
import { describeOperation, titleFor } from './describe.js';
import { toClientJsonSchema } from './json-schema.js';
import type { ToolAnnotations, ToolDefinition } from './types.js';
import { fieldPath, type ZodOptions, zodForInputs } from './zod-from-field.js';

/** Said in the description of a tool whose listed schema is abbreviated. */
export const ABBREVIATED_TOOL_NOTE = 'Whole schema: tool_describe.';

export function annotationsFor(op: IrOperation): ToolAnnotations {
  return {
    title: titleFor(op),
    readOnlyHint: op.safety === 'read',
    destructiveHint: op.safety === 'destructive' || op.safety === 'deploy',
    // PUT and DELETE by id land in the same state when repeated; creates, moves and pushes do not.
    idempotentHint: op.method === 'GET' || op.method === 'PUT' || op.method === 'DELETE',
    openWorldHint: true,
  };
}

/**
 * A listed input schema above this many characters shows its largest nested objects as free-form objects until it
 * fits: a handful of tools (HIP objects, external dynamic lists, agent profiles) would otherwise be a third of
 * `tools/list`. tool_describe serves the whole schema; the server validates against the whole schema.
 */
export const LISTED_SCHEMA_MAX_CHARS = 800;

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => !!v && typeof v === 'object' && !Array.isArray(v);

/** Nested object schemas with fields, by path (as ZodOptions.abbreviate names them), and their JSON size. */
function nestedObjects(node: unknown, path: string, out: Array<{ path: string; size: number }>): typeof out {
  if (!isObj(node)) return out;
  const props = isObj(node.properties) ? node.properties : undefined;
  if (path && node.type === 'object' && props && JSON.stringify(node).length >= MIN_ABBREVIATED_CHARS)
    out.push({ path, size: JSON.stringify(node).length });
  for (const [k, v] of Object.entries(props ?? {})) nestedObjects(v, fieldPath(path, k), out);
  if (node.items) nestedObjects(node.items, `${path}[]`, out);
  if (Array.isArray(node.anyOf))
    for (const [i, v] of node.anyOf.entries()) nestedObjects(v, `${path}|${i}`, out);
  return out;
}

const within = (path: string, outer: string) =>
  path.startsWith(outer) && ['.', '[', '|'].includes(path.charAt(outer.length));

/** The input schema, its largest nested objects abbreviated (biggest first) until it fits `maxChars`. */
export function fittedInputSchema(
  op: IrOperation,
  descriptions: ZodOptions['descriptions'],
  maxChars = LISTED_SCHEMA_MAX_CHARS,
): { schema: J; abbreviated: string[] } {
  const schema = toClientJsonSchema(zodForInputs(op, { descriptions }));
  let size = JSON.stringify(schema).length;
  if (size <= maxChars) return { schema, abbreviated: [] };
  const abbreviated: string[] = [];
  const candidates = nestedObjects(schema, '', []).sort(
    (a, b) => b.size - a.size || (a.path < b.path ? -1 : 1),
  );
  for (const c of candidates) {
    if (size <= maxChars) break;
    if (abbreviated.some((outer) => within(c.path, outer))) continue;
    abbreviated.push(c.path);
    size -= c.size - ABBREVIATED_SIZE;
  }
  const abbreviate = new Set(abbreviated);
  return { schema: toClientJsonSchema(zodForInputs(op, { descriptions, abbreviate })), abbreviated };
}

// `{"type":"object","description":"abbreviated","properties":{}}`, near enough.
const ABBREVIATED_SIZE = 70;
// Smaller objects cost little and say much: never worth hiding.
const MIN_ABBREVIATED_CHARS = 300;

/** The tool as listed; `maxSchemaChars: Infinity` gives the whole schema (tool_describe). */
export function toolDefinition(
  op: IrOperation,
  descriptions: ZodOptions['descriptions'] = 'full',
  maxSchemaChars = LISTED_SCHEMA_MAX_CHARS,
): ToolDefinition {
  const { schema, abbreviated } = fittedInputSchema(op, descriptions, maxSchemaChars);
  const description = describeOperation(op);
  return {
    name: op.tool,
    key: op.key,
    title: titleFor(op),
    description: abbreviated.length ? `${description} ${ABBREVIATED_TOOL_NOTE}` : description,
    inputSchema: schema,
    annotations: annotationsFor(op),
    safety: op.safety,
    toolset: op.toolset,
  };
}

export const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
