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
 * For one endpoint value: which addresses and groups of the snapshot hold it, computed once per query by a scan
 * of the addresses, then up through the groups (yes before depends, so a certain path wins).
 */
export class EndpointView {
  readonly #index: PolicyIndex;
  readonly ep: Endpoint;
  readonly #held = new Map<string, Membership>();
  /** For an object endpoint: its leaf addresses, each viewed as a value. */
  readonly #leaves?: Array<{ name: string; view: EndpointView }>;

  constructor(index: PolicyIndex, ep: Endpoint) {
    this.#index = index;
    this.ep = ep;
    if (ep.kind === 'object') {
      const names =
        ep.objectKind === 'address' ? [ep.text] : index.leavesOf(ep.text).map((l) => l.address);
      this.#leaves = names.flatMap((name) => {
        const a = index.addresses.get(name);
        const leafEp: Endpoint | undefined = a?.set
          ? { kind: 'ip', text: name, set: a.set }
          : a?.fqdn
            ? { kind: 'fqdn', text: name, fqdn: a.fqdn }
            : undefined;
        return leafEp ? [{ name, view: new EndpointView(index, leafEp) }] : [];
      });
      return;
    }
    const found: Array<[string, Membership]> = [];
    for (const [name, a] of index.addresses) {
      const m = this.#addressVerdict(a.set, a.fqdn);
      if (m.verdict !== 'no') found.push([name, { ...m, via: [name] }]);
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

  #addressVerdict(set: IpSet | undefined, fqdn: string | undefined): Omit<Membership, 'via'> {
    const ep = this.ep;
    if (ep.kind === 'ip') {
      if (set) {
        const o = overlap(set, ep.set);
        return o === 'all'
          ? { verdict: 'yes' }
          : o === 'some'
            ? { verdict: 'depends', why: `only part of ${ep.text} is in ${formatIpSet(set)}` }
            : { verdict: 'no' };
      }
      if (fqdn) return { verdict: 'depends', why: `what ${fqdn} resolves to` };
      return { verdict: 'no' };
    }
    if (ep.kind === 'fqdn') {
      if (fqdn) return fqdn === ep.fqdn ? { verdict: 'yes' } : { verdict: 'no' };
      if (set) return { verdict: 'depends', why: `what ${ep.fqdn} resolves to` };
    }
    return { verdict: 'no' };
  }

  /** Is the endpoint in the object or literal `entry` of a rule field? */
  inEntry(entry: string): Membership {
    const index = this.#index;
    if (entry === 'any') return { verdict: 'yes', via: [] };
    if (this.#leaves) {
      const ep = this.ep;
      // Named directly, or through a group holding it.
      if (entry === ep.text) return { verdict: 'yes', via: [entry] };
      const path = this.#groupPath(entry, ep.text);
      if (path) return { verdict: 'yes', via: path };
      if (!this.#leaves.length) return { verdict: 'depends', via: [entry], why: `${ep.text} has no address members` };
      let all = true;
      let some = false;
      let why: string | undefined;
      for (const leaf of this.#leaves) {
        const m = leaf.view.inEntry(entry);
        if (m.verdict === 'yes') some = true;
        else all = false;
        if (m.verdict === 'depends') why ??= m.why;
      }
      if (all) return { verdict: 'yes', via: [entry] };
      if (some || why)
        return { verdict: 'depends', via: [entry], why: why ?? `only some members of ${ep.text} are in ${entry}` };
      return { verdict: 'no', via: [] };
    }
    const held = this.#held.get(entry);
    if (held) return held;
    if (index.addresses.has(entry) || index.groups.has(entry)) {
      const g = index.groups.get(entry);
      if (g?.filterError) return { verdict: 'depends', via: [entry], why: `the filter of ${entry} (${g.filterError})` };
      return { verdict: 'no', via: [] };
    }
    if (index.kind('externalDynamicList').has(entry))
      return { verdict: 'depends', via: [entry], why: `external dynamic list ${entry} (its entries are not in the configuration)` };
    const region = index.kind('region').get(entry);
    if (region || /^[A-Z]{2}$/.test(entry)) {
      if (this.ep.kind === 'ip')
        for (const a of (region?.raw.address as unknown[] | undefined) ?? []) {
          const set = typeof a === 'string' ? parseIpSet(a) : undefined;
          if (set && overlap(set, this.ep.set) === 'all') return { verdict: 'yes', via: [entry, a as string] };
        }
      return { verdict: 'depends', via: [entry], why: `region ${entry} (geolocation is not in the configuration)` };
    }
    const literal = parseIpSet(entry);
    if (literal) {
      const m = this.#addressVerdict(literal, undefined);
      return { ...m, via: [entry] };
    }
    return { verdict: 'no', via: [], why: `${entry} is not a known object` };
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
