import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ZodError, ZodTypeAny } from 'zod';
import { z as z4 } from 'zod/v4';
import { toClientJsonSchema } from '../../src/catalog/json-schema.js';
import { zodForInputs } from '../../src/catalog/zod-from-field.js';
import type { IrOperation } from '../../src/openapi/ir.js';
import { loadIr } from '../../src/openapi/load-ir.js';
import { readOverlay } from '../../src/openapi/overlay.js';
import { specsDir, upstreamDir } from '../../src/openapi/sync.js';
import { loadFixtureIr, opFrom } from '../openapi/fixture-ir.js';
import { inputSchemaViolations } from './assistant-rules.js';

type J = Record<string, any>;

let real: Map<string, IrOperation>;
let fixtures: Map<string, IrOperation>;

beforeAll(async () => {
  const ops = await loadIr(join(upstreamDir, 'prisma-access-config'), { overlay: readOverlay(specsDir) });
  real = new Map(ops.map((o) => [o.key, o]));
  fixtures = await loadFixtureIr();
});

const validatorFor = (op: IrOperation) => zodForInputs(op, { descriptions: 'none' });

function issuesOf(schema: ZodTypeAny, value: unknown): { path: string; message: string; code: string }[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return (result.error as ZodError).issues.map((i) => ({
    path: i.path.join('.'),
    message: i.message,
    code: i.code,
  }));
}

describe('address.create validation (a root oneOf body)', () => {
  const choice = ['ip_netmask', 'ip_range', 'ip_wildcard', 'fqdn'];
  const base = { folder: 'Shared', name: 'web-1' };
  let schema: ZodTypeAny;
  beforeAll(() => {
    schema = validatorFor(opFrom(real, 'address.create'));
  });

  it('rejects none of ip_netmask/ip_range/ip_wildcard/fqdn, naming all four', () => {
    const issues = issuesOf(schema, base);
    expect(issues).toHaveLength(1);
    for (const field of choice) expect(issues[0]?.message).toContain(field);
    expect(issues[0]?.message).toMatch(/exactly one of .* is required/);
  });

  it('rejects two of them, naming the two given', () => {
    const issues = issuesOf(schema, { ...base, ip_netmask: '10.0.0.1/32', fqdn: 'web.example.com' });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain('got ip_netmask and fqdn');
    for (const field of choice) expect(issues[0]?.message).toContain(field);
    expect(issues[0]?.path).toBe('fqdn');
  });

  it('accepts exactly one of them, whichever it is', () => {
    const values: Record<string, string> = {
      ip_netmask: '10.0.0.1/32',
      ip_range: '10.0.0.1-10.0.0.9',
      ip_wildcard: '10.0.0.0/0.0.255.255',
      fqdn: 'web.example.com',
    };
    for (const field of choice) {
      expect(issuesOf(schema, { ...base, [field]: values[field] }), field).toEqual([]);
    }
  });

  it('rejects an unknown key, naming it', () => {
    const issues = issuesOf(schema, { ...base, ip_netmask: '10.0.0.1/32', colour: 'red' });
    expect(issues).toEqual([expect.objectContaining({ code: 'unrecognized_keys' })]);
    expect(issues[0]?.message).toContain('colour');
  });

  it('accepts an array argument sent as JSON text', () => {
    const result = schema.safeParse({ ...base, ip_netmask: '10.0.0.1/32', tag: '["web", "db"]' });
    expect(result.success).toBe(true);
    expect(result.data).toMatchObject({ tag: ['web', 'db'] });
  });
});

describe('fixture validation', () => {
  const base = { folder: 'Lab', name: 'w1', size: 3, ipv4: '10.0.0.1' };
  let create: ZodTypeAny;
  beforeAll(() => {
    create = validatorFor(opFrom(fixtures, 'widget.create'));
  });

  it('accepts an object argument sent as JSON text and validates what it parses to', () => {
    const ok = create.safeParse({ ...base, transport: ' {"tcp": {"port": 443}} ' });
    expect(ok.success).toBe(true);
    expect(ok.data).toMatchObject({ transport: { tcp: { port: 443 } } });

    expect(issuesOf(create, { ...base, transport: '{"tcp": {"port": "https"}}' })).toEqual([
      expect.objectContaining({ path: 'transport.tcp.port' }),
    ]);
    // Not JSON at all: left as a string, then refused as one.
    expect(issuesOf(create, { ...base, transport: '{tcp: 443' })).toEqual([
      expect.objectContaining({ path: 'transport' }),
    ]);
  });

  it('applies a nested at-most-one-of rule, naming the fields', () => {
    expect(issuesOf(create, { ...base, transport: { keepalive: true } })).toEqual([]);
    const issues = issuesOf(create, { ...base, transport: { tcp: { port: 1 }, udp: { port: 2 } } });
    expect(issues).toEqual([expect.objectContaining({ path: 'transport.udp' })]);
    expect(issues[0]?.message).toContain('give only one of tcp, udp');
  });

  it('rejects unknown keys inside nested objects too', () => {
    expect(issuesOf(create, { ...base, transport: { tpc: {} } })).toEqual([
      expect.objectContaining({ code: 'unrecognized_keys', path: 'transport' }),
    ]);
  });

  it('checks constraints the JSON Schema can carry: range, max length, compilable pattern', () => {
    expect(issuesOf(create, { ...base, size: 10 })).toEqual([expect.objectContaining({ path: 'size' })]);
    expect(issuesOf(create, { ...base, name: 'x'.repeat(32) })).toEqual([
      expect.objectContaining({ path: 'name' }),
    ]);
    expect(issuesOf(create, { ...base, label: 'ABC' })).toEqual([expect.objectContaining({ path: 'label' })]);
    // The uncompilable pattern is not enforced (it is stated in the note instead).
    expect(issuesOf(create, { ...base, code: 'ABC' })).toEqual([]);
  });

  it('takes a free-form object where the schema was cut for depth', () => {
    const deep = { level2: { level3: { level4: { level5: { level6: { level7: { leaf: 'x' } } } } } } };
    expect(issuesOf(create, { ...base, level1: deep })).toEqual([]);
  });

  it('adds confirm and approval_token to gated tools only', () => {
    expect(issuesOf(validatorFor(opFrom(fixtures, 'widget.delete')), { id: 'w-1', confirm: true })).toEqual(
      [],
    );
    expect(issuesOf(validatorFor(opFrom(fixtures, 'widget.delete')), { id: 'w-1', confirm: 'yes' })).toEqual([
      expect.objectContaining({ path: 'confirm' }),
    ]);
    expect(issuesOf(create, { ...base, confirm: true })).toEqual([
      expect.objectContaining({ code: 'unrecognized_keys' }),
    ]);
  });
});

describe('emitted JSON Schema', () => {
  const schemaOf = (key: string, descriptions: 'full' | 'notes' | 'none' = 'notes') =>
    toClientJsonSchema(zodForInputs(opFrom(fixtures, key), { descriptions })) as J;

  it('is a plain object with every input as a property (not just $schema)', () => {
    const js = schemaOf('widget.create');
    expect(js.type).toBe('object');
    expect(Object.keys(js.properties)).toEqual(opFrom(fixtures, 'widget.create').inputs.map((i) => i.name));
    expect(js.required).toEqual(['folder', 'name', 'size']);
    expect(js).not.toHaveProperty('$schema');
    expect(js).not.toHaveProperty('oneOf');
  });

  it('follows every assistant rule for every fixture tool, in every description mode', () => {
    for (const key of fixtures.keys()) {
      for (const mode of ['full', 'notes', 'none'] as const) {
        expect(inputSchemaViolations(schemaOf(key, mode)), `${key} (${mode})`).toEqual([]);
      }
    }
  });

  it('emits a union of plain values as anyOf, one type each', () => {
    expect(schemaOf('widget.create').properties.ttl).toEqual({
      anyOf: [{ type: 'number' }, { type: 'string' }],
    });
  });

  it('serves a free-form object for the part cut for depth', () => {
    const l4 =
      schemaOf('widget.create').properties.level1.properties.level2.properties.level3.properties.level4;
    expect(l4.properties.level5).toMatchObject({ type: 'object', properties: {} });
  });

  it('keeps upstream prose for full descriptions only, and our notes unless told none', () => {
    const full = schemaOf('widget.create', 'full').properties;
    const notes = schemaOf('widget.create', 'notes').properties;
    const none = schemaOf('widget.create', 'none').properties;
    expect(full.name.description).toBe('Fixture words about the widget name.');
    expect(notes.name).not.toHaveProperty('description');
    expect(notes.size.description).toBe('range 1..9');
    expect(notes.priority.description).toBe('one of 1, 2, 4');
    expect(notes.code.description).toBe('pattern ^(?i)[a-z]+$');
    expect(notes.code).not.toHaveProperty('pattern');
    // (a property may be called description; a description text is a string value)
    expect(JSON.stringify(none)).not.toMatch(/"description":"/);
  });

  it('refuses a zod v4 schema instead of emitting one without properties', () => {
    const v4 = z4.object({ name: z4.string() }) as unknown as ZodTypeAny;
    expect(() => toClientJsonSchema(v4)).toThrow(/no properties/);
  });
});
