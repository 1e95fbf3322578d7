import { isSecretName } from './secret-names.js';
import type { ChoiceRule, DefaultValue, FieldSchema, ObjectField, ObjectProperty, SpecSchema } from './ir.js';

/** A field's scalar default, if it has one (only those can be sent as they are). */
export function defaultOf(schema: FieldSchema): DefaultValue | undefined {
  const d = (schema as { default?: unknown }).default;
  return typeof d === 'string' || typeof d === 'number' || typeof d === 'boolean' ? d : undefined;
}

/** Objects nested deeper than this are accepted as free-form objects (assistants reject deeper schemas). */
export const MAX_OBJECT_DEPTH = 5;

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** A client-safe property key for an API key such as `no-pbf`. */
export function clientKey(apiName: string, taken: Set<string>): string {
  let key = KEY_RE.test(apiName)
    ? apiName
    : apiName.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([0-9])/, '_$1');
  key = key.slice(0, 64) || '_';
  let n = 2;
  const base = key;
  while (taken.has(key)) key = `${base.slice(0, 60)}_${n++}`;
  return key;
}

type S = Record<string, any>;

/** allOf members folded into one schema: properties and required are unioned, other keys first-wins. */
export function mergeAllOf(schema: S): S {
  if (!Array.isArray(schema.allOf)) return schema;
  const { allOf, ...rest } = schema;
  let out: S = { ...rest };
  for (const part of allOf as S[]) {
    const p = mergeAllOf(part);
    const props = { ...(out.properties ?? {}), ...(p.properties ?? {}) };
    const required = [...new Set([...(out.required ?? []), ...(p.required ?? [])])];
    out = { ...p, ...out };
    if (Object.keys(props).length) out.properties = props;
    if (required.length) out.required = required;
  }
  return out;
}

const isObjectLike = (s: S) => s.type === 'object' || s.properties !== undefined || Array.isArray(s.allOf);
/** Object-like, or a oneOf/anyOf whose variants all are (a group wrapper such as `container_type`). */
const isObjectLikeDeep = (s: S): boolean =>
  isObjectLike(s) ||
  (Array.isArray(s.oneOf ?? s.anyOf) &&
    (s.oneOf ?? s.anyOf).every((v: S) => isObjectLikeDeep(mergeAllOf(v))));

function constraintNote(s: S): string[] {
  const notes: string[] = [];
  // Only string enums can be emitted (assistants reject others): say the allowed values instead.
  if (Array.isArray(s.enum) && s.type !== 'string' && s.enum.length)
    notes.push(`one of ${s.enum.map((e: unknown) => JSON.stringify(e)).join(', ')}`);
  if (s.pattern) notes.push(`pattern ${s.pattern}`);
  if (s.format && !['date-time', 'date', 'uri', 'email'].includes(s.format)) notes.push(`format ${s.format}`);
  const min = s.minimum ?? s['x-minimum'];
  const max = s.maximum ?? s['x-maximum'];
  if (min !== undefined || max !== undefined) notes.push(`range ${min ?? '-inf'}..${max ?? 'inf'}`);
  if (s.default !== undefined && typeof s.default !== 'object')
    notes.push(`default ${JSON.stringify(s.default)}`);
  return notes;
}

function describe(s: S, withText: boolean): { description?: string; note?: string } {
  const base = withText && typeof s.description === 'string' ? s.description.trim().replace(/\s+/g, ' ') : '';
  const notes = constraintNote(s);
  return { description: base || undefined, note: notes.length ? notes.join('; ') : undefined };
}

export interface FieldOptions {
  /** Keep upstream prose (build outputs only); our constraint notes stay either way. */
  withDescriptions?: boolean;
}

/** Converts one resolved spec schema into a client-safe field schema; read-only fields become undefined. */
export function toFieldSchema(schema: S, depth = 1, opts: FieldOptions = {}): FieldSchema | undefined {
  const field = toField(schema, depth, opts);
  const s = mergeAllOf(schema);
  // The spec's own word for a credential; names are marked by the object that holds the field.
  return field && (s.format === 'password' || s.writeOnly === true) ? markSecret(field) : field;
}

/** The field marked as holding a secret (booleans say nothing secret: left as they are). */
function markSecret(field: FieldSchema): FieldSchema {
  return field.kind === 'boolean' ? field : { ...field, secret: true };
}

function toField(schema: S, depth: number, opts: FieldOptions): FieldSchema | undefined {
  const s = withInferredType(mergeAllOf(schema));
  if (s.readOnly === true) return undefined;
  const text = describe(s, opts.withDescriptions !== false);

  const variants = (s.oneOf ?? s.anyOf) as S[] | undefined;
  if (variants && !s.properties && !variants.every((v) => isObjectLikeDeep(mergeAllOf(v)))) {
    const converted = variants.map((v) => toFieldSchema(v, depth, opts)).filter((v): v is FieldSchema => !!v);
    if (converted.length === 1) return converted[0];
    return strip({ kind: 'union' as const, variants: converted, ...text });
  }
  if (isObjectLike(s) || variants) return toObjectField(s, depth, opts, text.description);

  switch (s.type) {
    case 'string': {
      const enumValues = Array.isArray(s.enum)
        ? s.enum.filter((e: unknown) => typeof e === 'string')
        : undefined;
      return strip({
        kind: 'string' as const,
        ...text,
        enum: enumValues?.length ? enumValues : undefined,
        minLength: s.minLength,
        maxLength: s.maxLength,
        pattern: usablePattern(s.pattern),
        format: s.format,
        default: typeof s.default === 'string' ? s.default : undefined,
      });
    }
    case 'number':
    case 'integer':
      return strip({
        kind: s.type as 'number' | 'integer',
        ...text,
        minimum: s.minimum ?? s['x-minimum'],
        maximum: s.maximum ?? s['x-maximum'],
        default: typeof s.default === 'number' ? s.default : undefined,
      });
    case 'boolean':
      return strip({ kind: 'boolean' as const, ...text, default: s.default });
    case 'array': {
      const items = s.items ? toFieldSchema(s.items, depth, opts) : undefined;
      return strip({
        kind: 'array' as const,
        items: items ?? { kind: 'string' },
        ...text,
        minItems: s.minItems,
        maxItems: s.maxItems,
      });
    }
    default:
      return strip({ kind: 'any' as const, ...text });
  }
}

function toObjectField(s: S, depth: number, opts: FieldOptions, description?: string): FieldSchema {
  if (depth > MAX_OBJECT_DEPTH) {
    return strip({
      kind: 'any' as const,
      description,
      note: 'free-form object: nested too deep to spell out here',
    });
  }
  const properties: Record<string, ObjectProperty> = {};
  const taken = new Set<string>();
  const apiToClient = new Map<string, string>();
  const add = (apiName: string, prop: S, required: boolean) => {
    const existing = apiToClient.get(apiName);
    const converted = toFieldSchema(prop, depth + 1, opts);
    if (!converted) return;
    const schema = isSecretName(apiName) ? markSecret(converted) : converted;
    if (existing) {
      const current = properties[existing];
      if (current) current.required ||= required;
      return;
    }
    const key = clientKey(apiName, taken);
    taken.add(key);
    apiToClient.set(apiName, key);
    // A required field with a default is optional for the caller; the default is sent when it is left out.
    const fallback = required ? defaultOf(schema) : undefined;
    properties[key] = strip({
      apiName: key === apiName ? undefined : apiName,
      required: required && fallback === undefined,
      schema,
      default: fallback,
    }) as ObjectProperty;
  };
  const required = new Set<string>(s.required ?? []);
  for (const [name, prop] of Object.entries((s.properties ?? {}) as Record<string, S>))
    add(name, prop, required.has(name));

  // A oneOf of objects becomes flat optional fields plus a rule saying which may (or must) be set.
  const choices: ChoiceRule[] = [];
  const variants = (s.oneOf ?? s.anyOf) as S[] | undefined;
  if (variants) {
    const keys: string[] = [];
    for (const v of variants.map(mergeAllOf)) {
      for (const [name, prop] of Object.entries((v.properties ?? {}) as Record<string, S>)) {
        add(name, prop, false);
        const key = apiToClient.get(name);
        if (key && !keys.includes(key)) keys.push(key);
      }
      // A variant may itself be a oneOf/anyOf (two and more levels): its fields and rules are kept too.
      flattenNested(v, add, apiToClient, choices);
    }
    // Only a oneOf whose variants each name one field is a clean "exactly one of"; others stay advisory.
    const single = variants.every((v) => Object.keys(mergeAllOf(v).properties ?? {}).length === 1);
    if (keys.length > 1 && single && s.oneOf) choices.unshift({ keys, required: depth === 1 });
  }
  const rules = choices.map((c) => `${c.required ? 'exactly' : 'at most'} one of ${c.keys.join(', ')}`);
  return strip({
    kind: 'object' as const,
    description,
    note: rules.length ? rules.join('; ') : undefined,
    properties,
    choices: choices.length ? choices : undefined,
  }) as ObjectField;
}

/** A schema that leaves out `type` but says it otherwise: an enum of strings, `items`. */
function withInferredType(s: S): S {
  if (s.type !== undefined) return s;
  if (Array.isArray(s.enum) && s.enum.length && s.enum.every((e: unknown) => typeof e === 'string'))
    return { ...s, type: 'string' };
  if (s.items !== undefined) return { ...s, type: 'array' };
  return s;
}

type AddField = (apiName: string, prop: S, required: boolean) => void;

/**
 * The fields inside a variant's own oneOf/anyOf, at any depth, added as optional fields. A oneOf whose variants
 * each hold one field is a group of alternatives (the container `folder` | `snippet` | `device`, an address kind):
 * it becomes a rule, required when every variant requires its field.
 */
function flattenNested(v: S, add: AddField, apiToClient: Map<string, string>, choices: ChoiceRule[]): void {
  const nested = (v.oneOf ?? v.anyOf) as S[] | undefined;
  if (!nested) return;
  const alternatives: string[] = [];
  const deeper: ChoiceRule[] = [];
  let allRequired = true;
  let single = true;
  for (const n of nested.map(mergeAllOf)) {
    const props = Object.entries((n.properties ?? {}) as Record<string, S>);
    for (const [name, prop] of props) {
      add(name, prop, false);
      const key = apiToClient.get(name);
      if (key && !alternatives.includes(key)) alternatives.push(key);
    }
    if (props.length !== 1) single = false;
    else if (!(n.required ?? []).includes(props[0]![0])) allRequired = false;
    flattenNested(n, add, apiToClient, deeper);
  }
  // Outer groups first, then the groups inside them.
  if (v.oneOf && single && alternatives.length > 1)
    choices.push({ keys: alternatives, required: allRequired });
  choices.push(...deeper);
}

/** Patterns JavaScript cannot compile (the spec's are written for another engine) are dropped, not guessed at. */
export function usablePattern(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string') return undefined;
  try {
    new RegExp(pattern, 'u');
    return pattern;
  } catch {
    return undefined;
  }
}

function strip<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

export type { SpecSchema };
