/** Tenant text shown to a person (prompts, inbox) or a model: one line, no control characters, bounded. */

// C0/C1 controls, line/paragraph separators and bidi overrides: each could forge or hide a line of a prompt.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export const MAX_SHOWN = 80;

/** The text with unsafe characters as `\uXXXX` escapes (`\n` as `\n`), cut to `max` characters. */
export function safeText(s: string, max = MAX_SHOWN): string {
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  return cut.replace(UNSAFE, (c) =>
    c === '\n'
      ? '\\n'
      : c === '\r'
        ? '\\r'
        : c === '\t'
          ? '\\t'
          : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Tenant text in double quotes, inner quotes and backslashes escaped: `"Block \"x\""`. */
export function quoted(s: string, max = MAX_SHOWN): string {
  return `"${safeText(s.replace(/\\/g, '\\\\').replace(/"/g, '\\"'), max)}"`;
}

/** A value for a one-line diff: plain tokens bare (`10.0.0.0/8`, `deny`), others quoted, lists in brackets. */
export function shownValue(v: unknown, max = MAX_SHOWN): string {
  if (v === undefined) return '(none)';
  if (v === null) return 'null';
  if (Array.isArray(v)) {
    const items = v.slice(0, 10).map((i) => shownValue(i, 40));
    return `[${items.join(', ')}${v.length > 10 ? `, … ${v.length - 10} more` : ''}]`;
  }
  if (typeof v === 'object') return safeText(JSON.stringify(v), max);
  const s = String(v);
  return /^[\w.:/@+-]{1,80}$/.test(s) ? s : quoted(s, max);
}
