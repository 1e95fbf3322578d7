import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as a number, with its family: enough for canonical forms and containment. */
export interface IpValue {
  family: 4 | 6;
  value: bigint;
}

export const bitsOf = (family: 4 | 6) => (family === 4 ? 32 : 128);

export function parseIp(text: string): IpValue | undefined {
  if (isIPv4(text)) {
    const value = text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
    return { family: 4, value };
  }
  if (!isIPv6(text) || text.includes('%')) return undefined;
  let t = text;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (v4) {
    const n = parseIp(v4[1]!)!.value;
    t = `${t.slice(0, -v4[1]!.length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = t.split('::');
  const h = head ? head.split(':') : [];
  const tl = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - tl.length).fill('0'), ...tl];
  return { family: 6, value: groups.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n) };
}

/** RFC 5952 text: lower case, zeros dropped, the longest run of zero groups as `::`. */
export function formatIp(ip: IpValue): string {
  if (ip.family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 0xffn)).join('.');
  }
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip.value >> BigInt((7 - i) * 16)) & 0xffffn));
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

/** The network of a prefix: host bits cleared. */
export function networkOf(ip: IpValue, prefix: number): IpValue {
  const bits = BigInt(bitsOf(ip.family));
  const mask = ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(prefix))) - 1n);
  return { family: ip.family, value: ip.value & mask };
}

/** First and last address of a CIDR, as numbers. */
export function cidrBounds(ip: IpValue, prefix: number): [bigint, bigint] {
  const net = networkOf(ip, prefix).value;
  const size = 1n << BigInt(bitsOf(ip.family) - prefix);
  return [net, net + size - 1n];
}

/** Special-use ranges worth a warning: blocking them usually means a typo or an internal host. */
const SPECIAL: { family: 4 | 6; cidr: string; what: string }[] = [
  { family: 4, cidr: '10.0.0.0/8', what: 'private' },
  { family: 4, cidr: '172.16.0.0/12', what: 'private' },
  { family: 4, cidr: '192.168.0.0/16', what: 'private' },
  { family: 4, cidr: '100.64.0.0/10', what: 'shared address space (CGNAT)' },
  { family: 4, cidr: '127.0.0.0/8', what: 'loopback' },
  { family: 4, cidr: '169.254.0.0/16', what: 'link-local' },
  { family: 6, cidr: '::1/128', what: 'loopback' },
  { family: 6, cidr: 'fc00::/7', what: 'private (unique local)' },
  { family: 6, cidr: 'fe80::/10', what: 'link-local' },
];

/** Why a span of addresses deserves a warning (private, loopback, link-local), if it does. */
export function specialUse(family: 4 | 6, first: bigint, last: bigint): string | undefined {
  for (const s of SPECIAL) {
    if (s.family !== family) continue;
    const [addr, len] = s.cidr.split('/');
    const [lo, hi] = cidrBounds(parseIp(addr!)!, Number(len));
    if (first <= hi && last >= lo) return s.what;
  }
  return undefined;
}
