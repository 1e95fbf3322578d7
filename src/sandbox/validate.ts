import { usablePattern } from '../openapi/field-schema.js';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { IrOperation } from '../openapi/ir.js';
import { LIVE_FORMATS } from '../openapi/live-formats.js';
import { type FieldError, invalidObject } from './errors.js';
import { variantProps } from './variant-props.js';

type S = Record<string, unknown>;
const isObj = (v: unknown): v is S => !!v && typeof v === 'object' && !Array.isArray(v);

/** Keywords that only annotate, or that ajv cannot use as the spec writes them. */
const DROP = new Set([
  'example',
  'examples',
  'readOnly',
  'writeOnly',
  'discriminator',
  'xml',
  'externalDocs',
  'title',
  'description',
]);

function ownProps(s: S): Record<string, S> {
  const props: Record<string, S> = isObj(s.properties) ? ({ ...s.properties } as Record<string, S>) : {};
  if (Array.isArray(s.allOf))
    for (const part of s.allOf) if (isObj(part)) Object.assign(props, ownProps(part));
  return props;
}

/** A oneOf of objects, each naming its own fields: the spec's way of saying "one of these keys". */
function objectVariants(variants: unknown[]): S[] | undefined {
  const ok = variants.every(
    (v) =>
      isObj(v) &&
      isObj(v.properties) &&
      Object.keys(v.properties).length > 0 &&
      (v.type === undefined || v.type === 'object') &&
      v.oneOf === undefined &&
      v.anyOf === undefined,
  );
  return ok ? (variants as S[]) : undefined;
}

/**
 * OpenAPI 3.0 -> what ajv checks. A oneOf of objects becomes flat properties plus a `sandboxChoice`
 * rule: taken literally, JSON Schema's oneOf rejects every body whose variants leave keys optional.
 */
export function normalizeSchema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(normalizeSchema);
  if (!isObj(s)) return s;
  const out: S = {};
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith('x-') || DROP.has(k)) continue;
    if (k === 'properties' && isObj(v)) {
      out.properties = Object.fromEntries(Object.entries(v).map(([n, p]) => [n, normalizeSchema(p)]));
    } else if (k === 'pattern') {
      // Patterns written for another regex engine are dropped, as the tool schemas drop them.
      if (usablePattern(v)) out.pattern = v;
    } else if (k === 'format') {
      // Only the formats the live API is known to check (set through the overlay's live.fields).
      if (typeof v === 'string' && v in LIVE_FORMATS) out.format = v;
    } else if (['items', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf'].includes(k)) {
      out[k] = normalizeSchema(v);
    } else out[k] = v;
  }
  const variants = Array.isArray(s.oneOf) ? objectVariants(s.oneOf) : undefined;
  const writable = ownProps(s);
  if (variants) {
    delete out.oneOf;
    const props = { ...((out.properties as S | undefined) ?? {}) };
    for (const v of variants) {
      for (const [n, p] of Object.entries(v.properties as S)) {
        if (!(n in props)) props[n] = normalizeSchema(p);
        if (!(n in writable) && isObj(p)) writable[n] = p;
      }
    }
    out.properties = props;
    out.sandboxChoice = {
      groups: variants.map((v) => Object.keys(v.properties as S)),
      required: variants.every((v) => Array.isArray(v.required) && v.required.length > 0),
    };
  }
  if (Array.isArray(out.required)) {
    // The spec lists read-only and even absent fields as required; neither can be asked of a client.
    const required = (out.required as string[]).filter((r) => writable[r] && writable[r].readOnly !== true);
    if (required.length) out.required = required;
    else delete out.required;
  }
  return out;
}

interface Prepared {
  validate?: ValidateFunction;
  /** Top-level fields the schema names (empty: free-form, anything goes). */
  known: Set<string>;
  readOnly: Set<string>;
}

const pathOf = (instancePath: string) =>
  instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');

const join = (base: string, key: string) => (base ? `${base}.${key}` : key);

function toFieldErrors(errors: ErrorObject[]): FieldError[] {
  // Branches of a failed anyOf/oneOf repeat the same complaint once per branch: keep the summary.
  const failedUnions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const shown = errors.filter(
    (e) =>
      e.keyword === 'anyOf' ||
      e.keyword === 'oneOf' ||
      !failedUnions.some((u) => e.schemaPath.startsWith(`${u.schemaPath}/`)),
  );
  const out: FieldError[] = [];
  for (const e of shown) {
    const base = pathOf(e.instancePath);
    const p = e.params as Record<string, unknown>;
    let fe: FieldError;
    switch (e.keyword) {
      case 'required':
        fe = { field: join(base, String(p.missingProperty)), message: 'is required' };
        break;
      case 'type':
        fe = { field: base, message: `must be ${String(p.type)}`, expected: p.type };
        break;
      case 'enum': {
        const allowed = (p.allowedValues as unknown[]) ?? [];
        fe = { field: base, message: `must be one of: ${allowed.join(', ')}`, expected: allowed };
        break;
      }
      case 'additionalProperties':
        fe = { field: join(base, String(p.additionalProperty)), message: 'is not allowed' };
        break;
      case 'format': {
        const problem = typeof e.data === 'string' ? LIVE_FORMATS[String(p.format)]?.(e.data) : undefined;
        fe = { field: base, message: problem ?? `must be ${String(p.format)}`, expected: p.format };
        break;
      }
      default:
        fe = { field: base, message: e.message ?? `fails ${e.keyword}` };
    }
    if (!out.some((x) => x.field === fe.field && x.message === fe.message)) out.push(fe);
  }
  // A value of the wrong type fails its enum too: say it once.
  const wrongType = new Set(shown.filter((e) => e.keyword === 'type').map((e) => pathOf(e.instancePath)));
  return out.filter((e) => !(Array.isArray(e.expected) && wrongType.has(e.field)));
}

/** Request bodies checked against the operation's spec schema, compiled on first use. */
export class BodyValidator {
  readonly #ajv: Ajv;
  readonly #cache = new Map<string, Prepared>();
  readonly #log: (msg: string) => void;

  constructor(log: (msg: string) => void = () => {}) {
    this.#log = log;
    // verbose: format errors carry the value, so the message can say what is wrong with it.
    this.#ajv = new Ajv({ strict: false, allErrors: true, verbose: true });
    for (const [name, check] of Object.entries(LIVE_FORMATS))
      this.#ajv.addFormat(name, { type: 'string', validate: (v: string) => check(v) === undefined });
    const choice = (schema: { groups: string[][]; required: boolean }, data: unknown): boolean => {
      if (!isObj(data)) return true;
      const present = schema.groups.filter((g) => g.some((k) => data[k] !== undefined));
      const keys = schema.groups.flat();
      let message: string | undefined;
      if (present.length > 1)
        message = `only one of ${keys.join(', ')} may be set (got ${present
          .flat()
          .filter((k) => data[k] !== undefined)
          .join(', ')})`;
      else if (present.length === 0 && schema.required) message = `one of ${keys.join(', ')} is required`;
      if (!message) return true;
      choiceFn.errors = [{ keyword: 'sandboxChoice', message, params: { keys } }];
      return false;
    };
    const choiceFn = choice as typeof choice & { errors?: Partial<ErrorObject>[] };
    this.#ajv.addKeyword({
      keyword: 'sandboxChoice',
      schemaType: 'object',
      errors: true,
      validate: choiceFn,
    });
  }

  #prepare(op: IrOperation): Prepared {
    const cached = this.#cache.get(op.key);
    if (cached) return cached;
    const raw = (op.body?.schema ?? {}) as S;
    const schema = normalizeSchema(raw) as S;
    // Folder fields take any folder name (custom folders, snippets), not the spec's enum of six.
    const folderFields = op.inputs.filter((i) => i.source === 'body' && op.folderInputs.includes(i.name));
    for (const f of folderFields) {
      const prop = (schema.properties as Record<string, S> | undefined)?.[f.apiName];
      if (!prop) continue;
      delete prop.enum;
      if (isObj(prop.items)) delete prop.items.enum;
    }
    const props = ownProps(raw);
    Object.assign(props, variantProps(raw));
    const prepared: Prepared = {
      known: new Set(Object.keys(props)),
      readOnly: new Set(
        Object.entries(props)
          .filter(([, p]) => p.readOnly === true)
          .map(([n]) => n),
      ),
    };
    try {
      prepared.validate = this.#ajv.compile(schema);
    } catch (err) {
      this.#log(
        `schema of ${op.key} does not compile (${(err as Error).message}); checking top-level fields only`,
      );
    }
    this.#cache.set(op.key, prepared);
    return prepared;
  }

  /**
   * Throws 400 E003 naming every bad field. `extra` are top-level fields the live API takes beyond
   * the schema (the container, `name` where the spec forgot it).
   */
  check(op: IrOperation, body: unknown, extra: string[] = []): asserts body is Record<string, unknown> {
    if (!isObj(body)) throw invalidObject([{ field: '', message: 'the body must be a JSON object' }]);
    const p = this.#prepare(op);
    const errors: FieldError[] = [];
    for (const key of Object.keys(body)) {
      if (p.readOnly.has(key)) errors.push({ field: key, message: 'is read-only and cannot be sent' });
      else if (p.known.size && !p.known.has(key) && !extra.includes(key))
        errors.push({ field: key, message: 'is not allowed' });
    }
    if (p.validate && !p.validate(body)) errors.push(...toFieldErrors(p.validate.errors ?? []));
    if (errors.length) throw invalidObject(errors);
  }
}
