/**
 * Policy questions the workflows ask, answered by the policy layer (src/policy): the same snapshot and evaluator as
 * `policy_match` and `object_references`, so nested and dynamic groups, negation, order across the folder chain and
 * "depends on" are the same answers a person gets from those tools. Writes through this server drop the snapshot
 * (PolicyService is an audit sink), so a check after a workflow's own writes sees them.
 */
import type { Endpoint } from '../policy/endpoint.js';
import type { PolicyIndex, RuleView } from '../policy/index-build.js';
import { parseIpSet } from '../policy/ip.js';
import { matchFlow } from '../policy/match.js';
import { directReferrers, whereUsed } from '../policy/references.js';
import type { PolicyService } from '../policy/service.js';
import type { Indicator } from './indicators.js';
import { MANAGED } from './managed.js';

export interface RuleHit {
  rule: string;
  folder: string;
  position: string;
  action: string;
  /** matches: whatever else the traffic is; may match: depends on what the indicator alone does not say. */
  verdict: 'matches' | 'may match';
  /** Why the rule's address field covers the indicator (`any`, or the path through groups). */
  via: string;
  /** For "may match": what it depends on (zones, applications, services, users not given). */
  depends_on?: string[];
}

export interface AllowCheck {
  /** Per indicator input: enabled allow rules evaluated before the managed deny rule that match or may match it. */
  matches: { input: string; rules: RuleHit[] }[];
  not_evaluated: string;
}

export interface References {
  addresses: string[];
  groups: string[];
  rules: {
    rule: string;
    folder: string;
    position: string;
    fields: string[];
    via?: string;
    disabled?: boolean;
  }[];
  /** Other objects naming it (profile groups, service groups ...), as "kind name (field)". */
  others?: string[];
  notes?: string[];
  not_evaluated: string;
}

export interface PolicyOracle {
  allowRulesBefore(
    folder: string,
    indicators: Indicator[],
    field: 'source' | 'destination',
  ): Promise<AllowCheck>;
  referencesOf(folder: string, indicator: Indicator | { name: string }): Promise<References>;
  /** For each object name: the groups (other than `ignoreGroups`), rules and other objects that name it. */
  usersOf(folder: string, names: string[], ignoreGroups: Set<string>): Promise<Map<string, string[]>>;
}

const ALLOW_NOTE =
  'Evaluated by the policy layer (as policy_match): nested and dynamic groups, negation, rule order across the folder chain. Only the address is known, so a rule that also needs zones, applications, services or users "may match" and says on what; external dynamic lists and DNS are not in the configuration.';
const REFERENCES_NOTE =
  'Where-used by the policy layer (as object_references): addresses, groups (static, nested, dynamic) and security rules of the folder chain; NAT and other rule types are not searched.';

/** The indicator as a flow endpoint: its IP set or its FQDN. */
function endpointOf(ind: Indicator): Endpoint | undefined {
  const set = parseIpSet(ind.value);
  if (set) return { kind: 'ip', text: ind.value, set };
  if (ind.addressField === 'fqdn')
    return { kind: 'fqdn', text: ind.value, fqdn: ind.value.toLowerCase().replace(/\.$/, '') };
  return undefined;
}

/**
 * Where the managed deny rule for `field` sits in evaluation order: its own place, or (before the first block
 * creates it) the top of the folder's pre rules, where the workflow puts it.
 */
function denyOrder(index: PolicyIndex, folder: string, field: 'source' | 'destination'): number {
  const name = field === 'source' ? MANAGED.rules.inbound : MANAGED.rules.outbound;
  const own = (r: RuleView) => r.folder === folder && r.position === 'pre';
  const managed = index.rules.find((r) => own(r) && r.name === name);
  if (managed) return managed.order;
  const first = index.rules.find((r) => own(r) || r.position === 'post');
  return first ? first.order : index.rules.length + 1;
}

export class ServicePolicyOracle implements PolicyOracle {
  constructor(private readonly policy: Pick<PolicyService, 'index'>) {}

  async allowRulesBefore(
    folder: string,
    indicators: Indicator[],
    field: 'source' | 'destination',
  ): Promise<AllowCheck> {
    const index = await this.policy.index(folder);
    const stop = denyOrder(index, folder, field);
    const matches: AllowCheck['matches'] = [];
    for (const ind of indicators) {
      const ep = ind.addressField ? endpointOf(ind) : undefined;
      if (!ep) continue;
      const result = matchFlow(index, { [field]: ep });
      const rules: RuleHit[] = [];
      for (const v of result.matches) {
        if (v.rule.order >= stop) break;
        if (v.verdict !== 'disabled' && v.rule.action === 'allow') {
          const f = v.fields[field];
          rules.push({
            rule: v.rule.name,
            folder: v.rule.folder,
            position: v.rule.position,
            action: v.rule.action,
            verdict: v.verdict === 'yes' ? 'matches' : 'may match',
            via: f ? f.reason : `${field}: any`,
            ...(v.verdict === 'depends' ? { depends_on: v.dependsOn } : {}),
          });
        }
        // A rule that certainly matches decides: nothing after it sees the traffic.
        if (v === result.decidedBy) break;
      }
      if (rules.length) matches.push({ input: ind.input, rules });
    }
    return { matches, not_evaluated: ALLOW_NOTE };
  }

  async referencesOf(folder: string, target: Indicator | { name: string }): Promise<References> {
    const index = await this.policy.index(folder);
    const used = whereUsed(index, 'key' in target ? { value: target.value } : { name: target.name });
    return {
      addresses: used.objects.filter((o) => o.kind === 'address').map((o) => o.name),
      groups: used.groups.map((g) => g.name),
      rules: used.rules.map((r) => ({
        rule: r.name,
        folder: r.folder,
        position: r.position,
        fields: r.fields,
        ...(r.via ? { via: r.via } : {}),
        ...(r.disabled ? { disabled: true } : {}),
      })),
      ...(used.others.length ? { others: used.others.map((o) => `${o.kind} ${o.name} (${o.field})`) } : {}),
      ...(used.notes.length ? { notes: used.notes } : {}),
      not_evaluated: REFERENCES_NOTE,
    };
  }

  async usersOf(folder: string, names: string[], ignoreGroups: Set<string>): Promise<Map<string, string[]>> {
    // This answer decides deletes: read afresh rather than trust a snapshot up to a minute old.
    const index = await this.policy.index(folder, { refresh: true });
    const out = new Map<string, string[]>();
    for (const name of new Set(names)) {
      const users = directReferrers(index, name)
        .filter((r) => !(r.kind === 'addressGroup' && ignoreGroups.has(r.name)))
        .map((r) =>
          r.kind === 'addressGroup'
            ? `group ${r.name}`
            : r.kind === 'securityRule'
              ? `rule ${r.name} (${r.folder}, ${r.position}, ${r.field})`
              : `${r.kind} ${r.name} (${r.field})`,
        );
      if (users.length) out.set(name, users);
    }
    return out;
  }
}
