import { describe, expect, it } from 'vitest';
import { parseEndpoint } from '../../src/policy/endpoint.js';
import { type Flow, Matcher, matchFlow } from '../../src/policy/match.js';
import { indexOf, type R } from './fixture.js';

// Given a small rulebase and a flow, want the deciding rule and the verdict and reason of the rules that matter.

const objects = {
  address: [
    { name: 'web-1', ip_netmask: '10.1.1.11/32', tag: ['Web'] },
    { name: 'web-2', ip_netmask: '10.1.1.12/32', tag: ['Web', 'PCI'] },
    { name: 'db-1', ip_netmask: '10.1.3.31', tag: ['PCI', 'Prod'] },
    { name: 'dc-net', ip_netmask: '10.1.0.0/16' },
    { name: 'dmz', ip_range: '10.9.0.10-10.9.0.50' },
    { name: 'printers', ip_wildcard: '10.7.0.0/0.0.0.255' },
    { name: 'mail', fqdn: 'smtp.example.com' },
    { name: 'v6-net', ip_netmask: '2001:db8::/32' },
  ],
  addressGroup: [
    { name: 'web', static: ['web-1', 'web-2'] },
    { name: 'datacenter', static: ['web', 'db-1'] },
    { name: 'loop-a', static: ['loop-b', 'web-1'] },
    { name: 'loop-b', static: ['loop-a'] },
    { name: 'pci', dynamic: { filter: "'PCI' and ('Prod' or 'Web')" } },
    { name: 'mail-hosts', static: ['mail'] },
  ],
  service: [
    { name: 'tcp-8443', protocol: { tcp: { port: '8443' } } },
    { name: 'web-alt', protocol: { tcp: { port: '8000-8099,9000' } } },
    { name: 'syslog', protocol: { udp: { port: '514' } } },
  ],
  serviceGroup: [{ name: 'web-ports', members: ['service-https', 'web-alt'] }],
  applicationGroup: [
    { name: 'collab', members: ['zoom', 'inner'] },
    { name: 'inner', members: ['slack'] },
  ],
  applicationFilter: [{ name: 'risky', risk: [5] }],
  externalDynamicList: [{ name: 'bad-ips', type: { ip: { url: 'https://x' } } }],
  urlCategory: [{ name: 'Corp-Sites', type: 'URL List', list: ['*.example.com'] }],
  dynamicUserGroup: [{ name: 'risky-users', filter: "'risky'" }],
};

type Case = {
  name: string;
  rules: R[];
  post?: R[];
  flow: Record<string, string | number>;
  /** Deciding rule name, or the default's name. */
  decided: string;
  /** Rule name -> verdict, for rules that must show (others may too). */
  verdicts?: Record<string, string>;
  /** A reason (substring) that must be given. */
  reason?: string;
  includeDisabled?: boolean;
};

const full = {
  from_zone: 'trust',
  to_zone: 'untrust',
  protocol: 'tcp',
  port: 443,
  application: 'ssl',
  source_user: 'alice',
  url: 'https://x.test/',
  category: 'news',
};

const cases: Case[] = [
  {
    name: 'any matches everything',
    rules: [{ name: 'all' }],
    flow: { ...full, destination: '8.8.8.8' },
    decided: 'all',
  },
  {
    name: 'first match wins',
    rules: [{ name: 'a', action: 'deny' }, { name: 'b' }],
    flow: { ...full, destination: '8.8.8.8' },
    decided: 'a',
  },
  {
    name: 'zones: from must be in the list',
    rules: [{ name: 'z', from: ['dmz'] }, { name: 'last' }],
    flow: { ...full, destination: '8.8.8.8' },
    decided: 'last',
    reason: 'from: trust is not dmz',
  },
  {
    name: 'zones not given: depends',
    rules: [{ name: 'z', to: ['untrust'] }],
    flow: { destination: '8.8.8.8' },
    decided: 'depends on zones',
    verdicts: { z: 'depends' },
    reason: 'to_zone not given',
  },
  {
    name: 'address in a nested group',
    rules: [{ name: 'dc', destination: ['datacenter'] }],
    flow: { ...full, destination: '10.1.1.12' },
    decided: 'dc',
    reason: 'destination: 10.1.1.12 is in group datacenter via web > web-2',
  },
  {
    name: 'address outside every member',
    rules: [{ name: 'dc', destination: ['datacenter'] }],
    flow: { ...full, destination: '10.1.2.1' },
    decided: 'interzone-default',
    reason: 'is not in datacenter',
  },
  {
    name: 'CIDR object',
    rules: [{ name: 'net', source: ['dc-net'] }],
    flow: { ...full, source: '10.1.200.7' },
    decided: 'net',
  },
  {
    name: 'CIDR flow only partly inside: depends',
    rules: [{ name: 'net', source: ['web'] }],
    flow: { ...full, source: '10.1.1.0/24' },
    decided: 'interzone-default',
    verdicts: { net: 'depends' },
  },
  {
    name: 'CIDR flow partly inside a CIDR: depends',
    rules: [{ name: 'net', source: ['dc-net'] }],
    flow: { ...full, source: '10.0.0.0/8' },
    decided: 'interzone-default',
    verdicts: { net: 'depends' },
    reason: 'only part of 10.0.0.0/8',
  },
  {
    name: 'range object',
    rules: [{ name: 'r', destination: ['dmz'] }],
    flow: { ...full, destination: '10.9.0.50' },
    decided: 'r',
  },
  {
    name: 'wildcard object',
    rules: [{ name: 'w', destination: ['printers'] }],
    flow: { ...full, destination: '10.7.0.200' },
    decided: 'w',
  },
  {
    name: 'IPv6 CIDR',
    rules: [{ name: 'v6', destination: ['v6-net'] }],
    flow: { ...full, destination: '2001:db8:5::1' },
    decided: 'v6',
  },
  {
    name: 'literal IP in a rule',
    rules: [{ name: 'lit', destination: ['192.0.2.0/24'] }],
    flow: { ...full, destination: '192.0.2.9' },
    decided: 'lit',
  },
  {
    name: 'dynamic group by tag expression',
    rules: [{ name: 'd', destination: ['pci'] }],
    flow: { ...full, destination: '10.1.3.31' },
    decided: 'd',
    reason: 'in group pci via db-1',
  },
  {
    name: 'dynamic group leaves out what the tags do not select',
    rules: [{ name: 'd', destination: ['pci'] }],
    flow: { ...full, destination: '10.1.1.11' },
    decided: 'interzone-default',
  },
  {
    name: 'group cycles end',
    rules: [{ name: 'loop', destination: ['loop-b'] }],
    flow: { ...full, destination: '10.1.1.11' },
    decided: 'loop',
  },
  {
    name: 'negated source',
    rules: [{ name: 'neg', source: ['dc-net'], negate_source: true, action: 'deny' }, { name: 'last' }],
    flow: { ...full, source: '192.168.1.1' },
    decided: 'neg',
    reason: 'source (negated)',
  },
  {
    name: 'negated source, inside',
    rules: [{ name: 'neg', source: ['dc-net'], negate_source: true, action: 'deny' }, { name: 'last' }],
    flow: { ...full, source: '10.1.1.1' },
    decided: 'last',
  },
  {
    name: 'negated destination',
    rules: [{ name: 'neg', destination: ['web'], negate_destination: true }],
    flow: { ...full, destination: '10.1.1.11' },
    decided: 'interzone-default',
  },
  {
    name: 'disabled rules never match',
    rules: [{ name: 'off', disabled: true, action: 'deny' }, { name: 'on' }],
    flow: { ...full, destination: '1.1.1.1' },
    decided: 'on',
  },
  {
    name: 'disabled rules shown when asked',
    rules: [{ name: 'off', disabled: true, action: 'deny' }, { name: 'on' }],
    flow: { ...full, destination: '1.1.1.1' },
    decided: 'on',
    includeDisabled: true,
    verdicts: { off: 'disabled (would match)' },
  },
  {
    name: 'EDL: depends, evaluation goes on',
    rules: [{ name: 'edl', source: ['bad-ips'], action: 'deny' }, { name: 'next' }],
    flow: { ...full, source: '1.2.3.4' },
    decided: 'next',
    verdicts: { edl: 'depends' },
    reason: 'external dynamic list bad-ips',
  },
  {
    name: 'FQDN object against an IP: depends',
    rules: [{ name: 'f', destination: ['mail-hosts'] }],
    flow: { ...full, destination: '1.2.3.4' },
    decided: 'interzone-default',
    verdicts: { f: 'depends' },
    reason: 'what smtp.example.com resolves to',
  },
  {
    name: 'FQDN flow equal to an FQDN object',
    rules: [{ name: 'f', destination: ['mail'] }],
    flow: { ...full, destination: 'smtp.example.com' },
    decided: 'f',
  },
  {
    name: 'object name as the flow',
    rules: [{ name: 'g', destination: ['datacenter'] }],
    flow: { ...full, destination: 'web' },
    decided: 'g',
    reason: 'web is in group datacenter',
  },
  {
    name: 'region code: depends',
    rules: [{ name: 'geo', source: ['CN'], action: 'deny' }],
    flow: { ...full, source: '1.2.3.4' },
    decided: 'interzone-default',
    verdicts: { geo: 'depends' },
  },
  {
    name: 'service port in a service group',
    rules: [{ name: 's', service: ['web-ports'] }],
    flow: { ...full, port: 8050 },
    decided: 's',
    reason: 'tcp/8050 is in web-ports',
  },
  {
    name: 'predefined service-https',
    rules: [{ name: 's', service: ['service-https'] }],
    flow: { ...full, port: 443 },
    decided: 's',
  },
  {
    name: 'wrong protocol',
    rules: [{ name: 's', service: ['syslog'] }],
    flow: { ...full, protocol: 'tcp', port: 514 },
    decided: 'interzone-default',
  },
  {
    name: 'port not given: depends',
    rules: [{ name: 's', service: ['tcp-8443'] }],
    flow: { from_zone: 'a', to_zone: 'a', protocol: 'tcp', destination: '1.1.1.1' },
    decided: 'intrazone-default',
    verdicts: { s: 'depends' },
  },
  {
    name: 'application-default: depends on the app ports',
    rules: [{ name: 'ad', application: ['ssl'], service: ['application-default'] }],
    flow: { ...full },
    decided: 'interzone-default',
    verdicts: { ad: 'depends' },
    reason: 'standard ports of ssl',
  },
  {
    name: 'application in a nested app group',
    rules: [{ name: 'a', application: ['collab'] }],
    flow: { ...full, application: 'slack' },
    decided: 'a',
    reason: 'slack is in group collab',
  },
  {
    name: 'application not listed',
    rules: [{ name: 'a', application: ['collab'] }],
    flow: { ...full, application: 'ssh' },
    decided: 'interzone-default',
  },
  {
    name: 'application filter: depends',
    rules: [{ name: 'a', application: ['risky'] }],
    flow: { ...full },
    decided: 'interzone-default',
    verdicts: { a: 'depends' },
  },
  {
    name: 'dynamic user group: depends',
    rules: [{ name: 'u', source_user: ['risky-users'] }],
    flow: { ...full },
    decided: 'interzone-default',
    verdicts: { u: 'depends' },
  },
  { name: 'user by name', rules: [{ name: 'u', source_user: ['Alice'] }], flow: { ...full }, decided: 'u' },
  {
    name: 'custom URL category',
    rules: [{ name: 'c', category: ['Corp-Sites'] }],
    flow: { ...full, url: 'https://a.example.com/x' },
    decided: 'c',
  },
  {
    name: 'predefined category by name',
    rules: [{ name: 'c', category: ['news'] }],
    flow: { ...full },
    decided: 'c',
  },
  {
    name: 'predefined category, bare URL: depends',
    rules: [{ name: 'c', category: ['malware'], action: 'deny' }],
    flow: { from_zone: 'a', to_zone: 'a', url: 'http://1.2.3.4/', destination: '1.2.3.4' },
    decided: 'intrazone-default',
    verdicts: { c: 'depends' },
  },
  {
    name: 'HIP profile: depends',
    rules: [{ name: 'h', source_hip: ['managed'] }],
    flow: { ...full },
    decided: 'interzone-default',
    verdicts: { h: 'depends' },
  },
  {
    name: 'intrazone default allows',
    rules: [],
    flow: { ...full, to_zone: 'trust', destination: '1.1.1.1' },
    decided: 'intrazone-default',
  },
  {
    name: 'an earlier depends rule makes the decision uncertain',
    rules: [{ name: 'edl', source: ['bad-ips'], action: 'deny' }, { name: 'all' }],
    flow: { ...full, source: '1.2.3.4' },
    decided: 'all',
    verdicts: { edl: 'depends', all: 'match' },
  },
];

function flowOf(index: ReturnType<typeof indexOf>, f: Record<string, string | number>): Flow {
  const ep = (s: unknown) => (typeof s === 'string' ? parseEndpoint(index, s) : undefined);
  return {
    ...(f.source ? { source: ep(f.source)! } : {}),
    ...(f.destination ? { destination: ep(f.destination)! } : {}),
    ...(f.from_zone ? { fromZone: String(f.from_zone) } : {}),
    ...(f.to_zone ? { toZone: String(f.to_zone) } : {}),
    ...(f.protocol ? { protocol: String(f.protocol) } : {}),
    ...(f.port !== undefined ? { port: Number(f.port) } : {}),
    ...(f.application ? { application: String(f.application) } : {}),
    ...(f.source_user ? { sourceUser: String(f.source_user) } : {}),
    ...(f.url ? { url: String(f.url) } : {}),
    ...(f.category ? { category: String(f.category) } : {}),
  };
}

describe.each(cases)('policy_match evaluator: $name', (c) => {
  it(`decides ${c.decided}`, () => {
    const index = indexOf({ objects, rules: { Shared: { pre: c.rules, post: c.post ?? [] } } });
    const r = matchFlow(index, flowOf(index, c.flow), { includeDisabled: c.includeDisabled === true });
    expect(r.decidedBy?.rule.name ?? r.default?.name).toBe(c.decided);
    const shown = Object.fromEntries(
      r.matches.map((m) => [
        m.rule.name,
        { yes: 'match', depends: 'depends', no: 'no', disabled: 'disabled (would match)' }[m.verdict],
      ]),
    );
    for (const [rule, v] of Object.entries(c.verdicts ?? {})) expect(shown[rule] ?? 'no').toBe(v);
    if (c.reason) {
      const index2 = indexOf({ objects, rules: { Shared: { pre: c.rules } } });
      const all = matchFlow(index2, flowOf(index2, c.flow), { includeDisabled: true });
      // Rules that do not match carry their reasons too: the evaluator's per-field output for every rule.
      const reasons = all.matches.flatMap((m) => Object.values(m.fields).map((f) => f.reason));
      const m = new Matcher(index2, flowOf(index2, c.flow));
      for (const rv of index2.rules) reasons.push(...Object.values(m.rule(rv).fields).map((f) => f.reason));
      expect(reasons.join('\n')).toContain(c.reason);
    }
  });
});

describe('order across the folder chain', () => {
  const index = indexOf({
    chain: ['Shared', 'Mid', 'Leaf'],
    rules: {
      Shared: { pre: [{ name: 'shared-pre', destination: ['10.0.0.1'] }], post: [{ name: 'shared-post' }] },
      Mid: {
        pre: [{ name: 'mid-pre', destination: ['10.0.0.2'] }],
        post: [{ name: 'mid-post', destination: ['10.0.0.3'] }],
      },
      Leaf: {
        pre: [{ name: 'leaf-pre', destination: ['10.0.0.1'] }],
        post: [{ name: 'leaf-post', destination: ['10.0.0.3'], action: 'deny' }],
      },
    },
  });
  it('pre from Shared down, post from the folder back up', () => {
    expect(index.rules.map((r) => r.name)).toEqual([
      'shared-pre',
      'mid-pre',
      'leaf-pre',
      'leaf-post',
      'mid-post',
      'shared-post',
    ]);
  });
  it.each([
    ['10.0.0.1', 'shared-pre', ['shared-pre', 'leaf-pre', 'shared-post']],
    ['10.0.0.3', 'leaf-post', ['leaf-post', 'mid-post', 'shared-post']],
    ['10.0.0.9', 'shared-post', ['shared-post']],
  ])('%s is decided by %s', (dst, want, all) => {
    const r = matchFlow(index, { destination: parseEndpoint(index, dst)! });
    expect(r.decidedBy?.rule.name).toBe(want);
    expect(r.matches.map((m) => m.rule.name)).toEqual(all);
    expect(r.decidedBy?.rule.position).toBe(want.endsWith('post') ? 'post' : 'pre');
  });
});
