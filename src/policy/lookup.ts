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

  #byField?: Record<'source' | 'destination', { always: number[]; byName: Map<string, number[]> }>;

  /**
   * Per address field of the rules: which rules an IP endpoint can only match through a named address or group
   * (by name), and which must always be checked (any, negated, literals, EDLs, regions, groups holding FQDNs,
   * unknown names). Rule numbers are 0-based places in evaluation order.
   */
  ruleIndex(index: PolicyIndex) {
    if (this.#byField) return this.#byField;
    const build = (field: 'source' | 'destination') => {
      const always: number[] = [];
      const byName = new Map<string, number[]>();
      index.rules.forEach((r, i) => {
        const entries = r[field];
        const negated = field === 'source' ? r.negateSource : r.negateDestination;
        const plain = (e: string) =>
          (index.addresses.has(e) || index.groups.has(e)) &&
          !this.fqdnHolders.has(e) &&
          !index.groups.get(e)?.filterError;
        if (negated || !entries.length || !entries.every(plain)) {
          always.push(i);
          return;
        }
        for (const e of new Set(entries)) {
          const list = byName.get(e);
          if (list) list.push(i);
          else byName.set(e, [i]);
        }
      });
      return { always, byName };
    };
    this.#byField = { source: build('source'), destination: build('destination') };
    return this.#byField;
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
