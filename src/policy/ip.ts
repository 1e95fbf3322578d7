import ipaddr from 'ipaddr.js';

/**
 * A set of IP addresses as the configuration writes them: a CIDR, a range or a single address (one interval),
 * or an IPv4 wildcard mask (care bits; not always contiguous).
 */
export type IpSet =
  | { kind: 'interval'; v: 4 | 6; lo: bigint; hi: bigint }
  | { kind: 'wildcard'; v: 4; base: bigint; wild: bigint };

/** How much of one set lies in another: all of it, part of it, none of it. */
export type Overlap = 'all' | 'some' | 'none';

const bits = (v: 4 | 6) => (v === 4 ? 32 : 128);
const toBig = (a: ipaddr.IPv4 | ipaddr.IPv6): bigint =>
  a.toByteArray().reduce((n, b) => (n << 8n) | BigInt(b), 0n);

const QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseAddr(s: string): { v: 4 | 6; n: bigint } | undefined {
  // Dotted quads by hand: ipaddr.js is exact but slow, and a large tenant holds tens of thousands of them.
  const q = QUAD.exec(s);
  if (q) {
    const parts = q.slice(1).map(Number);
    if (parts.some((p) => p > 255) || q.slice(1).some((p) => p.length > 1 && p.startsWith('0')))
      return undefined;
    return { v: 4, n: BigInt(((parts[0]! * 256 + parts[1]!) * 256 + parts[2]!) * 256 + parts[3]!) };
  }
  if (!s.includes(':') || !ipaddr.isValid(s)) return undefined;
  // isValid accepts shorthand IPv4 ("10.1"): only four-part dotted quads count as addresses here.
  if (ipaddr.IPv4.isValid(s) && !ipaddr.IPv4.isValidFourPartDecimal(s)) return undefined;
  const a = ipaddr.parse(s);
  // An IPv4-mapped IPv6 address is the IPv4 address.
  const plain =
    a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress() ? (a as ipaddr.IPv6).toIPv4Address() : a;
  return { v: plain.kind() === 'ipv4' ? 4 : 6, n: toBig(plain) };
}

function cidr(v: 4 | 6, n: bigint, prefix: number): IpSet | undefined {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits(v)) return undefined;
  const host = (1n << BigInt(bits(v) - prefix)) - 1n;
  return { kind: 'interval', v, lo: n & ~host, hi: n | host };
}

/** An IP, CIDR (`a/len`), range (`a-b`) or IPv4 wildcard (`a/mask`) -> its set; undefined when it is none. */
export function parseIpSet(raw: string): IpSet | undefined {
  const s = raw.trim();
  const dash = s.indexOf('-');
  if (dash > 0) {
    const a = parseAddr(s.slice(0, dash).trim());
    const b = parseAddr(s.slice(dash + 1).trim());
    if (!a || !b || a.v !== b.v || a.n > b.n) return undefined;
    return { kind: 'interval', v: a.v, lo: a.n, hi: b.n };
  }
  const slash = s.indexOf('/');
  if (slash > 0) {
    const a = parseAddr(s.slice(0, slash));
    const tail = s.slice(slash + 1);
    if (!a) return undefined;
    if (/^\d{1,3}$/.test(tail)) return cidr(a.v, a.n, Number(tail));
    const mask = parseAddr(tail);
    if (a.v !== 4 || !mask || mask.v !== 4) return undefined;
    return { kind: 'wildcard', v: 4, base: a.n & ~mask.n, wild: mask.n };
  }
  const a = parseAddr(s);
  return a ? { kind: 'interval', v: a.v, lo: a.n, hi: a.n } : undefined;
}

const isContiguous = (wild: bigint) => (wild & (wild + 1n)) === 0n;

/** A wildcard with contiguous care bits is an interval. */
function normal(s: IpSet): IpSet {
  if (s.kind === 'wildcard' && isContiguous(s.wild))
    return { kind: 'interval', v: 4, lo: s.base, hi: s.base | s.wild };
  return s;
}

/** Split an interval into aligned CIDR blocks (at most 2 * bits of them). */
function* blocks(lo: bigint, hi: bigint, width: number): Generator<{ lo: bigint; size: bigint }> {
  let cur = lo;
  while (cur <= hi) {
    let size = 1n;
    while (size < 1n << BigInt(width) && (cur & (size * 2n - 1n)) === 0n && cur + size * 2n - 1n <= hi)
      size *= 2n;
    yield { lo: cur, size };
    cur += size;
  }
}

function intervalInWildcard(lo: bigint, hi: bigint, w: { base: bigint; wild: bigint }): Overlap {
  let all = true;
  let some = false;
  for (const b of blocks(lo, hi, 32)) {
    const host = b.size - 1n;
    const fixed = ~w.wild & ~host;
    const agrees = (b.lo & fixed) === (w.base & fixed);
    if (agrees) some = true;
    if (!agrees || (host & ~w.wild) !== 0n) all = false;
    if (some && !all) return 'some';
  }
  return all ? 'all' : some ? 'some' : 'none';
}

/** How much of `inner` lies inside `outer`. Exact for intervals; a scattered wildcard inside an interval is
 * judged by its lowest and highest address, so it may say `some` where the truth is `none` (never the reverse). */
export function overlap(outer: IpSet, inner: IpSet): Overlap {
  if (outer.v !== inner.v) return 'none';
  const o = normal(outer);
  const i = normal(inner);
  if (o.kind === 'interval' && i.kind === 'interval') {
    if (i.lo >= o.lo && i.hi <= o.hi) return 'all';
    return i.hi < o.lo || i.lo > o.hi ? 'none' : 'some';
  }
  if (o.kind === 'wildcard' && i.kind === 'interval') return intervalInWildcard(i.lo, i.hi, o);
  if (i.kind === 'wildcard' && o.kind === 'interval') {
    const lo = i.base;
    const hi = i.base | i.wild;
    if (lo >= o.lo && hi <= o.hi) return 'all';
    return hi < o.lo || lo > o.hi ? 'none' : 'some';
  }
  // Two scattered wildcards: equal care bits and base, or a superset of care bits agreeing on the rest.
  const a = o as Extract<IpSet, { kind: 'wildcard' }>;
  const b = i as Extract<IpSet, { kind: 'wildcard' }>;
  const fixed = ~a.wild;
  if ((b.wild & fixed) === 0n && (b.base & fixed) === (a.base & fixed)) return 'all';
  const common = ~a.wild & ~b.wild;
  return (a.base & common) === (b.base & common) ? 'some' : 'none';
}

/** A set in the configuration's own words, for reasons (`10.0.0.0/8`, `10.0.0.1-10.0.0.9`). */
export function formatIpSet(s: IpSet): string {
  const fmt = (n: bigint, v: 4 | 6) => {
    if (v === 4) return [24n, 16n, 8n, 0n].map((sh) => String((n >> sh) & 255n)).join('.');
    const bytes: number[] = [];
    for (let i = 0, x = n; i < bits(v) / 8; i++, x >>= 8n) bytes.unshift(Number(x & 255n));
    return ipaddr.fromByteArray(bytes).toString();
  };
  if (s.kind === 'wildcard') return `${fmt(s.base, 4)}/${fmt(s.wild, 4)}`;
  if (s.lo === s.hi) return fmt(s.lo, s.v);
  for (const b of blocks(s.lo, s.hi, bits(s.v))) {
    if (b.lo === s.lo && b.lo + b.size - 1n === s.hi) {
      let len = bits(s.v);
      for (let x = b.size; x > 1n; x >>= 1n) len--;
      return `${fmt(s.lo, s.v)}/${len}`;
    }
    break;
  }
  return `${fmt(s.lo, s.v)}-${fmt(s.hi, s.v)}`;
}

/** A hostname (letters, digits, dots, dashes, optional leading `*.`), for FQDN inputs. */
export const isFqdn = (s: string): boolean =>
  /^(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}\.?$/i.test(s.trim());
