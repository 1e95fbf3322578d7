const PARAM = /\{([^{}]+)\}/g;

/** Percent-encodes one path parameter so that no value can add, remove or escape a segment. */
export function encodePathParam(value: string | number): string {
  const text = String(value);
  // URL parsers and proxies resolve "." and ".." segments (WHATWG even when written %2E), so never leave them bare.
  if (text === '.' || text === '..') return text.replaceAll('.', '%2E');
  return encodeURIComponent(text);
}

/** Fills `{name}` placeholders of a path template; throws when one is missing or empty. */
export function buildPath(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(PARAM, (_match, name: string) => {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    // An empty id would turn `/addresses/{id}` into the list endpoint.
    if (value === undefined || value === null || value === '') {
      throw new TypeError(`path parameter "${name}" is missing for ${template}`);
    }
    return encodePathParam(value);
  });
}

type QueryScalar = string | number | boolean | bigint;

function queryValue(key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value as QueryScalar);
  }
  throw new TypeError(`query parameter "${key}" must be a string, number, boolean or a list of them`);
}

/**
 * Builds `?a=1&b=x&b=y` in the order of the keys: undefined and null are skipped, arrays repeat the key.
 * Returns '' when nothing remains.
 */
export function buildQuery(query: Record<string, unknown> = {}): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      if (item === undefined || item === null) continue;
      // %20 rather than '+': folder names like "Mobile Users" must survive any server's decoder.
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(queryValue(key, item))}`);
    }
  }
  return parts.length ? `?${parts.join('&')}` : '';
}
