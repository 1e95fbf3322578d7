import { type Endpoint, EndpointView, type Membership, type Verdict } from './endpoint.js';
import { type PolicyIndex, PREDEFINED_SERVICES, type RuleView, type ServiceDef } from './index-build.js';
import { urlInCategory } from './url.js';

/** The traffic asked about. Absent fields are unknown, not "anything": a rule that needs them says so. */
export interface Flow {
  source?: Endpoint;
  destination?: Endpoint;
  fromZone?: string;
  toZone?: string;
  protocol?: string;
  port?: number;
  application?: string;
  sourceUser?: string;
  url?: string;
  category?: string;
}

export interface FieldVerdict {
  verdict: Verdict;
  reason: string;
}

export interface RuleVerdict {
  rule: RuleView;
  verdict: Verdict | 'disabled';
  /** Per field that is not `any`: why it matches, does not, or depends. */
  fields: Record<string, FieldVerdict>;
  dependsOn: string[];
}

export interface MatchResult {
  /** The first rule that certainly matches, else undefined (the default decides). */
  decidedBy?: RuleVerdict;
  /** Rules before the deciding one that match or not depending on something outside the configuration. */
  unless: RuleVerdict[];
  /** Every rule that matches or may match, in evaluation order (disabled ones only when asked). */
  matches: RuleVerdict[];
  default?:
    | { name: 'intrazone-default' | 'interzone-default'; action: 'allow' | 'deny' }
    | { name: 'depends on zones'; action: 'allow or deny' };
}

const NOT_IN: Membership = { verdict: 'no', via: [] };
const isAny = (list: string[]) => list.length === 0 || list.includes('any');
// Reasons are built only when read: a query checks every rule, and shows few.
const lazy = (verdict: Verdict, text: () => string): FieldVerdict => ({
  verdict,
  get reason() {
    return text();
  },
});
const yes = (reason: string): FieldVerdict => ({ verdict: 'yes', reason });
const depends = (reason: string): FieldVerdict => ({ verdict: 'depends', reason });
const list = (xs: string[]) => xs.join(', ');

/** Per-query context: one endpoint view per side, built once and shared by every rule. */
export class Matcher {
  readonly #index: PolicyIndex;
  readonly #flow: Flow;
  readonly #src?: EndpointView;
  readonly #dst?: EndpointView;
  readonly #apps = new Map<string, string[] | undefined>();
  /** Field verdicts by field and list: rules repeat the same lists, a query decides each once. */
  readonly #memo = new Map<string, FieldVerdict>();

  #once(key: string, f: () => FieldVerdict): FieldVerdict {
    let v = this.#memo.get(key);
    if (!v) {
      v = f();
      this.#memo.set(key, v);
    }
    return v;
  }

  constructor(index: PolicyIndex, flow: Flow) {
    this.#index = index;
    this.#flow = flow;
    if (flow.source) this.#src = new EndpointView(index, flow.source);
    if (flow.destination) this.#dst = new EndpointView(index, flow.destination);
  }

  zone(field: 'from' | 'to', zones: string[], given: string | undefined): FieldVerdict {
    if (given === undefined)
      return depends(
        `${field}: ${field === 'from' ? 'from_zone' : 'to_zone'} not given (rule: ${list(zones)})`,
      );
    return zones.includes(given)
      ? yes(`${field}: ${given}`)
      : lazy('no', () => `${field}: ${given} is not ${list(zones)}`);
  }

  address(
    field: 'source' | 'destination',
    entries: string[],
    negate: boolean,
    view: EndpointView | undefined,
  ): FieldVerdict {
    if (!view) return depends(`${field}: not given (rule: ${negate ? 'not ' : ''}${list(entries)})`);
    const what = view.ep.text;
    let best: Membership = NOT_IN;
    let whys: string[] | undefined;
    for (const e of entries) {
      const m = view.inEntry(e);
      if (m.verdict === 'depends' && m.why) (whys ??= []).push(m.why);
      if (m.verdict === 'yes' || (m.verdict === 'depends' && best.verdict === 'no')) best = m;
      if (best.verdict === 'yes') break;
    }
    const text = () => {
      if (best.verdict === 'yes') {
        const [top, ...rest] = best.via;
        const kind =
          top && this.#index.groups.has(top)
            ? 'group'
            : top && this.#index.addresses.has(top)
              ? 'address'
              : '';
        return top
          ? `${what} is in ${kind ? `${kind} ` : ''}${top}${rest.length ? ` via ${rest.join(' > ')}` : ''}`
          : `${what} is in any`;
      }
      if (best.verdict === 'depends') return `depends on ${[...new Set(whys)].join('; ')}`;
      return `${what} is not in ${list(entries)}`;
    };
    if (!negate) return lazy(best.verdict, () => `${field}: ${text()}`);
    const flipped: Verdict = best.verdict === 'yes' ? 'no' : best.verdict === 'no' ? 'yes' : 'depends';
    return lazy(flipped, () => `${field} (negated): ${text()}`);
  }

  user(entries: string[]): FieldVerdict {
    const u = this.#flow.sourceUser;
    if (u === undefined) return depends(`source_user: not given (rule: ${list(entries)})`);
    const dugs = this.#index.kind('dynamicUserGroup');
    let out = lazy('no', () => `source_user: ${u} is not ${list(entries)}`);
    for (const e of entries) {
      if (e === 'known-user' || e.toLowerCase() === u.toLowerCase()) return yes(`source_user: ${u} is ${e}`);
      if (dugs.has(e)) out = depends(`source_user: depends on dynamic user group ${e}`);
      else if (e !== 'unknown' && e !== 'pre-logon' && /(^cn=|,|\\|group)/i.test(e))
        out = depends(`source_user: depends on whether ${u} is in user group ${e}`);
    }
    return out;
  }

  /** App names an application group holds, nested (cycles cut); undefined when it holds a filter. */
  #appMembers(group: string): string[] | undefined {
    if (this.#apps.has(group)) return this.#apps.get(group);
    const out: string[] = [];
    let filter = false;
    const seen = new Set<string>();
    const walk = (g: string) => {
      if (seen.has(g)) return;
      seen.add(g);
      for (const m of this.#index.appGroups.get(g) ?? []) {
        if (this.#index.appGroups.has(m)) walk(m);
        else if (this.#index.kind('applicationFilter').has(m)) filter = true;
        else out.push(m);
      }
    };
    walk(group);
    const res = filter && !out.length ? undefined : out;
    this.#apps.set(group, res);
    return res;
  }

  application(entries: string[]): FieldVerdict {
    const app = this.#flow.application;
    if (app === undefined) return depends(`application: not given (rule: ${list(entries)})`);
    let out = lazy('no', () => `application: ${app} is not ${list(entries)}`);
    for (const e of entries) {
      if (e === app) return yes(`application: ${app}`);
      if (this.#index.appGroups.has(e)) {
        if (this.#appMembers(e)?.includes(app)) return yes(`application: ${app} is in group ${e}`);
        if (this.#index.appGroups.get(e)?.some((m) => this.#index.kind('applicationFilter').has(m)))
          out = depends(`application: depends on the application filter in group ${e}`);
      } else if (this.#index.kind('applicationFilter').has(e))
        out = depends(
          `application: depends on application filter ${e} (App-ID attributes are not in the configuration)`,
        );
    }
    return out;
  }

  #serviceDefs(name: string, seen = new Set<string>()): ServiceDef[] | undefined {
    if (PREDEFINED_SERVICES[name]) return PREDEFINED_SERVICES[name];
    const own = this.#index.services.get(name);
    if (own) return own;
    const members = this.#index.serviceGroups.get(name);
    if (!members || seen.has(name)) return undefined;
    seen.add(name);
    return members.flatMap((m) => this.#serviceDefs(m, seen) ?? []);
  }

  service(entries: string[], application: string[]): FieldVerdict {
    const { protocol, port } = this.#flow;
    const app = this.#flow.application;
    let out = lazy(
      'no',
      () => `service: ${protocol ?? ''}${port !== undefined ? `/${port}` : ''} is not ${list(entries)}`,
    );
    for (const e of entries) {
      if (e === 'application-default') {
        const custom = app ? this.#index.kind('application').get(app) : undefined;
        const dflt = (custom?.raw.default as { port?: unknown } | undefined)?.port;
        if (custom && Array.isArray(dflt) && protocol !== undefined && port !== undefined) {
          const ok = dflt.some((d) => {
            const [p, ports] = String(d).split('/');
            return (
              p === protocol &&
              ports?.split(',').some((r) => {
                const [lo, hi] = r.split('-').map(Number);
                return port >= lo! && port <= (hi ?? lo)!;
              })
            );
          });
          if (ok) return yes(`service: ${protocol}/${port} is a standard port of ${app}`);
          continue;
        }
        out = depends(
          `service: application-default: depends on the standard ports of ${app ?? (isAny(application) ? 'the application' : list(application))}`,
        );
        continue;
      }
      const defs = this.#serviceDefs(e);
      if (!defs) continue;
      if (protocol !== undefined && !['tcp', 'udp', 'sctp'].includes(protocol)) continue;
      const hit = defs.filter(
        (d) =>
          (protocol === undefined || d.protocol === protocol) &&
          (port === undefined || d.ports.some((r) => port >= r.lo && port <= r.hi)),
      );
      if (!hit.length) continue;
      if (protocol !== undefined && port !== undefined) return yes(`service: ${protocol}/${port} is in ${e}`);
      out = depends(
        `service: depends on ${protocol === undefined ? 'protocol' : 'port'} (not given; rule: ${e})`,
      );
    }
    return out;
  }

  category(entries: string[]): FieldVerdict {
    const { url, category } = this.#flow;
    if (url === undefined && category === undefined)
      return depends(`category: url or category not given (rule: ${list(entries)})`);
    let out = lazy('no', () => `category: ${url ?? category} is not in ${list(entries)}`);
    const custom = this.#index.kind('urlCategory');
    for (const e of entries) {
      if (category !== undefined && e === category) return yes(`category: ${category}`);
      const c = custom.get(e);
      if (c && url !== undefined && String(c.raw.type ?? 'URL List') !== 'Category Match') {
        if (urlInCategory(url, c.raw)) return yes(`category: ${url} is in URL category ${e}`);
        continue;
      }
      if (c && String(c.raw.type) === 'Category Match') {
        const cats = (c.raw.list as string[] | undefined) ?? [];
        if (category !== undefined && cats.includes(category)) return yes(`category: ${category} is in ${e}`);
        if (category === undefined) out = depends(`category: depends on the PAN-DB category of ${url}`);
        continue;
      }
      if (this.#index.kind('externalDynamicList').has(e)) {
        out = depends(`category: depends on external dynamic list ${e}`);
        continue;
      }
      if (!c && category === undefined)
        out = depends(`category: depends on the PAN-DB category of ${url} (rule: ${e})`);
    }
    return out;
  }

  /**
   * Rules that can match at all, as flags by place in order: for an IP source or destination, only rules naming
   * something that holds it (or that must always be checked). Undefined: check every rule.
   */
  candidates(index: PolicyIndex): Uint8Array | undefined {
    const sides = [
      ['source', this.#src],
      ['destination', this.#dst],
    ] as const;
    let out: Uint8Array | undefined;
    for (const [field, view] of sides) {
      const held = view?.heldNames();
      if (!held) continue;
      const { always, byName } = index.lookup.ruleIndex(index)[field];
      const ok = new Uint8Array(index.rules.length);
      for (const i of always) ok[i] = 1;
      for (const name of held) for (const i of byName.get(name) ?? []) ok[i] = 1;
      if (out) for (let i = 0; i < ok.length; i++) out[i]! &= ok[i]!;
      else out = ok;
    }
    return out;
  }

  /** Every field of one rule (or, with stopAtNo, up to the first that fails); the verdict is the weakest field's. */
  rule(r: RuleView, opts: { stopAtNo?: boolean } = {}): RuleVerdict {
    const f = this.#flow;
    // The commonest miss, decided without building anything: a zone the rule does not list.
    if (
      opts.stopAtNo &&
      ((f.fromZone !== undefined && !isAny(r.from) && !r.from.includes(f.fromZone)) ||
        (f.toZone !== undefined && !isAny(r.to) && !r.to.includes(f.toZone)))
    )
      return { rule: r, verdict: 'no', fields: {}, dependsOn: [] };
    const fields: Record<string, FieldVerdict> = {};
    // Cheap and selective fields first; with stopAtNo the rest is skipped once one fails.
    const stop = (k: string, v: FieldVerdict) => {
      fields[k] = v;
      return opts.stopAtNo === true && v.verdict === 'no';
    };
    const done =
      (!isAny(r.from) && stop('from', this.zone('from', r.from, f.fromZone))) ||
      (!isAny(r.to) && stop('to', this.zone('to', r.to, f.toZone))) ||
      (!isAny(r.application) &&
        stop(
          'application',
          this.#once(`a\u0000${r.keys.application}`, () => this.application(r.application)),
        )) ||
      (!isAny(r.service) &&
        stop(
          'service',
          this.#once(`s\u0000${r.keys.service}\u0000${r.keys.application}`, () =>
            this.service(r.service, r.application),
          ),
        )) ||
      ((!isAny(r.source) || r.negateSource) &&
        stop(
          'source',
          this.#once(`src\u0000${r.negateSource}\u0000${r.keys.source}`, () =>
            this.address('source', r.source.length ? r.source : ['any'], r.negateSource, this.#src),
          ),
        )) ||
      ((!isAny(r.destination) || r.negateDestination) &&
        stop(
          'destination',
          this.#once(`dst\u0000${r.negateDestination}\u0000${r.keys.destination}`, () =>
            this.address(
              'destination',
              r.destination.length ? r.destination : ['any'],
              r.negateDestination,
              this.#dst,
            ),
          ),
        )) ||
      (!isAny(r.sourceUser) && stop('source_user', this.user(r.sourceUser))) ||
      (!isAny(r.category) && stop('category', this.category(r.category)));
    if (!done) {
      for (const [k, v] of [
        ['source_hip', r.sourceHip],
        ['destination_hip', r.destinationHip],
      ] as const)
        if (!isAny(v)) fields[k] = depends(`${k}: depends on HIP profile ${list(v)}`);
      if (r.schedule) fields.schedule = depends(`schedule: depends on the time (schedule ${r.schedule})`);
    }
    const vs = Object.values(fields);
    const verdict: Verdict = vs.some((v) => v.verdict === 'no')
      ? 'no'
      : vs.some((v) => v.verdict === 'depends')
        ? 'depends'
        : 'yes';
    const dependsOn = vs.filter((v) => v.verdict === 'depends');
    return {
      rule: r,
      verdict: r.disabled ? 'disabled' : verdict,
      fields,
      get dependsOn() {
        return dependsOn.map((v) => v.reason);
      },
    };
  }
}

/** Which rule decides the flow: pre down the chain, post back up, first certain match; else the default. */
export function matchFlow(
  index: PolicyIndex,
  flow: Flow,
  opts: { includeDisabled?: boolean } = {},
): MatchResult {
  const m = new Matcher(index, flow);
  const matches: RuleVerdict[] = [];
  const unless: RuleVerdict[] = [];
  let decidedBy: RuleVerdict | undefined;
  const maybe = m.candidates(index);
  for (const [i, r] of index.rules.entries()) {
    if (maybe && !maybe[i]) continue;
    if (r.disabled && !opts.includeDisabled) continue;
    const v = m.rule(r, { stopAtNo: true });
    if (v.verdict === 'disabled') {
      // Disabled rules never match; shown only when they would have, so the person sees why not.
      const live = m.rule({ ...r, disabled: false }, { stopAtNo: true });
      if (live.verdict !== 'no') matches.push({ ...live, verdict: 'disabled' });
      continue;
    }
    if (v.verdict === 'no') continue;
    matches.push(v);
    if (v.verdict === 'yes' && !decidedBy) decidedBy = v;
    else if (v.verdict === 'depends' && !decidedBy) unless.push(v);
  }
  const out: MatchResult = { matches, unless, ...(decidedBy ? { decidedBy } : {}) };
  if (!decidedBy) {
    const { fromZone, toZone } = flow;
    out.default =
      fromZone === undefined || toZone === undefined
        ? { name: 'depends on zones', action: 'allow or deny' }
        : fromZone === toZone
          ? { name: 'intrazone-default', action: 'allow' }
          : { name: 'interzone-default', action: 'deny' };
  }
  return out;
}
