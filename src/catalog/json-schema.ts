import type { ZodTypeAny } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';

type J = Record<string, unknown>;

// Keywords some assistant APIs reject (MCP-NOTES "What assistants accept"): never emitted.
const DROP = new Set([
  'additionalProperties',
  '$schema',
  'const',
  'not',
  'discriminator',
  'examples',
  'default',
  'nullable',
]);

function clean(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(clean);
  if (!node || typeof node !== 'object') return node;
  const out: J = {};
  for (const [k, v] of Object.entries(node as J)) {
    if (DROP.has(k) || k.startsWith('x-')) continue;
    if (k === 'properties') {
      out[k] = Object.fromEntries(Object.entries(v as J).map(([pk, pv]) => [pk, clean(pv)]));
      continue;
    }
    out[k] = clean(v);
  }
  // A union of plain values comes out as `type: [...]`; assistants take one type per schema: anyOf instead.
  if (Array.isArray(out.type)) {
    out.anyOf = out.type.map((t: unknown) => ({ type: t }));
    delete out.type;
  }
  // zod-to-json-schema writes {} for unknown values and a record for free-form objects.
  if (out.type === undefined && !out.anyOf && !out.enum) out.type = out.properties ? 'object' : 'string';
  if (out.type === 'object' && !out.properties) out.properties = {};
  if (Array.isArray(out.required) && out.required.length === 0) delete out.required;
  return out;
}

/** The JSON Schema clients see, emitted from the zod schema the server validates with: one source. */
export function toClientJsonSchema(schema: ZodTypeAny): J {
  const raw = zodToJsonSchema(schema, {
    $refStrategy: 'none',
    effectStrategy: 'input',
    target: 'jsonSchema7',
  }) as J;
  const out = clean(raw) as J;
  if (!out.properties)
    throw new Error('zod-to-json-schema returned no properties: is the schema a zod v3 object?');
  return { type: 'object', ...out };
}
