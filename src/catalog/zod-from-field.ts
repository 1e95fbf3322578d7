import { type ZodTypeAny, z } from 'zod';
import {
  type ChoiceRule,
  type DefaultValue,
  type FieldSchema,
  type InputField,
  type IrOperation,
  isGated,
  type ObjectField,
  type OperationRole,
} from '../openapi/ir.js';
import { GATE_INPUTS, LIST_INPUTS, listInputsFor, WAIT_INPUT } from './control-inputs.js';
import { fromJsonText } from './json-text.js';

export interface ZodOptions {
  /**
   * Field descriptions on the schema (they reach clients through zod-to-json-schema): `full` = upstream prose
   * plus our notes, `notes` = our notes only (compact), `none`.
   */
  descriptions: 'full' | 'notes' | 'none';
  /**
   * For listed schemas only: the objects at these paths are shown as free-form objects (`rules[].action`: a
   * property of the items of `rules`). tool_describe serves the whole schema, and validation always uses it.
   */
  abbreviate?: ReadonlySet<string>;
}

/** The path of a property below `parent` (`''` at the root), as `abbreviate` names it. */
export const fieldPath = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);

/** What an abbreviated object says instead of its fields. */
// Where the whole schema is, the tool's description says (ABBREVIATED_TOOL_NOTE).
export const ABBREVIATED_NOTE = 'abbreviated';

function described<T extends ZodTypeAny>(schema: T, field: FieldSchema, opts: ZodOptions): T {
  if (opts.descriptions === 'none') return schema;
  const prose = opts.descriptions === 'full' ? field.description : undefined;
  const text = [prose, field.note && (prose ? `(${field.note})` : field.note)].filter(Boolean).join(' ');
  return text ? (schema.describe(text) as T) : schema;
}

/** Adds "exactly / at most one of" checks, naming the fields that are missing or doubled. */
export function withChoices<T extends ZodTypeAny>(schema: T, choices: ChoiceRule[] | undefined): ZodTypeAny {
  if (!choices?.length) return schema;
  return schema.superRefine((value: Record<string, unknown>, ctx) => {
    for (const rule of choices) {
      const set = rule.keys.filter((k) => value?.[k] !== undefined);
      if (set.length > 1) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [set[1]!],
          message: `give only one of ${rule.keys.join(', ')}; got ${set.join(' and ')}`,
        });
      } else if (set.length === 0 && rule.required) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [rule.keys[0]!],
          message: `exactly one of ${rule.keys.join(', ')} is required; none given`,
        });
      }
    }
  });
}

/** `path`: where this field sits (see ZodOptions.abbreviate); only listed schemas need it. */
export function zodForField(field: FieldSchema, opts: ZodOptions, path = ''): ZodTypeAny {
  switch (field.kind) {
    case 'string': {
      let s: ZodTypeAny;
      if (field.enum?.length) {
        s = z.enum(field.enum as [string, ...string[]]);
      } else {
        let str = z.string();
        if (field.minLength !== undefined) str = str.min(field.minLength);
        if (field.maxLength !== undefined) str = str.max(field.maxLength);
        if (field.pattern !== undefined)
          str = str.regex(new RegExp(field.pattern, 'u'), `must match ${field.pattern}`);
        s = str;
      }
      return described(s, field, opts);
    }
    case 'number':
    case 'integer': {
      // finite: JSON's 1e999 parses to Infinity, which no API field means.
      let n = z.number().finite();
      if (field.kind === 'integer') n = n.int();
      if (field.minimum !== undefined) n = n.gte(field.minimum);
      if (field.maximum !== undefined) n = n.lte(field.maximum);
      return described(n, field, opts);
    }
    case 'boolean':
      return described(z.boolean(), field, opts);
    case 'array': {
      let a = z.array(zodForField(field.items, opts, `${path}[]`));
      if (field.minItems !== undefined) a = a.min(field.minItems);
      if (field.maxItems !== undefined) a = a.max(field.maxItems);
      return described(z.preprocess(fromJsonText, a), field, opts);
    }
    case 'object':
      if (opts.abbreviate?.has(path)) {
        const note = [field.note, ABBREVIATED_NOTE].filter(Boolean).join('; ');
        return described(z.record(z.string(), z.unknown()), { ...field, note }, opts);
      }
      return described(z.preprocess(fromJsonText, zodForObject(field, opts, path)), field, opts);
    case 'union':
      return described(
        z.union(
          field.variants.map((v, i) => zodForField(v, opts, `${path}|${i}`)) as [
            ZodTypeAny,
            ZodTypeAny,
            ...ZodTypeAny[],
          ],
        ),
        field,
        opts,
      );
    case 'any':
      return described(z.preprocess(fromJsonText, z.record(z.string(), z.unknown())), field, opts);
  }
}

/** Required, optional, or optional with the default filled in (so it is validated, previewed and sent). */
function requiredness(s: ZodTypeAny, field: { required: boolean; default?: DefaultValue }): ZodTypeAny {
  if (field.required) return s;
  return field.default !== undefined ? s.default(field.default) : s.optional();
}

function zodForObject(field: ObjectField, opts: ZodOptions, path: string): ZodTypeAny {
  const shape: Record<string, ZodTypeAny> = {};
  for (const [key, prop] of Object.entries(field.properties)) {
    shape[key] = requiredness(zodForField(prop.schema, opts, fieldPath(path, key)), prop);
  }
  // strict: an unknown key is a mistake worth naming, not something to drop silently.
  return withChoices(z.object(shape).strict(), field.choices);
}

/** The whole tool input: path, query and body fields flattened into one object, plus the gate fields. */
export function zodForInputs(
  op: Pick<IrOperation, 'inputs' | 'choices' | 'safety'> & { role?: OperationRole; action?: string },
  opts: ZodOptions,
): ZodTypeAny {
  const shape: Record<string, ZodTypeAny> = {};
  for (const input of op.inputs as InputField[]) {
    shape[input.name] = requiredness(zodForField(input.schema, opts, input.name), input);
  }
  if (isGated(op)) {
    shape.confirm = GATE_INPUTS.confirm.optional();
    shape.approval_token = GATE_INPUTS.approval_token.optional();
  }
  if (op.role === 'push') shape.wait = WAIT_INPUT.optional();
  for (const name of listInputsFor(op)) shape[name] = LIST_INPUTS[name].optional();
  return withChoices(z.object(shape).strict(), op.choices);
}
