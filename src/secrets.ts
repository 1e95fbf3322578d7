/**
 * The one redaction of this process: values registered here (the client secret, live access tokens) are
 * replaced in every form they can take on the way out (raw, JSON-escaped, URL-encoded, base64 and base64url),
 * on every channel: tool results, errors, logs and the audit log.
 */

export const REDACTED = '[redacted]';

// Shorter values would blank out ordinary words; real secrets and JWTs are far longer.
export const MIN_SECRET_LENGTH = 8;

// Per value: its forms, and each form as it shows inside JSON text (a string holding f serializes to jsonEscaped(f)).
const registered = new Map<string, { forms: string[]; inJson: string[] }>();

const jsonEscaped = (s: string) => JSON.stringify(s).slice(1, -1);
const asciiEscaped = (s: string) =>
  jsonEscaped(s).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * The part of base64(prefix + value + suffix) that depends on the value alone, for each of the three
 * alignments the value can have inside a longer encoded text (an `id:secret` Basic header, a blob).
 */
function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const cores: string[] = [];
  for (const lead of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(lead), bytes]).toString('base64');
    const skip = [0, 2, 3][lead]!;
    const total = lead + bytes.length;
    // Characters wholly inside the value's bits: full groups, then floor(8r/6) of a partial one.
    const end = Math.floor(total / 3) * 4 + Math.floor(((total % 3) * 8) / 6);
    const core = encoded.slice(skip, end);
    if (core.length >= MIN_SECRET_LENGTH) cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return cores;
}

/** Every form of `value` to look for, longest first so a longer form is never half-replaced by a shorter one. */
function formsOf(value: string): string[] {
  const url = encodeURIComponent(value);
  const forms = new Set([
    value,
    jsonEscaped(value),
    asciiEscaped(value),
    // Escaped twice: JSON text inside a JSON string (a tool result's text, an audit line).
    jsonEscaped(jsonEscaped(value)),
    jsonEscaped(asciiEscaped(value)),
    url,
    url.replace(/%20/g, '+'),
    url.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    encodeURI(value),
    ...base64Cores(value),
  ]);
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** Registers a value (client secret, token) that must never be printed; short values are ignored. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= MIN_SECRET_LENGTH && !registered.has(value)) {
    const forms = formsOf(value);
    registered.set(value, { forms, inJson: [...new Set(forms.map(jsonEscaped))] });
  }
}

/** Forgets a value that can no longer be used (an expired token). */
export function unregisterSecret(value: string): void {
  registered.delete(value);
}

/** `text` with every registered secret, in every form, replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const { forms } of registered.values()) {
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
  }
  return out;
}

/** A copy of `value` with every string in it (keys included) redacted; decoded strings catch escaped echoes. */
export function redactDeep<T>(value: T): T {
  if (registered.size === 0) return value;
  // Most values hold no secret: one native serialization and a substring search per form prove it, where the walk
  // would copy every string and search each one (most of a list call's own CPU time). Nothing found: nothing to copy.
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    // BigInt: the walk below copes.
  }
  if (json !== undefined && !jsonHoldsSecret(json)) return value;
  return walk(value, 0) as T;
}

/** Whether `text` holds any registered secret in any of its forms. */
export function holdsSecret(text: string): boolean {
  for (const { forms } of registered.values()) for (const f of forms) if (text.includes(f)) return true;
  return false;
}

/** Whether JSON text holds a registered secret inside any of its strings (keys included). */
export function jsonHoldsSecret(json: string): boolean {
  for (const { inJson } of registered.values()) for (const f of inJson) if (json.includes(f)) return true;
  return false;
}

function walk(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  // Deeper than any answer we shape: stringify, redact, keep as text.
  if (depth > 64) return redactSecrets(JSON.stringify(value) ?? '');
  if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        redactSecrets(k),
        walk(v, depth + 1),
      ]),
    );
  }
  return value;
}
