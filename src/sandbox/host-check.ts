/**
 * The names a request's Host header may carry. The demo credentials are public, so a web page that rebinds its
 * own name to 127.0.0.1 could otherwise use them: only loopback names (and the address it was bound to) pass.
 */
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

/** `host` and `host:port`; IPv6 in brackets. */
function split(header: string): { name: string; port?: string } | undefined {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(header.trim());
  if (!m) return undefined;
  return { name: m[1]!.toLowerCase(), ...(m[2] ? { port: m[2] } : {}) };
}

/** A predicate over Host headers; `port()` is read per request (known only once listening). */
export function hostCheck(
  bindHost: string,
  port: () => number,
  extra: readonly string[] = [],
): (header: string | undefined) => boolean {
  const bracket = (h: string) => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h).toLowerCase();
  const bound = bracket(bindHost);
  const names = new Set([...LOOPBACK, ...(WILDCARD.has(bound) ? [] : [bound]), ...extra.map(bracket)]);
  return (header) => {
    const h = header === undefined ? undefined : split(header);
    return !!h && names.has(h.name) && (h.port === undefined || Number(h.port) === port());
  };
}
