import { describe, expect, it } from 'vitest';
import { parseEndpoint } from '../../src/policy/endpoint.js';
import { matchFlow } from '../../src/policy/match.js';
import { seededRandom } from '../../src/sandbox/random.js';
import { indexOf, type R } from './fixture.js';

// policy_match against a brute-force evaluator written here from SCM-NOTES alone (numbers, sets, loops), over
// generated rulebases and fully specified flows (so nothing "depends"). Seeded: every run is the same run.

const ipNum = (s: string) => s.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const ipStr = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
const BASE = ipNum('10.0.0.0');

interface World {
  addresses: Array<{ name: string; ip_netmask?: string; ip_range?: string }>;
  groups: Array<{ name: string; static: string[] }>;
  services: Array<{ name: string; protocol: Record<string, { port: string }> }>;
  appGroups: Array<{ name: string; members: string[] }>;
  chain: string[];
  rules: Record<string, { pre: R[]; post: R[] }>;
}

const ZONES = ['trust', 'untrust', 'dmz'];
const APPS = ['ssl', 'web-browsing', 'ssh', 'dns'];

function world(rnd: () => number): World {
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const some = <T>(xs: T[], max: number) => [
    ...new Set(Array.from({ length: 1 + Math.floor(rnd() * max) }, () => pick(xs))),
  ];
  const addresses: World['addresses'] = [];
  for (let i = 0; i < 12; i++) {
    const start = BASE + Math.floor(rnd() * 1024);
    if (rnd() < 0.3)
      addresses.push({ name: `a${i}`, ip_range: `${ipStr(start)}-${ipStr(start + Math.floor(rnd() * 64))}` });
    else {
      const len = 22 + Math.floor(rnd() * 11);
      addresses.push({ name: `a${i}`, ip_netmask: `${ipStr(start)}/${len}` });
    }
  }
  const groups: World['groups'] = [];
  for (let i = 0; i < 5; i++) {
    // Members: addresses and any group (cycles allowed: they must end).
    const pool = [...addresses.map((a) => a.name), ...Array.from({ length: 5 }, (_, j) => `g${j}`)];
    groups.push({ name: `g${i}`, static: some(pool, 3) });
  }
  const services = Array.from({ length: 4 }, (_, i) => {
    const lo = 1 + Math.floor(rnd() * 100);
    return {
      name: `s${i}`,
      protocol: {
        [pick(['tcp', 'udp'])]: {
          port: rnd() < 0.5 ? `${lo}` : `${lo}-${lo + Math.floor(rnd() * 20)},${lo + 50}`,
        },
      },
    };
  });
  const appGroups = [
    { name: 'ag0', members: some(APPS, 2) },
    { name: 'ag1', members: ['ag0', pick(APPS)] },
  ];
  const chain = rnd() < 0.5 ? ['Shared', 'F'] : ['Shared', 'M', 'F'];
  const addrNames = [...addresses.map((a) => a.name), ...groups.map((g) => g.name)];
  const entryList = () =>
    rnd() < 0.3
      ? ['any']
      : some([...addrNames, `${ipStr(BASE + Math.floor(rnd() * 1024))}/${26 + Math.floor(rnd() * 7)}`], 3);
  const ruleOf = (id: string): R => ({
    name: id,
    action: rnd() < 0.5 ? 'allow' : 'deny',
    disabled: rnd() < 0.1,
    from: rnd() < 0.5 ? ['any'] : some(ZONES, 2),
    to: rnd() < 0.5 ? ['any'] : some(ZONES, 2),
    source: entryList(),
    destination: entryList(),
    negate_source: rnd() < 0.15,
    negate_destination: rnd() < 0.15,
    service: rnd() < 0.4 ? ['any'] : some([...services.map((s) => s.name), 'service-https'], 2),
    application: rnd() < 0.4 ? ['any'] : some([...APPS, 'ag0', 'ag1'], 2),
  });
  const rules: World['rules'] = {};
  for (const f of chain)
    rules[f] = {
      pre: Array.from({ length: Math.floor(rnd() * 5) }, (_, i) => ruleOf(`${f}-pre-${i}`)),
      post: Array.from({ length: Math.floor(rnd() * 3) }, (_, i) => ruleOf(`${f}-post-${i}`)),
    };
  return { addresses, groups, services, appGroups, chain, rules };
}

interface FlowT {
  src: number;
  dst: number;
  from: string;
  to: string;
  proto: string;
  port: number;
  app: string;
}

/** The brute-force evaluator: expand everything, test every rule in order. */
function bruteForce(w: World, f: FlowT): { decided: string; matching: string[] } {
  const inValue = (ip: number, a: World['addresses'][number]) => {
    if (a.ip_range) {
      const [lo, hi] = a.ip_range.split('-').map(ipNum) as [number, number];
      return ip >= lo && ip <= hi;
    }
    return inCidr(ip, a.ip_netmask!);
  };
  const inCidr = (ip: number, c: string) => {
    const [b, l] = c.split('/');
    const size = 2 ** (32 - Number(l));
    return Math.floor(ip / size) === Math.floor(ipNum(b!) / size);
  };
  const expand = (name: string, seen: Set<string>): string[] => {
    const g = w.groups.find((x) => x.name === name);
    if (!g) return [name];
    if (seen.has(name)) return [];
    seen.add(name);
    return g.static.flatMap((m) => expand(m, seen));
  };
  const addrMatch = (ip: number, entries: string[]) =>
    entries.some((e) => {
      if (e === 'any') return true;
      if (/^\d/.test(e)) return inCidr(ip, e);
      return expand(e, new Set()).some((n) => {
        const a = w.addresses.find((x) => x.name === n);
        return !!a && inValue(ip, a);
      });
    });
  const svcMatch = (entries: string[]) =>
    entries.some((e) => {
      if (e === 'any') return true;
      if (e === 'service-https') return f.proto === 'tcp' && f.port === 443;
      const s = w.services.find((x) => x.name === e)!;
      return Object.entries(s.protocol).some(
        ([p, v]) =>
          p === f.proto &&
          v.port.split(',').some((r) => {
            const [lo, hi] = r.split('-').map(Number) as [number, number | undefined];
            return f.port >= lo && f.port <= (hi ?? lo);
          }),
      );
    });
  const appsOf = (n: string): string[] => {
    const g = w.appGroups.find((x) => x.name === n);
    return g ? g.members.flatMap(appsOf) : [n];
  };
  const appMatch = (entries: string[]) => entries.some((e) => e === 'any' || appsOf(e).includes(f.app));
  const ordered = [
    ...w.chain.flatMap((c) => w.rules[c]!.pre),
    ...[...w.chain].reverse().flatMap((c) => w.rules[c]!.post),
  ];
  const matching: string[] = [];
  for (const r of ordered) {
    if (r.disabled) continue;
    const zone = (list: string[], z: string) => list.includes('any') || list.includes(z);
    const src = addrMatch(f.src, r.source as string[]) !== (r.negate_source === true);
    const dst = addrMatch(f.dst, r.destination as string[]) !== (r.negate_destination === true);
    if (
      zone(r.from as string[], f.from) &&
      zone(r.to as string[], f.to) &&
      src &&
      dst &&
      svcMatch(r.service as string[]) &&
      appMatch(r.application as string[])
    )
      matching.push(r.name);
  }
  return { decided: matching[0] ?? (f.from === f.to ? 'intrazone-default' : 'interzone-default'), matching };
}

describe('policy_match against a brute-force evaluator', () => {
  it('agrees on the deciding rule and on every matching rule, over 400 rulebases x 15 flows', () => {
    const rnd = seededRandom(20261130);
    let flows = 0;
    let decidedByRule = 0;
    for (let n = 0; n < 400; n++) {
      const w = world(rnd);
      const index = indexOf({
        chain: w.chain,
        objects: {
          address: w.addresses,
          addressGroup: w.groups,
          service: w.services,
          applicationGroup: w.appGroups,
        },
        rules: w.rules,
      });
      for (let k = 0; k < 15; k++) {
        const f: FlowT = {
          src: BASE + Math.floor(rnd() * 1100),
          dst: BASE + Math.floor(rnd() * 1100),
          from: ZONES[Math.floor(rnd() * 3)]!,
          to: ZONES[Math.floor(rnd() * 3)]!,
          proto: rnd() < 0.7 ? 'tcp' : 'udp',
          port: rnd() < 0.2 ? 443 : 1 + Math.floor(rnd() * 160),
          app: APPS[Math.floor(rnd() * APPS.length)]!,
        };
        const want = bruteForce(w, f);
        const got = matchFlow(index, {
          source: parseEndpoint(index, ipStr(f.src))!,
          destination: parseEndpoint(index, ipStr(f.dst))!,
          fromZone: f.from,
          toZone: f.to,
          protocol: f.proto,
          port: f.port,
          application: f.app,
        });
        const ctx = JSON.stringify({ n, k, f, rules: w.rules });
        expect(
          got.matches.every((m) => m.verdict === 'yes'),
          ctx,
        ).toBe(true);
        expect(got.decidedBy?.rule.name ?? got.default?.name, ctx).toBe(want.decided);
        expect(
          got.matches.map((m) => m.rule.name),
          ctx,
        ).toEqual(want.matching);
        flows++;
        if (got.decidedBy) decidedByRule++;
      }
    }
    expect(flows).toBe(6000);
    // The generator is worth something only if rules do decide a fair share of flows.
    expect(decidedByRule).toBeGreaterThan(600);
  }, 120_000);
});
