import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { resultData } from '../integration/result-data.js';

// The four policy tools in the real app on the sandbox's demo tenant, through the SDK client (which checks every
// structured result against the tool's outputSchema).

type J = Record<string, any>;
let app: App;
let client: Client;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pa-mcp-policy-'));
  app = await createApp(
    loadConfig(['--sandbox', '--audit-log', join(dir, 'audit.jsonl')], {}),
    createLogger('silent'),
  );
  const [s, c] = InMemoryTransport.createLinkedPair();
  await app.server.connect(s);
  client = new Client({ name: 'policy-test', version: '1.0.0' });
  await client.connect(c);
  await client.listTools(); // the client caches output schemas from here on, and validates against them
}, 60_000);

afterAll(async () => {
  await client?.close();
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(name: string, args: J = {}) {
  const res = (await client.callTool({ name, arguments: args })) as CallToolResult;
  return { res, data: resultData(res) as J };
}

const TOOLS = ['policy_match', 'object_references', 'object_find', 'policy_analyze'];

describe('listing and discovery', () => {
  it('lists the four tools by default: read-only hints, an output schema, small', async () => {
    const { tools } = await client.listTools();
    for (const name of TOOLS) {
      const t = tools.find((x) => x.name === name);
      expect(t, name).toBeDefined();
      expect(t!.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      expect(t!.outputSchema?.type).toBe('object');
      expect(JSON.stringify(t).length).toBeLessThan(3000);
    }
  });

  it.each([
    ['which rule matches traffic', 'policy_match'],
    ['policy match', 'policy_match'],
    ['unused objects', 'policy_analyze'],
    ['where is an object used', 'object_references'],
    ['find objects by ip', 'object_find'],
    ['shadowed rules', 'policy_analyze'],
  ])('tool_search "%s" finds %s', async (query, want) => {
    const { data } = await call('tool_search', { query });
    expect(data.results.map((r: J) => r.name)).toContain(want);
  });
});

describe('policy_match', () => {
  it('names the deciding rule with a reason per field, and what could decide first', async () => {
    const { res, data } = await call('policy_match', {
      source: '198.51.100.7',
      destination: '10.10.2.21',
      from_zone: 'untrust',
      to_zone: 'trust',
      protocol: 'tcp',
      port: 8443,
      application: 'ssl',
      category: 'business-and-economy',
    });
    expect(res.isError).toBeFalsy();
    expect(data.decision).toMatchObject({
      rule: 'Allow-Partners-API',
      folder: 'Shared',
      position: 'pre',
      action: 'allow',
      certain: false,
    });
    expect(data.decision.unless).toEqual([
      expect.stringMatching(/^Block-Threat-Intel .*external dynamic list Threat-Intel-IPs/),
    ]);
    const rule = data.matches.find((m: J) => m.rule === 'Allow-Partners-API');
    expect(rule.reasons).toEqual(
      expect.arrayContaining([
        'source: 198.51.100.7 is in group partners via partner-acme',
        'destination: 10.10.2.21 is in group app-servers via app-srv-01',
        'service: tcp/8443 is in tcp-8443',
      ]),
    );
    // The shadowed deny below it matches too, later in order.
    expect(data.matches.map((m: J) => m.rule)).not.toContain('Deny-Globex-API');
    expect(data.snapshot).toMatchObject({ folder: 'Shared', chain: ['Shared'] });
    expect(data.snapshot.age_seconds).toBeGreaterThanOrEqual(0);
  });

  it('a negated source, post rules and the branch chain', async () => {
    const { data } = await call('policy_match', {
      folder: 'Branch Offices',
      source: '10.50.10.7',
      destination: 'db-srv-02',
      from_zone: 'trust',
      to_zone: 'trust',
      protocol: 'tcp',
      port: 1433,
      application: 'mssql-db',
      category: 'any-category',
    });
    const neg = data.matches.find((m: J) => m.rule === 'Deny-Non-DC-To-DB');
    expect(neg.verdict).toBe('match');
    expect(neg.reasons).toContain('source (negated): 10.50.10.7 is not in dc-net');
    expect(data.decision.rule).toBe('Deny-Non-DC-To-DB');
    // Post rules: the branch's own, then Shared's.
    const post = data.matches.filter((m: J) => m.position === 'post').map((m: J) => m.rule);
    expect(post).toEqual(['Branch-Default-Deny', 'Default-Deny-Log']);
  });

  it('disabled rules only when asked, and marked', async () => {
    const args = {
      destination: '10.10.5.5',
      source: '10.10.9.10',
      application: 'ftp',
      from_zone: 'trust',
      to_zone: 'trust',
    };
    const off = await call('policy_match', args);
    expect(off.data.matches.map((m: J) => m.rule)).not.toContain('Legacy-FTP-Access');
    const on = await call('policy_match', { ...args, include_disabled: true });
    expect(on.data.matches.find((m: J) => m.rule === 'Legacy-FTP-Access')?.verdict).toBe(
      'disabled (would match)',
    );
  });

  it.each([
    [{ destination: 'nonsense!' }, 'destination', /destination: not an IP, CIDR, range, FQDN or object name/],
    [{ source: '10.0.0.300' }, 'source', /source: not an IP/],
    [{ from_zone: 'trust' }, 'source', /give source or destination/],
    [{ destination: '1.2.3.4', port: 70000 }, 'port', /65535/],
    [{ destination: '1.2.3.4', colour: 'red' }, 'colour', /unknown field/],
  ])('bad input %j: an error naming %s', async (args, field, message) => {
    const { res, data } = await call('policy_match', args);
    expect(res.isError).toBe(true);
    expect(data.error.code).toBe('INVALID_ARGUMENTS');
    expect(data.error.fields.map((f: J) => f.field)).toContain(field);
    expect(JSON.stringify(data.error)).toMatch(message);
  });

  it('an unknown folder names the known ones', async () => {
    const { res, data } = await call('policy_match', { folder: 'branch offices', destination: '1.2.3.4' });
    expect(res.isError).toBe(true);
    expect(data.error.code).toBe('UNKNOWN_FOLDER');
    expect(data.known).toEqual(expect.arrayContaining(['Shared', 'Branch Offices']));
  });
});

describe('object_references', () => {
  it('an address: the groups holding it with the path, and the rules using it directly or through them', async () => {
    const { data } = await call('object_references', { name: 'web-srv-01' });
    expect(data.groups).toEqual(
      expect.arrayContaining([
        { name: 'web-servers', folder: 'Shared', path: ['web-servers', 'web-srv-01'] },
        { name: 'datacenter', folder: 'Shared', path: ['datacenter', 'web-servers', 'web-srv-01'] },
      ]),
    );
    expect(data.rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Allow-Web-To-DC', fields: ['destination'], via: 'web-servers' }),
        expect.objectContaining({ name: 'Allow-Web-01-Only', fields: ['destination'] }),
      ]),
    );
  });

  it('a raw IP: the addresses holding it (CIDR containment), dynamic groups, rules', async () => {
    const { data } = await call('object_references', { folder: 'Branch Offices', value: '10.10.3.31' });
    expect(data.objects.map((o: J) => [o.name, o.relation])).toEqual(
      expect.arrayContaining([
        ['db-srv-01', 'contains'],
        ['dc-net', 'contains'],
      ]),
    );
    expect(data.groups).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'pci-production', dynamic: true })]),
    );
    expect(data.rules.map((r: J) => r.name)).toEqual(
      expect.arrayContaining([
        'Allow-App-To-DB',
        'Branch-POS-To-Payments',
        'Branch-To-Datacenter',
        'Deny-Non-DC-To-DB',
      ]),
    );
  });

  it('a group: its members, nested groups expanded', async () => {
    const { data } = await call('object_references', { name: 'datacenter' });
    expect(data.members).toEqual(
      expect.arrayContaining(['web-servers > web-srv-01', 'db-servers > db-srv-02']),
    );
  });

  it('a tag: rules, objects and the dynamic groups whose filter names it', async () => {
    const { data } = await call('object_references', { name: 'PCI' });
    expect(data.rules.map((r: J) => r.name)).toEqual(
      expect.arrayContaining(['Allow-App-To-DB', 'Deny-Non-DC-To-DB']),
    );
    expect(data.others).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'address', name: 'db-srv-01', field: 'tag' }),
        expect.objectContaining({ kind: 'addressGroup', name: 'pci-production', field: 'dynamic.filter' }),
      ]),
    );
  });

  it('needs exactly one of name and value', async () => {
    const { res, data } = await call('object_references', {});
    expect(res.isError).toBe(true);
    expect(data.error.fields[0].field).toBe('name');
  });
});

describe('object_find', () => {
  it('part of a name, any case; containment on values; nothing found is an empty list', async () => {
    const byName = await call('object_find', { text: 'SRV', kinds: ['address'] });
    expect(byName.data.results.map((r: J) => r.name)).toEqual(
      expect.arrayContaining(['web-srv-01', 'db-srv-02', 'backup-srv']),
    );
    const byValue = await call('object_find', { value: '10.10.1.0/24' });
    expect(byValue.data.results.map((r: J) => r.name)).toEqual(
      expect.arrayContaining(['web-srv-01', 'dc-net']),
    );
    const none = await call('object_find', { text: 'no-such-thing' });
    expect(none.res.isError).toBeFalsy();
    expect(none.data).toMatchObject({ total: 0, results: [] });
  });
});

describe('policy_analyze', () => {
  it('finds the demo cases by name', async () => {
    const { data } = await call('policy_analyze', { folder: 'Shared' });
    const f = data.findings;
    expect(f.shadowed.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: 'Deny-Globex-API',
          by: expect.objectContaining({ rule: 'Allow-Partners-API' }),
        }),
      ]),
    );
    expect(f.redundant.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: 'Allow-Web-01-Only',
          by: expect.objectContaining({ rule: 'Allow-Web-To-DC' }),
        }),
      ]),
    );
    expect(f.disabled.items.map((r: J) => r.rule)).toEqual(['Legacy-FTP-Access']);
    expect(f.unused.items).toEqual(
      expect.arrayContaining([{ kind: 'address', name: 'backup-srv', folder: 'Shared' }]),
    );
    expect(f.unused.items.map((o: J) => o.name)).not.toContain('db-srv-01');
    expect(data.notes.join(' ')).toMatch(/no hit counts/);
  });

  it('the dangling reference in the candidate', async () => {
    const { data } = await call('policy_analyze', { folder: 'Mobile Users Explicit Proxy' });
    expect(data.findings.dangling.items).toEqual([
      {
        kind: 'securityRule',
        name: 'Allow-Legacy-Proxy-Pool',
        folder: 'Mobile Users Explicit Proxy',
        field: 'source',
        missing: 'old-proxy-pool',
      },
    ]);
  });
});

describe('snapshots', () => {
  it('a write through this server is seen at once; one made elsewhere after refresh: true', async () => {
    await call('object_find', { text: 'fresh-' }); // loads and caches Shared
    const created = await call('address_create', {
      folder: 'Shared',
      name: 'fresh-host',
      ip_netmask: '10.10.1.200/32',
    });
    expect(created.res.isError).toBeFalsy();
    expect((await call('object_find', { text: 'fresh-' })).data.results.map((r: J) => r.name)).toEqual([
      'fresh-host',
    ]);

    // Straight to the API, not through a tool: the cached snapshot does not know.
    await app.client.request({
      method: 'POST',
      path: '/sse/config/v1/addresses',
      query: { folder: 'Shared' },
      body: { name: 'fresh-elsewhere', ip_netmask: '10.10.1.201/32' },
      operation: 'address.create',
    });
    expect((await call('object_find', { text: 'fresh-' })).data.total).toBe(1);
    const again = await call('object_find', { text: 'fresh-', refresh: true });
    expect(again.data.total).toBe(2);
    expect(again.data.snapshot.age_seconds).toBe(0);
  });

  it('a delete preview says what still uses the object', async () => {
    const list = await call('address_list', { folder: 'Shared', name: 'app-srv-01' });
    const id = (list.data.data?.[0] ?? list.data.result)?.id;
    expect(id).toBeTruthy();
    const { data } = await call('address_delete', { id });
    expect(data.executed).toBe(false);
    expect(data.would).toMatch(/Still referenced by addressGroup app-servers \(static\) in Shared/);
  });
});

describe('scope on list tools', () => {
  it('folder: only what the folder defines; effective (the default): inherited objects too', async () => {
    const own = await call('address_list', { folder: 'Branch Offices', scope: 'folder' });
    expect(own.res.isError).toBeFalsy();
    expect(own.data.data.every((a: J) => a.folder === 'Branch Offices')).toBe(true);
    expect(own.data.data.map((a: J) => a.name)).toEqual(
      expect.arrayContaining(['nyc-lan', 'branch-printers']),
    );
    expect(own.data.total).toBe(own.data.data.length);
    const effective = await call('address_list', { folder: 'Branch Offices', scope: 'effective', all: true });
    expect(effective.data.data.map((a: J) => a.name)).toEqual(
      expect.arrayContaining(['nyc-lan', 'web-srv-01']),
    );
    const paged = await call('address_list', { folder: 'Branch Offices', scope: 'folder', limit: 2 });
    expect(paged.data.data).toHaveLength(2);
    expect(paged.data.next_offset).toBe(2);
  });

  it('a bad scope names the field and the choices', async () => {
    const { res, data } = await call('security_rule_list', {
      folder: 'Shared',
      position: 'pre',
      scope: 'mine',
    });
    expect(res.isError).toBe(true);
    expect(data.error.fields[0]).toMatchObject({ field: 'scope' });
    expect(data.error.fields[0].message).toMatch(/effective.*folder/);
  });
});
