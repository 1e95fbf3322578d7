import type { IpSet } from './ip.js';
import type { AddressView, PolicyIndex } from './index-build.js';

// IPv4 addresses are bucketed by /24; one spanning more than this many buckets is checked on every query instead.
const MAX_BUCKETS = 4;
const bucketsOf = (s: IpSet): number[] | undefined => {
  if (s.kind !== 'interval' || s.v !== 4) return undefined;
  const lo = Number(s.lo >> 8n);
  const hi = Number(s.hi >> 8n);
  if (hi - lo >= MAX_BUCKETS) return undefined;
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
};

/**
 * What makes a query cheap on a large tenant: the IP addresses that can hold a value (by /24 bucket, plus the wide
 * and IPv6 ones), and, computed once, every group holding an FQDN address or an IP address (the "depends" cases,
 * the same for every query), each with one path down to such an address.
 */
export class AddressLookup {
  readonly #buckets = new Map<number, AddressView[]>();
  readonly #wide: AddressView[] = [];
  readonly #all: AddressView[] = [];
  readonly fqdnHolders: Map<string, string[]>;
  readonly ipHolders: Map<string, string[]>;

  constructor(index: PolicyIndex) {
    for (const a of index.addresses.values()) {
      if (!a.set) continue;
      this.#all.push(a);
      const bs = bucketsOf(a.set);
      if (!bs) this.#wide.push(a);
      else
        for (const b of bs) {
          const list = this.#buckets.get(b);
          if (list) list.push(a);
          else this.#buckets.set(b, [a]);
        }
    }
    const holders = (pick: (a: AddressView) => boolean) => {
      const out = new Map<string, string[]>();
      const queue: string[] = [];
      for (const a of index.addresses.values())
        if (pick(a)) {
          out.set(a.obj.name, [a.obj.name]);
          queue.push(a.obj.name);
        }
      for (let i = 0; i < queue.length; i++) {
        const n = queue[i]!;
        for (const g of index.parents.get(n) ?? [])
          if (!out.has(g)) {
            out.set(g, [g, ...out.get(n)!]);
            queue.push(g);
          }
      }
      return out;
    };
    this.fqdnHolders = holders((a) => !!a.fqdn);
    this.ipHolders = holders((a) => !!a.set);
  }

  /** IP addresses that may overlap `s` (a superset; the caller does the exact test). */
  candidates(s: IpSet): AddressView[] {
    const bs = bucketsOf(s);
    if (!bs) return this.#all;
    const out = new Set<AddressView>(this.#wide);
    for (const b of bs) for (const a of this.#buckets.get(b) ?? []) out.add(a);
    return [...out];
  }
}
