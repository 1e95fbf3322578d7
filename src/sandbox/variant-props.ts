type S = Record<string, unknown>;
const isObj = (v: unknown): v is S => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * The fields named inside a schema's oneOf/anyOf/allOf variants, at any depth: the unified API nests them two
 * deep (the container choice and the address kind inside an anyOf), and every one is a field a body may send.
 */
export function variantProps(schema: S): Record<string, S> {
  const out: Record<string, S> = {};
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const variants = schema[key];
    if (!Array.isArray(variants)) continue;
    for (const v of variants) {
      if (!isObj(v)) continue;
      if (isObj(v.properties)) Object.assign(out, v.properties);
      Object.assign(out, variantProps(v));
    }
  }
  return out;
}
