import { LIVE_FORMATS } from './live-formats.js';
import type { IrOperation } from './ir.js';

/** What the live API enforces on one body field beyond the spec: an enum, or a format of LIVE_FORMATS. */
export interface LiveFieldRule {
  enum?: string[];
  format?: string;
}

/** `live.fields` of the overlay: resource -> body property path (`a.b` nested, `list[]` items) -> rule. */
export type LiveFields = Record<string, Record<string, LiveFieldRule>>;

type S = Record<string, unknown>;
const isObj = (v: unknown): v is S => !!v && typeof v === 'object' && !Array.isArray(v);

/** Checks the overlay section as read from YAML; throws naming the entry that is wrong. */
export function readLiveFields(raw: unknown): LiveFields {
  if (raw === undefined) return {};
  const fail = (where: string, why: string): never => {
    throw new Error(`specs/overlay.yaml live.fields${where}: ${why}`);
  };
  if (!isObj(raw)) fail('', 'must map resources to fields');
  const out: LiveFields = {};
  for (const [resource, paths] of Object.entries(raw as S)) {
    if (!isObj(paths)) fail(`.${resource}`, 'must map body field paths to rules');
    out[resource] = {};
    for (const [path, rule] of Object.entries(paths as S)) {
      const where = `.${resource}.${path}`;
      if (!isObj(rule)) fail(where, 'must be {enum: [...]} or {format: name}');
      const { enum: values, format, ...rest } = rule as S;
      if (Object.keys(rest).length) fail(where, `unknown keys ${Object.keys(rest).join(', ')}`);
      if (
        values !== undefined &&
        !(Array.isArray(values) && values.length && values.every((v) => typeof v === 'string'))
      )
        fail(where, 'enum must be a non-empty list of strings');
      if (format !== undefined && !(typeof format === 'string' && format in LIVE_FORMATS))
        fail(where, `format must be one of ${Object.keys(LIVE_FORMATS).join(', ')}`);
      out[resource][path] = {
        ...(values ? { enum: values as string[] } : {}),
        ...(format ? { format: format as string } : {}),
      };
    }
  }
  return out;
}

/** The schema and every allOf/oneOf/anyOf member below it: a field may sit in any of them. */
function membersOf(s: S): S[] {
  const out = [s];
  for (const k of ['allOf', 'oneOf', 'anyOf'])
    if (Array.isArray(s[k])) for (const m of s[k] as unknown[]) if (isObj(m)) out.push(...membersOf(m));
  return out;
}

/** The schemas a path names: `a.b` nested properties, `list[]` the items of `list`. */
export function schemasAt(schema: S, path: string): S[] {
  let current = [schema];
  for (const segment of path.split('.')) {
    const [, name = '', brackets = ''] = /^([^[]+)((?:\[\])*)$/.exec(segment) ?? [];
    current = current.flatMap(membersOf).flatMap((s) => {
      const p = isObj(s.properties) ? s.properties[name] : undefined;
      return isObj(p) ? [p] : [];
    });
    for (let i = 0; i < brackets.length / 2; i++)
      current = current.flatMap(membersOf).flatMap((s) => (isObj(s.items) ? [s.items] : []));
  }
  return current;
}

/** A copy of a request body schema with the live rules written in, so tool schemas and the sandbox read one source. */
export function withLiveFields<T>(schema: T, rules: Record<string, LiveFieldRule> | undefined): T {
  if (!rules || !isObj(schema)) return schema;
  const copy = structuredClone(schema) as S;
  for (const [path, rule] of Object.entries(rules))
    for (const target of schemasAt(copy, path)) Object.assign(target, rule);
  return copy as T;
}

/** Overlay entries that name no field of any operation body of their resource (a typo, or a spec change). */
export function unmatchedLiveFields(ops: IrOperation[], fields: LiveFields): string[] {
  const out: string[] = [];
  for (const [resource, paths] of Object.entries(fields))
    for (const path of Object.keys(paths))
      if (!ops.some((op) => op.resource === resource && op.body && schemasAt(op.body.schema, path).length))
        out.push(`${resource}: ${path}`);
  return out;
}
