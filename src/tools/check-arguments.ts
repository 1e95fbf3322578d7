import { fromJsonText } from '../catalog/json-text.js';
import { InvalidArguments } from './invalid-arguments.js';

/**
 * Deeper than any tool schema goes (objects at most 5 levels, each maybe in an array): refused before zod, whose
 * recursion (and JSON.stringify's) would overflow the stack on 100,000 levels of [[[...]]].
 */
export const MAX_ARGUMENT_DEPTH = 64;

// Keys that reach Object.prototype (or crash code that reads them): no API field has these names.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A key as an error may name it: lone surrogates written as \uXXXX, so the message itself is valid text. */
const printable = (key: string) =>
  [...key].map((c) => (LONE_SURROGATE.test(c) ? `\\u${c.charCodeAt(0).toString(16)}` : c)).join('');

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

const join = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}.${key}` : path ? `${path}.${printable(key)}` : printable(key);

/**
 * What zod cannot say clearly, checked before it runs: arguments that are not an object, numbers that are not
 * finite (JSON's 1e999 parses to Infinity), strings with lone surrogates (no valid URL or JSON text holds them),
 * nesting beyond MAX_ARGUMENT_DEPTH, and keys that reach object prototypes. Walks without recursion.
 * Returns the arguments as a plain object; throws InvalidArguments naming each field.
 */
export function checkArguments(
  tool: string,
  raw: unknown,
  /** Top-level arguments left to the tool they are passed on to (tool_call's `arguments`). */
  opaque: readonly string[] = [],
): Record<string, unknown> {
  if (raw === undefined) return {};
  const args = fromJsonText(raw);
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new InvalidArguments(tool, [
      { field: 'arguments', message: `expected an object of named arguments, got ${kindOf(args)}` },
    ]);
  }
  const problems: { field: string; message: string }[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: args, path: '', depth: 0 }];
  while (stack.length && problems.length < 10) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'number' && !Number.isFinite(value)) {
      problems.push({ field: path, message: `expected a finite number, got ${String(value)}` });
    } else if (typeof value === 'string' && LONE_SURROGATE.test(value)) {
      problems.push({ field: path, message: 'text holds a lone UTF-16 surrogate (not valid Unicode)' });
    } else if (value && typeof value === 'object') {
      if (depth >= MAX_ARGUMENT_DEPTH) {
        problems.push({ field: path, message: `nested deeper than ${MAX_ARGUMENT_DEPTH} levels` });
        continue;
      }
      const entries: Array<[string | number, unknown]> = Array.isArray(value)
        ? value.map((v, i) => [i, v])
        : Object.entries(value);
      for (const [key, v] of entries) {
        const at = join(path, key);
        if (typeof key === 'string' && FORBIDDEN_KEYS.has(key))
          problems.push({ field: at, message: 'not an accepted field name' });
        else if (typeof key === 'string' && LONE_SURROGATE.test(key))
          problems.push({
            field: at,
            message: 'field name holds a lone UTF-16 surrogate (not valid Unicode)',
          });
        else if (!(depth === 0 && opaque.includes(at))) stack.push({ value: v, path: at, depth: depth + 1 });
      }
    }
  }
  if (problems.length) throw new InvalidArguments(tool, problems);
  return args as Record<string, unknown>;
}
