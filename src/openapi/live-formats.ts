import { BlockList, isIP } from 'node:net';

/**
 * Value formats the live API checks where the spec says only `string`, named by `live.fields` in
 * specs/overlay.yaml. Each answers the problem with a value, or undefined when it is fine.
 */
export type FormatCheck = (value: string) => string | undefined;

const got = (v: string) => `(got ${JSON.stringify(v)})`;

/** 4 or 6 for a plain address; zone ids (`fe80::1%eth0`) are not addresses the API takes. */
const family = (s: string): number => (s.includes('%') ? 0 : isIP(s));

function ipNetmask(v: string): string | undefined {
  const [addr = '', prefix, ...rest] = v.split('/');
  const fam = family(addr);
  const max = fam === 4 ? 32 : 128;
  const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max);
  if (fam && prefixOk && !rest.length) return undefined;
  return `must be an IPv4 or IPv6 address with an optional /prefix, such as 10.0.0.0/24 ${got(v)}`;
}

function ipRange(v: string): string | undefined {
  const parts = v.split('-');
  const [start = '', end = ''] = parts;
  const fam = family(start);
  if (parts.length !== 2 || !fam || family(end) !== fam)
    return `must be two addresses of one family joined by "-", such as 10.0.0.1-10.0.0.20 ${got(v)}`;
  try {
    // BlockList refuses a range whose start comes after its end, for both families.
    new BlockList().addRange(start, end, fam === 4 ? 'ipv4' : 'ipv6');
  } catch {
    return `must not end before it starts: ${end} is before ${start} ${got(v)}`;
  }
  return undefined;
}

function ipWildcard(v: string): string | undefined {
  const [addr = '', mask = '', ...rest] = v.split('/');
  if (family(addr) === 4 && family(mask) === 4 && !rest.length) return undefined;
  return `must be an IPv4 address and an IPv4 wildcard mask, such as 10.132.1.2/0.0.255.255 ${got(v)}`;
}

const LABEL = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

function fqdn(v: string): string | undefined {
  const labels = v.split('.');
  if (v.length <= 255 && labels.length > 1 && labels.every((l) => LABEL.test(l))) return undefined;
  return `must be a domain name of dot-separated labels (letters, digits, _ and -, up to 63 each, not starting or ending with -), such as www.example.com ${got(v)}`;
}

/** A URL list entry: host and optional path, wildcards allowed, never a scheme. */
function urlPattern(v: string): string | undefined {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(v))
    return `must not carry a scheme: write ${JSON.stringify(v.replace(/^[^:]+:\/\//, ''))} ${got(v)}`;
  if (!v || /\s/.test(v)) return `must be a host and optional path without spaces ${got(v)}`;
  return undefined;
}

export const LIVE_FORMATS: Readonly<Record<string, FormatCheck>> = {
  'ip-netmask': ipNetmask,
  'ip-range': ipRange,
  'ip-wildcard': ipWildcard,
  fqdn,
  'url-pattern': urlPattern,
};
