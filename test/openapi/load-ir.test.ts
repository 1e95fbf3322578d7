import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { zodForInputs } from '../../src/catalog/zod-from-field.js';
import type { FieldSchema, InputField, IrOperation, ObjectField } from '../../src/openapi/ir.js';
import { loadIr } from '../../src/openapi/load-ir.js';
import { toolNameFor } from '../../src/openapi/naming.js';
import { readOverlay } from '../../src/openapi/overlay.js';
import { specsDir, upstreamDir } from '../../src/openapi/sync.js';
import { fixtureOverlay, fixturesDir, loadFixtureIr, opFrom } from './fixture-ir.js';

const input = (op: IrOperation, name: string): InputField => {
  const found = op.inputs.find((i) => i.name === name);
  if (!found) throw new Error(`${op.key} has no input ${name}: ${op.inputs.map((i) => i.name).join(', ')}`);
  return found;
};

const asObject = (schema: FieldSchema): ObjectField => {
  if (schema.kind !== 'object') throw new Error(`expected an object field, got ${schema.kind}`);
  return schema;
};

const property = (schema: FieldSchema, key: string) => {
  const prop = asObject(schema).properties[key];
  if (!prop) throw new Error(`no property ${key}: ${Object.keys(asObject(schema).properties).join(', ')}`);
  return prop;
};

describe('IR from the fixture specs', () => {
  let ops: Map<string, IrOperation>;
  const op = (key: string) => opFrom(ops, key);

  beforeAll(async () => {
    ops = await loadFixtureIr();
  });

  it('names every operation resource.action, sorted by key, with its snake_case tool name', () => {
    expect([...ops.keys()]).toEqual([
      'mobileAgentGadgetProfile.get',
      'mobileAgentGadgetProfile.update',
      'widget.create',
      'widget.delete',
      'widget.get',
      'widget.list',
      'widget.move',
      'widget.publish',
      'widget.update',
    ]);
    expect(op('mobileAgentGadgetProfile.update').tool).toBe('mobile_agent_gadget_profile_update');
    expect(op('widget.move')).toMatchObject({
      tool: 'widget_move',
      resource: 'widget',
      action: 'move',
      method: 'POST',
      path: '/sse/config/v1/widgets/{id}:move',
      operationId: 'MoveWidget',
      specFile: 'widgets.yaml',
      toolset: 'fixtures',
    });
  });

  it('classes safety: GET read, DELETE destructive, POST/PUT write, overlay classes win', () => {
    const safety = Object.fromEntries([...ops.values()].map((o) => [o.key, o.safety]));
    expect(safety).toEqual({
      'mobileAgentGadgetProfile.get': 'read',
      'mobileAgentGadgetProfile.update': 'write',
      'widget.create': 'write',
      'widget.delete': 'destructive',
      'widget.get': 'read',
      'widget.list': 'read',
      'widget.move': 'write',
      'widget.publish': 'deploy',
      'widget.update': 'write',
    });
  });

  it('marks only the collection GET with limit/offset as paged', () => {
    expect([...ops.values()].filter((o) => o.paged).map((o) => o.key)).toEqual(['widget.list']);
  });

  it('orders inputs path, then query, then body, whatever order the spec lists them in', () => {
    // The spec lists the query parameter before the path parameter.
    expect(op('widget.move').inputs.map((i) => [i.name, i.source])).toEqual([
      ['id', 'path'],
      ['rulebase', 'query'],
      ['destination', 'body'],
      ['destination_rule', 'body'],
    ]);
    const rank = { path: 0, query: 1, body: 2 } as const;
    for (const o of ops.values()) {
      const ranks = o.inputs.map((i) => rank[i.source]);
      expect(ranks, o.key).toEqual([...ranks].sort((a, b) => a - b));
    }
  });

  it('follows local $refs to component parameters and schemas', () => {
    const list = op('widget.list');
    expect(list.inputs.map((i) => [i.name, i.source])).toEqual([
      ['folder', 'query'],
      ['snippet', 'query'],
      ['name', 'query'],
      ['position', 'query'],
      ['limit', 'query'],
      ['offset', 'query'],
    ]);
    expect(input(list, 'offset').schema).toMatchObject({ kind: 'integer', minimum: 0 });
    const create = op('widget.create');
    expect(create.body?.required).toBe(true);
    expect(JSON.stringify(create.body?.schema)).not.toContain('$ref');
    expect(JSON.stringify(create.responseSchema)).not.toContain('$ref');
  });

  it('sets required flags: path always, query as the spec says unless the overlay frees it, body by required', () => {
    const required = (key: string) =>
      Object.fromEntries(op(key).inputs.map((i) => [i.name, i.required] as const));
    expect(required('widget.list')).toEqual({
      folder: true,
      snippet: false, // required in the spec; the overlay lists it as an alternative scope
      name: false,
      position: false, // required in the spec with a default
      limit: false,
      offset: false,
    });
    expect(required('widget.move')).toEqual({
      id: true,
      rulebase: true,
      destination: true,
      destination_rule: false,
    });
  });

  it('makes a required field with a default optional, and fills the default in when it is left out', () => {
    const list = op('widget.list');
    expect(input(list, 'position')).toMatchObject({ required: false, default: 'pre' });
    // Optional fields keep no default of their own: the API applies it.
    expect(input(list, 'limit').default).toBeUndefined();
    const zod = zodForInputs(list, { descriptions: 'none' });
    expect(zod.parse({ folder: 'Shared' })).toEqual({ folder: 'Shared', position: 'pre' });
    expect(zod.parse({ folder: 'Shared', position: 'post' })).toEqual({ folder: 'Shared', position: 'post' });
    expect(zod.safeParse({ folder: 'Shared', position: 'middle' }).success).toBe(false);
  });

  it('merges allOf: the properties and required lists of every part', () => {
    const create = op('widget.create');
    // name is required by the base schema, size by the second part.
    expect(input(create, 'name')).toMatchObject({ source: 'body', required: true });
    expect(input(create, 'size')).toMatchObject({
      source: 'body',
      required: true,
      schema: { kind: 'integer', minimum: 1, maximum: 9 },
    });
    expect(input(create, 'description').required).toBe(false);
  });

  it('flattens a root oneOf body into optional fields and an exactly-one-of rule', () => {
    for (const key of ['widget.create', 'widget.update']) {
      const o = op(key);
      expect(o.choices, key).toEqual([{ keys: ['ipv4', 'hostname', 'cidr'], required: true }]);
      for (const k of ['ipv4', 'hostname', 'cidr']) {
        expect(input(o, k)).toMatchObject({ source: 'body', required: false, schema: { kind: 'string' } });
      }
    }
    expect(op('mobileAgentGadgetProfile.update').choices).toBeUndefined();
  });

  it('flattens a nested oneOf of single-field objects into an at-most-one-of rule', () => {
    const transport = asObject(input(op('widget.create'), 'transport').schema);
    expect(Object.keys(transport.properties)).toEqual(['keepalive', 'no_pbf', 'tcp', 'udp']);
    expect(transport.choices).toEqual([{ keys: ['tcp', 'udp'], required: false }]);
    expect(transport.note).toBe('at most one of tcp, udp');
    expect(property(transport, 'tcp').required).toBe(false);
  });

  it('turns a nested oneOf of plain values into a union', () => {
    expect(input(op('widget.create'), 'ttl').schema).toEqual({
      kind: 'union',
      variants: [{ kind: 'number' }, { kind: 'string' }],
    });
  });

  it('drops read-only fields: the body id and read-only objects are never inputs', () => {
    const create = op('widget.create');
    expect(create.inputs.map((i) => i.apiName)).not.toContain('id');
    expect(create.inputs.map((i) => i.name)).not.toContain('stats');
    // The update keeps its path id and does not grow a body_id.
    const update = op('widget.update');
    expect(update.inputs.filter((i) => i.apiName === 'id')).toEqual([
      expect.objectContaining({ name: 'id', source: 'path' }),
    ]);
    expect(update.inputs.map((i) => i.name)).not.toContain('body_id');
  });

  it('lets an update take the object as get returns it: read-only and container fields dropped unless an input', () => {
    // id is the path input; stats is read-only; the widget update takes no container.
    expect(op('widget.update').droppedInputs).toEqual(['device', 'folder', 'snippet', 'stats']);
    // This one takes folder in the query: the folder goes there.
    expect(op('mobileAgentGadgetProfile.update').droppedInputs).toEqual(['device', 'snippet']);
    expect(op('widget.create').droppedInputs).toBeUndefined();
    const zod = zodForInputs(op('widget.update'), { descriptions: 'none' });
    // Validation itself stays strict: dropping happens before it, in the pipeline's validate step.
    expect(zod.safeParse({ id: 'w1', name: 'n', size: 1, ipv4: '10.0.0.1', folder: 'Shared' }).success).toBe(
      false,
    );
  });

  it('renames a body field that collides with a parameter to body_<name>, keeping the API name', () => {
    const update = op('mobileAgentGadgetProfile.update');
    expect(update.inputs.map((i) => [i.name, i.source, i.apiName, i.required])).toEqual([
      ['name', 'query', 'name', true],
      ['folder', 'query', 'folder', true],
      ['body_name', 'body', 'name', true],
      ['enabled', 'body', 'enabled', false],
    ]);
  });

  it('builds the same IR every time', async () => {
    const again = await loadFixtureIr();
    expect([...again.values()]).toEqual([...ops.values()]);
  });

  it('sanitises API keys such as no-pbf and keeps the API name beside them', () => {
    const create = op('widget.create');
    expect(input(create, 'no_pbf')).toMatchObject({ source: 'body', apiName: 'no-pbf' });
    expect(property(input(create, 'transport').schema, 'no_pbf')).toMatchObject({ apiName: 'no-pbf' });
    // Keys that need no change carry no apiName.
    expect(property(input(create, 'transport').schema, 'keepalive').apiName).toBeUndefined();
  });

  it('spells objects out to five levels and accepts anything deeper as a free-form object', () => {
    let schema = input(op('widget.create'), 'level1').schema;
    for (const level of ['level2', 'level3', 'level4']) {
      schema = property(schema, level).schema;
      expect(schema.kind, level).toBe('object');
    }
    const cut = property(schema, 'level5').schema;
    expect(cut.kind).toBe('any');
    expect(cut.note).toMatch(/free-form object/);
  });

  it('keeps string enums, and states non-string enum values in the note instead of the enum', () => {
    const create = op('widget.create');
    expect(input(create, 'mode').schema).toMatchObject({ kind: 'string', enum: ['fast', 'slow'] });
    const priority = input(create, 'priority').schema;
    expect(priority.kind).toBe('integer');
    expect(priority).not.toHaveProperty('enum');
    expect(priority.note).toBe('one of 1, 2, 4');
  });

  it('drops a pattern JavaScript cannot compile but still states it in the note', () => {
    const create = op('widget.create');
    const code = input(create, 'code').schema;
    expect(code).not.toHaveProperty('pattern');
    expect(code.note).toContain('^(?i)[a-z]+$');
    expect(input(create, 'label').schema).toMatchObject({ pattern: '^[a-z]+$' });
  });

  it('accepts any folder name where the spec enumerates the six system folders', () => {
    const list = op('widget.list');
    expect(list.folderInputs).toEqual(['folder']);
    const folder = input(list, 'folder').schema;
    expect(folder).toMatchObject({ kind: 'string', minLength: 1 });
    expect(folder).not.toHaveProperty('enum');
    const schema = zodForInputs(list, { descriptions: 'none' });
    expect(schema.safeParse({ folder: 'Branch Offices EU' }).success).toBe(true);
    expect(schema.safeParse({ folder: 'Shared' }).success).toBe(true);
    expect(schema.safeParse({ folder: '' }).success).toBe(false);

    // A body list of folders too.
    const publish = op('widget.publish');
    expect(publish.folderInputs).toEqual(['folders']);
    expect(input(publish, 'folders').schema).toMatchObject({ kind: 'array', items: { kind: 'string' } });
    expect(JSON.stringify(input(publish, 'folders').schema)).not.toContain('"enum"');
    const publishSchema = zodForInputs(publish, { descriptions: 'none' });
    expect(publishSchema.safeParse({ folders: ['Lab', 'Shared'], confirm: true }).success).toBe(true);
  });

  it('leaves upstream prose out of summaries and inputs when asked to (committed outputs)', async () => {
    const prose = (o: IrOperation) => JSON.stringify([o.summary, o.specDescription, o.inputs]);
    const withText = [...ops.values()].map(prose).join('\n');
    expect(withText.includes('Fixture summary for creating a widget')).toBe(true);
    expect(withText.includes('Fixture words about the widget name.')).toBe(true);
    const bare = [...(await loadFixtureIr(false)).values()].map(prose).join('\n');
    expect(bare.includes('Fixture summary'), 'summary kept').toBe(false);
    expect(bare.includes('Fixture words'), 'field description kept').toBe(false);
  });

  it('merges the same method and path found in two files into one operation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ir-dup-'));
    try {
      copyFileSync(join(fixturesDir, 'widgets.yaml'), join(dir, 'a.yaml'));
      copyFileSync(join(fixturesDir, 'widgets.yaml'), join(dir, 'b.yaml'));
      const warnings: string[] = [];
      const once = await loadIr(fixturesDir, { overlay: fixtureOverlay() });
      const twice = await loadIr(dir, { overlay: fixtureOverlay(), warn: (m) => warnings.push(m) });
      const widgets = once.filter((o) => o.resource === 'widget');
      expect(twice.map((o) => o.key)).toEqual(widgets.map((o) => o.key));
      expect(warnings.some((w) => /in a\.yaml and b\.yaml: merged/.test(w))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('places a resource the overlay does not place in a toolset named for its file, with a warning', async () => {
    const overlay = { ...fixtureOverlay(), toolsets: { fixtures: ['widget'] } };
    const warnings: string[] = [];
    const ops = await loadIr(fixturesDir, { overlay, warn: (m) => warnings.push(m) });
    const gadget = ops.filter((o) => o.resource === 'mobileAgentGadgetProfile');
    expect(gadget.length).toBeGreaterThan(0);
    expect(new Set(gadget.map((o) => o.toolset))).toEqual(new Set(['gadget-profiles']));
    expect(
      warnings.filter((w) => /mobileAgentGadgetProfile .* is in no toolset; using gadget-profiles/.test(w)),
    ).toHaveLength(gadget.length);
  });
});

describe('IR from the synced upstream specs', () => {
  const dir = join(upstreamDir, 'prisma-access-config');
  let ops: IrOperation[];
  let byKey: Map<string, IrOperation>;

  beforeAll(async () => {
    if (!existsSync(dir)) throw new Error(`${dir} is missing: run \`npm run specs:sync\``);
    ops = await loadIr(dir, { overlay: readOverlay(specsDir) });
    byKey = new Map(ops.map((o) => [o.key, o]));
  });

  it('has every operation: 344, of which 135 GET, 76 POST, 67 PUT, 66 DELETE', () => {
    expect(ops).toHaveLength(344);
    const byMethod: Record<string, number> = {};
    for (const o of ops) byMethod[o.method] = (byMethod[o.method] ?? 0) + 1;
    expect(byMethod).toEqual({ GET: 135, POST: 76, PUT: 67, DELETE: 66 });
  });

  it('gives unique keys and tool names, the tool name derived from the key', () => {
    expect(new Set(ops.map((o) => o.key)).size).toBe(ops.length);
    expect(new Set(ops.map((o) => o.tool)).size).toBe(ops.length);
    for (const o of ops) {
      expect(o.key, o.path).toMatch(/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/);
      expect(o.tool).toBe(toolNameFor(o.key));
    }
  });

  it('has the keys the product promises', () => {
    const promised = [
      'address.list',
      'address.create',
      'addressGroup.get',
      'securityRule.move',
      'qosPolicyRule.list',
      'urlCategory.create',
      'remoteNetwork.list',
      'ikeGateway.get',
      'mobileAgentAgentProfile.list',
      'configVersion.push',
      'configVersion.load',
      'configVersion.getRunning',
      'configVersion.rollbackCandidate',
      'job.get',
      'job.list',
      'location.list',
    ];
    expect(promised.filter((k) => !byKey.has(k))).toEqual([]);
  });

  it('classes safety: DELETE, rollback and load destructive; push and enables deploy; GET read; rest write', () => {
    const special: Record<string, string> = {
      'configVersion.rollbackCandidate': 'destructive',
      'configVersion.load': 'destructive',
      'configVersion.push': 'deploy',
      'prismaAccess.enable': 'deploy',
      'mobileAgent.enable': 'deploy',
    };
    const wrong = ops
      .map((o) => {
        const expected =
          special[o.key] ?? (o.method === 'DELETE' ? 'destructive' : o.method === 'GET' ? 'read' : 'write');
        return o.safety === expected
          ? undefined
          : `${o.key} (${o.method}) is ${o.safety}, expected ${expected}`;
      })
      .filter(Boolean);
    expect(wrong).toEqual([]);
    expect(byKey.get('configVersion.rollbackCandidate')?.method).toBe('DELETE');
    expect(byKey.get('configVersion.push')?.method).toBe('POST');
  });

  it('turns the six root-oneOf bodies into exactly-one-of rules', () => {
    const withChoices = ops.filter((o) => o.choices).map((o) => o.key);
    expect(withChoices).toEqual([
      'address.create',
      'address.update',
      'addressGroup.create',
      'addressGroup.update',
      'ipsecCryptoProfile.create',
      'ipsecCryptoProfile.update',
    ]);
    expect(byKey.get('address.create')?.choices).toEqual([
      { keys: ['ip_netmask', 'ip_range', 'ip_wildcard', 'fqdn'], required: true },
    ]);
  });
});
