import { formatIpSet, type IpSet, isFqdn, overlap, parseIpSet } from './ip.js';
import type { PolicyIndex } from './index-build.js';

/** yes: certainly; no: certainly not; depends: the configuration alone cannot say. */
export type Verdict = 'yes' | 'no' | 'depends';

/** A flow's source or destination as given: a value, or an object of the snapshot. */
export type Endpoint =
  | { kind: 'ip'; text: string; set: IpSet }
  | { kind: 'fqdn'; text: string; fqdn: string }
  | { kind: 'object'; text: string; objectKind: 'address' | 'addressGroup' };

/** A value or object name -> endpoint; undefined when it is none of them. */
export function parseEndpoint(index: PolicyIndex, raw: string): Endpoint | undefined {
  const text = raw.trim();
  if (index.addresses.has(text)) return { kind: 'object', text, objectKind: 'address' };
  if (index.groups.has(text)) return { kind: 'object', text, objectKind: 'addressGroup' };
  const set = parseIpSet(text);
  if (set) return { kind: 'ip', text, set };
  if (isFqdn(text)) return { kind: 'fqdn', text, fqdn: text.toLowerCase().replace(/\.$/, '') };
  return undefined;
}

export interface Membership {
  verdict: Verdict;
  /** Names from the named object down to the address that decided (`web-servers > web-srv-01`). */
  via: string[];
  why?: string;
}

const rank: Record<Verdict, number> = { yes: 2, depends: 1, no: 0 };
export const better = (a: Verdict, b: Verdict): Verdict => (rank[a] >= rank[b] ? a : b);

/**
 * For one endpoint value: which addresses and groups of the snapshot hold it, computed once per query (IP
 * candidates by bucket, then up through the groups, yes before depends so a certain path wins). Groups holding an
 * FQDN (for an IP) or an IP (for an FQDN) "depend": that is precomputed once per snapshot.
 */
export class EndpointView {
  readonly #index: PolicyIndex;
  readonly ep: Endpoint;
  readonly #held = new Map<string, Membership>();
  readonly #memo = new Map<string, Membership>();
  /** For an object endpoint: its leaf addresses as values (viewed one by one only for literals, EDLs, regions),
   * and per holder how many leaves it holds for certain. */
  #leafEps?: Endpoint[];
  #leafViews?: EndpointView[];
  readonly #yesCount = new Map<string, number>();
  readonly #maybe = new Set<string>();
  /** Leaf kinds present: an IP leaf depends on groups holding FQDNs, an FQDN leaf on groups holding IPs. */
  #ipLeaf = false;
  #fqdnLeaf = false;

  constructor(index: PolicyIndex, ep: Endpoint) {
    this.#index = index;
    this.ep = ep;
    if (ep.kind === 'object') {
      const names = ep.objectKind === 'address' ? [ep.text] : index.leavesOf(ep.text).map((l) => l.address);
      const leaves: Endpoint[] = [...new Set(names)].flatMap((name): Endpoint[] => {
        const a = index.addresses.get(name);
        if (a?.set) return [{ kind: 'ip', text: name, set: a.set }];
        if (a?.fqdn) return [{ kind: 'fqdn', text: name, fqdn: a.fqdn }];
        return [];
      });
      this.#leafEps = leaves;
      this.#ipLeaf = leaves.some((l) => l.kind === 'ip');
      this.#fqdnLeaf = leaves.some((l) => l.kind === 'fqdn');
      // Per leaf, the addresses holding its value and every group above them (ancestors remembered per snapshot).
      for (const leaf of leaves) {
        const holders = new Map<string, boolean>();
        const hold = (name: string, certain: boolean) => {
          for (const n of [name, ...index.ancestorsOf(name)])
            if (certain || !holders.has(n)) holders.set(n, certain || holders.get(n) === true);
        };
        if (leaf.kind === 'ip')
          for (const a of index.lookup.candidates(leaf.set)) {
            const o = overlap(a.set!, leaf.set);
            if (o !== 'none') hold(a.obj.name, o === 'all');
          }
        else if (leaf.kind === 'fqdn')
          for (const a of index.addresses.values()) if (a.fqdn === leaf.fqdn) hold(a.obj.name, true);
        for (const [holder, certain] of holders) {
          this.#maybe.add(holder);
          if (certain) this.#yesCount.set(holder, (this.#yesCount.get(holder) ?? 0) + 1);
        }
      }
      return;
    }
    const found: Array<[string, Membership]> = [];
    if (ep.kind === 'ip') {
      for (const a of index.lookup.candidates(ep.set)) {
        const o = overlap(a.set!, ep.set);
        if (o === 'all') found.push([a.obj.name, { verdict: 'yes', via: [a.obj.name] }]);
        else if (o === 'some')
          found.push([
            a.obj.name,
            {
              verdict: 'depends',
              via: [a.obj.name],
              why: `only part of ${ep.text} is in ${formatIpSet(a.set!)}`,
            },
          ]);
      }
    } else {
      for (const a of index.addresses.values())
        if (a.fqdn === ep.fqdn) found.push([a.obj.name, { verdict: 'yes', via: [a.obj.name] }]);
    }
    found.sort((x, y) => rank[y[1].verdict] - rank[x[1].verdict]);
    for (const [name, m] of found) this.#held.set(name, m);
    // Breadth-first up the groups: each group keeps the first (best) path that reached it.
    const queue = found.map(([name]) => name);
    for (let i = 0; i < queue.length; i++) {
      const child = queue[i]!;
      const cm = this.#held.get(child)!;
      for (const g of index.parents.get(child) ?? []) {
        const have = this.#held.get(g);
        if (have && rank[have.verdict] >= rank[cm.verdict]) continue;
        this.#held.set(g, { verdict: cm.verdict, via: [g, ...cm.via], ...(cm.why ? { why: cm.why } : {}) });
        queue.push(g);
      }
    }
  }

  /** For an IP endpoint: every address and group that holds it, fully or in part (else undefined: no shortcut). */
  heldNames(): Iterable<string> | undefined {
    return this.ep.kind === 'ip' ? this.#held.keys() : undefined;
  }

  /** Is the endpoint in the object or literal `entry` of a rule field? */
  inEntry(entry: string): Membership {
    let m = this.#memo.get(entry);
    if (!m) {
      m = this.#inEntry(entry);
      this.#memo.set(entry, m);
    }
    return m;
  }

  #inEntry(entry: string): Membership {
    const index = this.#index;
    if (entry === 'any') return { verdict: 'yes', via: [] };
    const named = index.addresses.has(entry) || index.groups.has(entry);
    if (this.#leafEps) {
      const ep = this.ep;
      // Named directly, or through a group holding it.
      if (entry === ep.text) return { verdict: 'yes', via: [entry] };
      const path = this.#groupPath(entry, ep.text);
      if (path) return { verdict: 'yes', via: path };
      const n = this.#leafEps.length;
      if (!n) return { verdict: 'depends', via: [entry], why: `${ep.text} has no address members` };
      if (named) {
        if (this.#yesCount.get(entry) === n) return { verdict: 'yes', via: [entry] };
        const lookup = index.lookup;
        if (
          this.#maybe.has(entry) ||
          (this.#ipLeaf && lookup.fqdnHolders.has(entry)) ||
          (this.#fqdnLeaf && lookup.ipHolders.has(entry))
        )
          return { verdict: 'depends', via: [entry], why: `only some members of ${ep.text} are in ${entry}` };
        return { verdict: 'no', via: [] };
      }
      this.#leafViews ??= this.#leafEps.map((l) => new EndpointView(index, l));
      const ms = this.#leafViews.map((l) => l.inEntry(entry));
      if (ms.every((x) => x.verdict === 'yes')) return { verdict: 'yes', via: [entry] };
      const why = ms.find((x) => x.verdict === 'depends')?.why;
      if (why || ms.some((x) => x.verdict === 'yes'))
        return {
          verdict: 'depends',
          via: [entry],
          why: why ?? `only some members of ${ep.text} are in ${entry}`,
        };
      return { verdict: 'no', via: [] };
    }
    const held = this.#held.get(entry);
    if (held) return held;
    if (named) {
      const cross = this.#crossKind(entry);
      if (cross) return cross;
      const g = index.groups.get(entry);
      if (g?.filterError)
        return { verdict: 'depends', via: [entry], why: `the filter of ${entry} (${g.filterError})` };
      return { verdict: 'no', via: [] };
    }
    if (index.kind('externalDynamicList').has(entry))
      return {
        verdict: 'depends',
        via: [entry],
        why: `external dynamic list ${entry} (its entries are not in the configuration)`,
      };
    const region = index.kind('region').get(entry);
    if (region || /^[A-Z]{2}$/.test(entry)) {
      if (this.ep.kind === 'ip')
        for (const a of (region?.raw.address as unknown[] | undefined) ?? []) {
          const set = typeof a === 'string' ? index.ipSetOf(a) : undefined;
          if (set && overlap(set, this.ep.set) === 'all')
            return { verdict: 'yes', via: [entry, a as string] };
        }
      return {
        verdict: 'depends',
        via: [entry],
        why: `region ${entry} (geolocation is not in the configuration)`,
      };
    }
    const literal = index.ipSetOf(entry);
    if (literal) {
      if (this.ep.kind !== 'ip')
        return { verdict: 'depends', via: [entry], why: `what ${this.ep.text} resolves to` };
      const o = overlap(literal, this.ep.set);
      if (o === 'all') return { verdict: 'yes', via: [entry] };
      if (o === 'some')
        return { verdict: 'depends', via: [entry], why: `only part of ${this.ep.text} is in ${entry}` };
      return { verdict: 'no', via: [] };
    }
    return { verdict: 'no', via: [], why: `${entry} is not a known object` };
  }

  /** An IP against a group holding FQDNs, or an FQDN against one holding IPs: the configuration cannot say. */
  #crossKind(entry: string): Membership | undefined {
    const lookup = this.#index.lookup;
    if (this.ep.kind === 'ip') {
      const path = lookup.fqdnHolders.get(entry);
      if (path) {
        const fqdn = this.#index.addresses.get(path[path.length - 1]!)?.fqdn;
        return { verdict: 'depends', via: path, why: `what ${fqdn} resolves to` };
      }
    } else if (this.ep.kind === 'fqdn' && lookup.ipHolders.has(entry))
      return { verdict: 'depends', via: [entry], why: `what ${this.ep.fqdn} resolves to` };
    return undefined;
  }

  /** Path from group `entry` down to `name`, when `entry` holds it (directly or nested). */
  #groupPath(entry: string, name: string): string[] | undefined {
    if (!this.#index.groups.has(entry)) return undefined;
    const seen = new Set<string>();
    const walk = (n: string): string[] | undefined => {
      if (n === entry) return [n];
      if (seen.has(n)) return undefined;
      seen.add(n);
      for (const p of this.#index.parents.get(n) ?? []) {
        const up = walk(p);
        if (up) return [...up, n];
      }
      return undefined;
    };
    return walk(name);
  }
}
