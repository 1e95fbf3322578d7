import { formatIpSet, overlap, parseIpSet } from './ip.js';
import type { PolicyIndex } from './index-build.js';
import { OBJECT_KINDS, type Item } from './snapshot.js';

/** Kinds object_find searches: every loaded object kind, and security rules. */
export const FIND_KINDS = [...OBJECT_KINDS, 'securityRule'] as const;

export interface Found {
  kind: string;
  name: string;
  folder: string;
  /** The value that matched, or the object's main value (IP, FQDN, port, URL list size). */
  value?: string;
  position?: string;
  index?: number;
}

function valueOf(kind: string, raw: Item): string | undefined {
  for (const k of ['ip_netmask', 'ip_range', 'ip_wildcard', 'fqdn'])
    if (kind === 'address' && typeof raw[k] === 'string') return raw[k] as string;
  if (kind === 'service' && raw.protocol && typeof raw.protocol === 'object') {
    const [p, v] = Object.entries(raw.protocol as Record<string, { port?: unknown }>)[0] ?? [];
    return p ? `${p}/${String(v?.port ?? '')}` : undefined;
  }
  return undefined;
}

/**
 * Objects whose name contains `text` (case-insensitive), or whose value holds or lies in `value` (IP maths for
 * addresses; substring for FQDNs and URL-list entries). Nothing found is an empty list, never an error.
 */
export function findObjects(
  index: PolicyIndex,
  q: { text?: string; value?: string; kinds?: string[] },
): Found[] {
  const kinds = new Set(q.kinds?.length ? q.kinds : FIND_KINDS);
  const text = q.text?.toLowerCase();
  const set = q.value ? parseIpSet(q.value) : undefined;
  const needle = q.value?.toLowerCase();
  const out: Found[] = [];
  for (const o of index.all) {
    if (!kinds.has(o.kind)) continue;
    if (text !== undefined && !o.name.toLowerCase().includes(text)) continue;
    let value = valueOf(o.kind, o.raw);
    if (q.value !== undefined) {
      if (set) {
        const a = o.kind === 'address' ? index.addresses.get(o.name) : undefined;
        const own = a?.obj === o ? a.set : value ? parseIpSet(value) : undefined;
        if (!own || (overlap(own, set) !== 'all' && overlap(set, own) !== 'all')) continue;
        value = formatIpSet(own);
      } else {
        const fqdn = typeof o.raw.fqdn === 'string' ? o.raw.fqdn.toLowerCase() : undefined;
        const list = Array.isArray(o.raw.list) ? o.raw.list.map(String) : [];
        const hit = fqdn?.includes(needle!) ? fqdn : list.find((x) => x.toLowerCase().includes(needle!));
        if (!hit) continue;
        value = hit;
      }
    }
    out.push({ kind: o.kind, name: o.name, folder: o.folder, ...(value ? { value } : {}) });
  }
  if (kinds.has('securityRule') && text !== undefined && q.value === undefined)
    for (const r of index.rules)
      if (r.name.toLowerCase().includes(text))
        out.push({
          kind: 'securityRule',
          name: r.name,
          folder: r.folder,
          position: r.position,
          index: r.index,
        });
  return out;
}
