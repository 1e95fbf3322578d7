import type { FieldSchema, IrOperation } from '../openapi/ir.js';
import { isSecretName } from '../openapi/secret-names.js';
import { REDACTED, redactSecrets } from '../secrets.js';

export { REDACTED };

/** Every text or number inside replaced (a secret object keeps its shape, so the log still says what was set). */
function hideAll(value: unknown): unknown {
  if (typeof value === 'string' || typeof value === 'number') return REDACTED;
  if (Array.isArray(value)) return value.map(hideAll);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, hideAll(v)]),
    );
  }
  return value;
}

/** The schema of `key` inside an object field (any variant of a union), if the IR knows it. */
function childSchema(schema: FieldSchema | undefined, key: string): FieldSchema | undefined {
  if (!schema) return undefined;
  if (schema.kind === 'object') return schema.properties[key]?.schema;
  if (schema.kind === 'union') {
    const found = schema.variants.map((v) => childSchema(v, key)).filter(Boolean);
    return found.find((f) => f?.secret) ?? found[0];
  }
  return undefined;
}

// Looser than the generate-time marks, for texts only: a field the spec does not name (secret_value,
// admin_password_hint) costs nothing to hide in the audit log.
const LOOSE_SECRET = /secret|password|passphrase|private_?key/i;

const looksSecret = (name: string) => isSecretName(name) || (LOOSE_SECRET.test(name) && !/_url$/i.test(name));

function walk(value: unknown, schema: FieldSchema | undefined, name: string | undefined): unknown {
  if (schema?.secret) return hideAll(value);
  // The name heuristic, for fields the spec does not describe (or describes too loosely).
  if (name !== undefined && looksSecret(name) && (typeof value === 'string' || typeof value === 'number'))
    return REDACTED;
  if (Array.isArray(value)) {
    const items = schema?.kind === 'array' ? schema.items : undefined;
    return value.map((v) => walk(v, items, undefined));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        walk(v, childSchema(schema, k), k),
      ]),
    );
  }
  // Registered secrets (the client secret) never leave, whatever field they hide in.
  return typeof value === 'string' ? redactSecrets(value) : value;
}

/**
 * A copy of the arguments with every secret replaced, at any depth: fields the IR marks `secret` (the
 * whole value), fields whose name says credential, and registered secrets anywhere. Flags stay.
 */
export function redactArgs(value: unknown, op?: Pick<IrOperation, 'inputs'>): unknown {
  if (!op || value === null || typeof value !== 'object' || Array.isArray(value))
    return walk(value, undefined, undefined);
  const byName = new Map(op.inputs.map((i) => [i.name, i.schema]));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, walk(v, byName.get(k), k)]),
  );
}
