import { createHash } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { bitsOf, cidrBounds, formatIp, networkOf, parseIp, specialUse } from './ip.js';

/** ip: one address; cidr: a network; range: first-last; fqdn: a host name; url: host and path (URL category only). */
export type IndicatorKind = 'ip' | 'cidr' | 'range' | 'fqdn' | 'url';

/** One indicator, classified and normalised: what the workflows store and compare. */
export interface Indicator {
  /** As the caller gave it. */
  input: string;
  kind: IndicatorKind;
  /** Normalised: `203.0.113.7`, `10.1.2.0/24`, `192.0.2.1-192.0.2.9`, `evil.example`, `evil.example/login`. */
  value: string;
  /** Compares values across kinds and objects (`ip:203.0.113.7/32`, `fqdn:evil.example`). */
  key: string;
  /** The address field holding it; absent for URLs (they go only into the URL category). */
  addressField?: 'ip_netmask' | 'ip_range' | 'fqdn';
  /** The URL category entry: FQDNs and URLs. */
  urlEntry?: string;
  /** Deterministic address object name (valid SCM name, at most 63 characters). */
  name: string;
  warnings: string[];
}

export interface Rejected {
  input: string;
  reason: string;
}

export interface Classified {
  valid: Indicator[];
  invalid: Rejected[];
  /** Broad indicators refused without `allow_broad`. */
  refused: Rejected[];
  duplicates: { input: string; same_as: string }[];
}

/** Shorter prefixes block far more than an indicator (refused unless allow_broad). */
export const MIN_PREFIX = { 4: 16, 6: 48 } as const;
export const NAME_MAX = 63;
export const NAME_PREFIX = 'ioc-';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

type Parsed = Omit<Indicator, 'input' | 'name' | 'key'> & { broad?: string };

/** A deterministic SCM object name for the value; long or unusual values keep a hash so names never collide. */
export function objectNameFor(kind: IndicatorKind, value: string): string {
  const tag = kind === 'cidr' ? 'net' : kind;
  const safe = value.replace(/:/g, '_').replace('/', '--');
  const name = `${NAME_PREFIX}${tag}-${safe}`;
  if (name.length <= NAME_MAX && /^[A-Za-z0-9._-]+$/.test(name)) return name;
  const hash = createHash('sha256').update(`${kind}:${value}`).digest('hex').slice(0, 10);
  const keep = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, NAME_MAX - hash.length - 1);
  return `${keep}-${hash}`;
}

/** Lower case, IDN to punycode, no trailing dot; undefined when not a valid host name. */
function normaliseHost(text: string): string | undefined {
  const ascii = domainToASCII(text.replace(/\.$/, '').toLowerCase());
  if (!ascii || ascii.length > 253) return undefined;
  const labels = ascii.split('.');
  if (!labels.every((l) => LABEL.test(l))) return undefined;
  // All-digit last label: a mistyped IP, not a name.
  if (/^\d+$/.test(labels[labels.length - 1]!)) return undefined;
  return ascii;
}

function parseAddressish(t: string): Parsed | string {
  const slash = t.indexOf('/');
  if (slash >= 0 && /^[0-9a-f.:]+\/\d{1,3}$/i.test(t)) {
    const ip = parseIp(t.slice(0, slash));
    const prefix = Number(t.slice(slash + 1));
    if (!ip) return 'not a valid IP network (address part)';
    if (prefix > bitsOf(ip.family)) return `prefix /${prefix} is longer than /${bitsOf(ip.family)}`;
    const net = networkOf(ip, prefix);
    const warnings: string[] = [];
    if (net.value !== ip.value) warnings.push(`host bits set: normalised to ${formatIp(net)}/${prefix}`);
    const [lo, hi] = cidrBounds(ip, prefix);
    const special = specialUse(ip.family, lo, hi);
    if (special) warnings.push(`${special} address`);
    const host = prefix === bitsOf(ip.family);
    return {
      kind: host ? 'ip' : 'cidr',
      value: host ? formatIp(net) : `${formatIp(net)}/${prefix}`,
      addressField: 'ip_netmask',
      warnings,
      ...(prefix < MIN_PREFIX[ip.family]
        ? {
            broad: `/${prefix} is shorter than /${MIN_PREFIX[ip.family]}: it would block ${prefix === 0 ? 'every address' : 'a whole network'}`,
          }
        : {}),
    };
  }
  const dash = /^([0-9a-f.:]+)\s*-\s*([0-9a-f.:]+)$/i.exec(t);
  if (dash) {
    const [a, b] = [parseIp(dash[1]!), parseIp(dash[2]!)];
    if (!a || !b) return 'not a valid IP range (first-last)';
    if (a.family !== b.family) return 'range mixes IPv4 and IPv6';
    if (a.value > b.value) return 'range ends before it starts';
    const size = b.value - a.value + 1n;
    const limit = 1n << BigInt(bitsOf(a.family) - MIN_PREFIX[a.family]);
    const special = specialUse(a.family, a.value, b.value);
    return {
      kind: 'range',
      value: `${formatIp(a)}-${formatIp(b)}`,
      addressField: 'ip_range',
      warnings: special ? [`${special} address`] : [],
      ...(size > limit ? { broad: `the range holds more addresses than a /${MIN_PREFIX[a.family]}` } : {}),
    };
  }
  const ip = parseIp(t);
  if (ip) {
    const special = specialUse(ip.family, ip.value, ip.value);
    return {
      kind: 'ip',
      value: formatIp(ip),
      addressField: 'ip_netmask',
      warnings: special ? [`${special} address`] : [],
    };
  }
  return '';
}

function parseUrl(t: string): Parsed | string {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(t);
  if (scheme && !['http', 'https'].includes(scheme[1]!.toLowerCase()))
    return `scheme ${scheme[1]}:// is not supported (http and https URLs only)`;
  const rest = scheme ? t.slice(scheme[0].length) : t;
  let url: URL;
  try {
    url = new URL(`http://${rest}`);
  } catch {
    return 'not a valid URL';
  }
  if (url.username || url.password) return 'URL carries credentials (user:password@): remove them';
  const wildcard = rest.startsWith('*.');
  const host = wildcard
    ? normaliseHost(url.hostname.replace(/^\*\./, '').replace(/^%2a\./i, ''))
    : url.hostname;
  const hostOk = host && (parseIp(host.replace(/^\[|\]$/g, '')) || normaliseHost(host));
  if (!hostOk) return 'URL host is not a valid host name or IP';
  const warnings: string[] = [];
  if (url.search) warnings.push('query string dropped: URL categories match host and path');
  const path = url.pathname === '/' ? '' : url.pathname;
  const entry = `${wildcard ? '*.' : ''}${host}${url.port ? `:${url.port}` : ''}${path}`;
  const bare = wildcard && !host.includes('.');
  return {
    kind: 'url',
    value: entry,
    urlEntry: entry,
    warnings,
    ...(bare ? { broad: `*.${host} would block a whole top-level domain` } : {}),
  };
}

function parse(t: string): Parsed | string {
  if (t === '*' || t === '*.*')
    return { kind: 'url', value: t, urlEntry: t, warnings: [], broad: '* matches everything' };
  const addr = parseAddressish(t);
  if (addr !== '') return addr;
  if (/[/]/.test(t) || /^[a-z][a-z0-9+.-]*:\/\//i.test(t) || t.startsWith('*.')) return parseUrl(t);
  if (/^[0-9.]+$/.test(t) || (/^[0-9a-f:]+$/i.test(t) && t.includes(':'))) return 'not a valid IP address';
  const host = normaliseHost(t);
  if (!host) return 'not an IP, CIDR, range, host name or URL';
  if (!host.includes('.'))
    return {
      kind: 'fqdn',
      value: host,
      addressField: 'fqdn',
      urlEntry: host,
      warnings: [],
      broad: `"${host}" is a single label (a bare TLD would block a whole domain)`,
    };
  return { kind: 'fqdn', value: host, addressField: 'fqdn', urlEntry: host, warnings: [] };
}

/** The comparable key of a normalised value (a host and its /32 or /128 are the same thing). */
export function keyOf(kind: IndicatorKind, value: string): string {
  if (kind === 'ip') return `ip:${value}/${value.includes(':') ? 128 : 32}`;
  if (kind === 'cidr') return `ip:${value}`;
  return `${kind}:${value}`;
}

/** The key of an existing address object's value, normalised the same way (undefined when it holds none we use). */
export function keyOfAddress(obj: Record<string, unknown>): string | undefined {
  for (const field of ['ip_netmask', 'ip_range', 'fqdn'] as const) {
    const v = obj[field];
    if (typeof v !== 'string') continue;
    const p = parse(v.trim());
    if (typeof p === 'string' || p.addressField !== field) return undefined;
    return keyOf(p.kind, p.value);
  }
  return undefined;
}

/**
 * Classifies and normalises a batch: valid indicators in input order, duplicates (by normalised value),
 * invalid ones with why, and broad ones refused unless `allowBroad`. Never throws for a bad indicator.
 */
export function classifyIndicators(
  inputs: readonly unknown[],
  opts: { allowBroad?: boolean } = {},
): Classified {
  const out: Classified = { valid: [], invalid: [], refused: [], duplicates: [] };
  const seen = new Map<string, string>();
  for (const raw of inputs) {
    const input = typeof raw === 'string' ? raw : JSON.stringify(raw);
    if (typeof raw !== 'string') {
      out.invalid.push({ input, reason: 'not a string' });
      continue;
    }
    // Ranges are often written with spaces around the dash.
    const t = raw.trim().replace(/\s*-\s*(?=[0-9a-f.:]+$)/i, '-');
    if (!t) {
      out.invalid.push({ input, reason: 'empty' });
      continue;
    }
    if (/[\s\u0000-\u001f\u007f]/.test(t)) {
      out.invalid.push({ input, reason: 'contains spaces or control characters' });
      continue;
    }
    const p = parse(t);
    if (typeof p === 'string') {
      out.invalid.push({ input, reason: p });
      continue;
    }
    const { broad, ...rest } = p;
    if (broad && !opts.allowBroad) {
      out.refused.push({ input, reason: `${broad}; pass allow_broad: true if that is really meant` });
      continue;
    }
    const key = keyOf(p.kind, p.value);
    const first = seen.get(key);
    if (first !== undefined) {
      out.duplicates.push({ input, same_as: first });
      continue;
    }
    seen.set(key, input);
    out.valid.push({
      input,
      ...rest,
      key,
      name: objectNameFor(p.kind, p.value),
      ...(broad ? { warnings: [...rest.warnings, broad] } : {}),
    });
  }
  return out;
}
