/**
 * What every assistant (Claude, OpenAI, Gemini) accepts in a tool definition: ../shared/MCP-NOTES.md,
 * "What assistants accept in a tool definition", rules 1 and 3-9. No test-runner imports, so a CI script can
 * run it over a `tools/list` answer as it is.
 */

export const TOOL_NAME_RE = /^[a-z][a-z0-9_]*$/;
export const MAX_TOOL_NAME = 45;
export const PROPERTY_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Object schemas inside the root object: the root is at nesting 0, its object properties at 1. */
export const MAX_OBJECT_NESTING = 5;

const JSON_TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean']);
const FORBIDDEN = [
  '$ref',
  'additionalProperties',
  'const',
  'not',
  'discriminator',
  'examples',
  '$schema',
  'nullable',
  'default',
  // Only useful as $ref targets, which are never emitted.
  'definitions',
  '$defs',
];
const ROOT_COMBINATORS = ['oneOf', 'anyOf', 'allOf'];
// allOf is merged and a nested oneOf becomes anyOf or a flattened object: neither is ever emitted.
const NESTED_COMBINATORS = ['oneOf', 'allOf'];

/** Why a tool name would be refused (rule 1); empty when it is fine. */
export function toolNameViolations(name: string): string[] {
  const out: string[] = [];
  if (!TOOL_NAME_RE.test(name)) out.push(`tool name ${JSON.stringify(name)} does not match ${TOOL_NAME_RE}`);
  if (name.length > MAX_TOOL_NAME)
    out.push(`tool name ${name} is ${name.length} chars (max ${MAX_TOOL_NAME})`);
  return out;
}

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => !!v && typeof v === 'object' && !Array.isArray(v);

/** Every breach of rules 3-9 in one tool input schema, each with the JSON path where it is. */
export function inputSchemaViolations(schema: unknown): string[] {
  const out: string[] = [];
  if (!isObj(schema)) return ['root: not an object schema'];
  if (schema.type !== 'object') out.push(`root: type is ${JSON.stringify(schema.type)}, not "object"`);
  if (!isObj(schema.properties)) out.push('root: no properties');
  for (const k of ROOT_COMBINATORS) if (k in schema) out.push(`root: ${k} at the root`);
  walk(schema, '#', 0, out);
  // $ref anywhere, even under a keyword the walk does not enter.
  const refs = refPaths(schema, '#');
  for (const at of refs) if (!out.includes(`${at}: has $ref`)) out.push(`${at}: has $ref`);
  return out;
}

function refPaths(node: unknown, at: string): string[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => refPaths(v, `${at}/${i}`));
  if (!isObj(node)) return [];
  return Object.entries(node).flatMap(([k, v]) => [
    ...(k === '$ref' ? [at] : []),
    ...refPaths(v, `${at}/${k}`),
  ]);
}

function walk(node: unknown, at: string, nesting: number, out: string[]): void {
  if (!isObj(node)) {
    out.push(`${at}: schema is not an object`);
    return;
  }
  for (const key of Object.keys(node)) {
    if (FORBIDDEN.includes(key) || key.startsWith('x-')) out.push(`${at}: has ${key}`);
  }
  if (at !== '#') for (const k of NESTED_COMBINATORS) if (k in node) out.push(`${at}: has ${k}`);

  const type = node.type;
  if (type === undefined) {
    if (!Array.isArray(node.anyOf)) out.push(`${at}: no type`);
  } else if (typeof type !== 'string') {
    out.push(`${at}: type ${JSON.stringify(type)} is not one string`);
  } else if (!JSON_TYPES.has(type)) {
    out.push(`${at}: unknown type ${type}`);
  }

  if ('enum' in node) {
    const values = node.enum;
    if (!Array.isArray(values) || values.length === 0) out.push(`${at}: enum is not a list of values`);
    else if (!values.every((v) => typeof v === 'string')) out.push(`${at}: enum has non-string values`);
    else if (type !== undefined && type !== 'string') out.push(`${at}: string enum on type ${String(type)}`);
  }

  let childNesting = nesting;
  if (type === 'object') {
    if (nesting > MAX_OBJECT_NESTING)
      out.push(`${at}: object nested ${nesting} levels (max ${MAX_OBJECT_NESTING})`);
    childNesting = nesting + 1;
    if (!isObj(node.properties)) out.push(`${at}: object without properties`);
  }
  if (isObj(node.properties)) {
    for (const [key, value] of Object.entries(node.properties)) {
      if (!PROPERTY_KEY_RE.test(key)) out.push(`${at}: property key ${JSON.stringify(key)} not allowed`);
      walk(value, `${at}/properties/${key}`, childNesting, out);
    }
  }
  if (Array.isArray(node.required) && isObj(node.properties)) {
    for (const r of node.required) {
      if (typeof r !== 'string' || !(r in node.properties))
        out.push(`${at}: required ${String(r)} is no property`);
    }
  }

  if (type === 'array') {
    if (node.items === undefined) out.push(`${at}: array without items`);
    else if (Array.isArray(node.items)) out.push(`${at}: tuple items`);
  }
  if (node.items !== undefined && !Array.isArray(node.items))
    walk(node.items, `${at}/items`, childNesting, out);
  for (const k of ROOT_COMBINATORS) {
    const members = node[k];
    if (!Array.isArray(members)) continue;
    for (const [i, m] of members.entries()) walk(m, `${at}/${k}/${i}`, childNesting, out);
  }
}
