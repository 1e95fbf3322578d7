import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { toolDefinition } from '../../src/catalog/build.js';
import { zodForInputs } from '../../src/catalog/zod-from-field.js';
import { SERVER_TOOL_NAMES } from '../../src/facts.js';
import type { IrOperation } from '../../src/openapi/ir.js';
import { loadIr } from '../../src/openapi/load-ir.js';
import type { Overlay } from '../../src/openapi/overlay.js';

/** Hand-written fixture specs, one per shape OpenAPI allows (test/fixtures/shapes). */
const shapesDir = fileURLToPath(new URL('../fixtures/shapes/', import.meta.url));
const clashDir = fileURLToPath(new URL('../fixtures/shapes-clash/', import.meta.url));

const overlay = (extra: Partial<Overlay> = {}): Overlay => ({
  resources: {},
  operations: {},
  safety: {},
  roles: {},
  live: { folderInputs: [], optionalParams: [], bodyDefaults: {} },
  toolsets: { things: ['thing'] },
  ...extra,
});

const load = (dir: string, o: Overlay = overlay(), warn?: (m: string) => void) =>
  loadIr(dir, {
    overlay: o,
    resourceRule: 'all-segments',
    reservedTools: SERVER_TOOL_NAMES,
    ...(warn ? { warn } : {}),
  });

let ops: Map<string, IrOperation>;
const warnings: string[] = [];

beforeAll(async () => {
  ops = new Map((await load(shapesDir, overlay(), (m) => warnings.push(m))).map((o) => [o.tool, o]));
});

const opNamed = (tool: string) => {
  const op = ops.get(tool);
  if (!op) throw new Error(`no tool ${tool}; have ${[...ops.keys()].join(', ')}`);
  return op;
};

interface Want {
  method: string;
  path: string;
  base: { host: string; prefix: string };
  safety: string;
  toolset: string;
  inputs: string[];
  required: string[];
  choices?: Array<{ keys: string[]; required: boolean }>;
}

const HOST = 'https://api.example.test';

describe.each<[string, string, Want]>([
  [
    'server base with a path prefix, nested anyOf/oneOf body (three levels)',
    'thing_create',
    {
      method: 'POST',
      path: '/config/things/v1/things',
      base: { host: HOST, prefix: '/config/things/v1' },
      safety: 'write',
      toolset: 'things',
      inputs: ['name', 'ip', 'host', 'port', 'port_range', 'folder', 'snippet', 'device'],
      required: ['name'],
      choices: [
        { keys: ['ip', 'host'], required: true },
        { keys: ['port', 'port_range'], required: false },
        { keys: ['folder', 'snippet', 'device'], required: true },
      ],
    },
  ],
  [
    'PATCH',
    'thing_patch',
    {
      method: 'PATCH',
      path: '/config/things/v1/things/{id}',
      base: { host: HOST, prefix: '/config/things/v1' },
      safety: 'write',
      toolset: 'things',
      inputs: ['id', 'label'],
      required: ['id'],
    },
  ],
  [
    'an action verb nobody classified is destructive',
    'thing_publish',
    {
      method: 'POST',
      path: '/config/things/v1/things/{id}:publish',
      base: { host: HOST, prefix: '/config/things/v1' },
      safety: 'destructive',
      toolset: 'things',
      inputs: ['id'],
      required: ['id'],
    },
  ],
  [
    'the same method and URL in two files: one tool, inputs of both',
    'thing_list',
    {
      method: 'GET',
      path: '/config/things/v1/things',
      base: { host: HOST, prefix: '/config/things/v1' },
      safety: 'read',
      toolset: 'things',
      inputs: ['folder', 'snippet', 'limit', 'offset', 'name'],
      required: [],
    },
  ],
  [
    'a JSON file, an enum without type',
    'gizmo_list',
    {
      method: 'GET',
      path: '/config/gizmos/v1/gizmos',
      base: { host: HOST, prefix: '/config/gizmos/v1' },
      safety: 'read',
      toolset: 'gizmos',
      inputs: ['position'],
      required: ['position'],
    },
  ],
  [
    'a clash between files, resolved by area (gizmos)',
    'gizmos_location_list',
    {
      method: 'GET',
      path: '/config/gizmos/v1/locations',
      base: { host: HOST, prefix: '/config/gizmos/v1' },
      safety: 'read',
      toolset: 'gizmos',
      inputs: [],
      required: [],
    },
  ],
  [
    'a clash between files, resolved by area (places)',
    'places_location_list',
    {
      method: 'GET',
      path: '/config/places/v1/locations',
      base: { host: HOST, prefix: '/config/places/v1' },
      safety: 'read',
      toolset: 'places',
      inputs: [],
      required: [],
    },
  ],
  [
    'a clash with the server tool folder_list, resolved by area',
    'places_folder_list',
    {
      method: 'GET',
      path: '/config/places/v1/folders',
      base: { host: HOST, prefix: '/config/places/v1' },
      safety: 'read',
      toolset: 'places',
      inputs: ['limit'],
      required: [],
    },
  ],
])('%s', (_shape, tool, want) => {
  it('gives the IR operation', () => {
    const op = opNamed(tool);
    expect({
      method: op.method,
      path: op.path,
      base: op.base,
      safety: op.safety,
      toolset: op.toolset,
    }).toEqual({
      method: want.method,
      path: want.path,
      base: want.base,
      safety: want.safety,
      toolset: want.toolset,
    });
    expect(op.inputs.map((i) => i.name)).toEqual(want.inputs);
    expect(op.choices ?? []).toEqual(want.choices ?? []);
  });

  it('emits a client-safe schema with every field and the required ones', () => {
    const def = toolDefinition(opNamed(tool), 'notes', Infinity);
    const props = Object.keys((def.inputSchema.properties ?? {}) as Record<string, unknown>);
    for (const name of want.inputs) expect(props, name).toContain(name);
    expect(((def.inputSchema.required as string[] | undefined) ?? []).sort()).toEqual(
      [...want.required].sort(),
    );
    for (const k of ['oneOf', 'anyOf', 'allOf', '$ref'])
      expect(JSON.stringify(def.inputSchema)).not.toContain(`"${k}"`);
  });
});

describe('choice rules from nested groups are enforced by validation', () => {
  it.each([
    [{ name: 'a', ip: '1.2.3.4', folder: 'F' }, undefined],
    [{ name: 'a', ip: '1.2.3.4' }, 'exactly one of folder, snippet, device is required'],
    [{ name: 'a', ip: '1.2.3.4', folder: 'F', device: 'D' }, 'give only one of folder, snippet, device'],
    [{ name: 'a', folder: 'F' }, 'exactly one of ip, host is required'],
    [{ name: 'a', host: 'h', port: 1, port_range: '1-2', folder: 'F' }, 'give only one of port, port_range'],
  ])('%j -> %s', (args, error) => {
    const result = zodForInputs(opNamed('thing_create'), { descriptions: 'none' }).safeParse(args);
    if (error === undefined) expect(result.success).toBe(true);
    else expect(JSON.stringify(result.error?.issues)).toContain(error);
  });
});

describe('what the generator says and refuses', () => {
  it('warns for the merged duplicate and for each operation the overlay does not place', () => {
    expect(warnings).toContain(
      'GET /config/things/v1/things is in base/things.yaml and other/things-again.yaml: merged into one tool',
    );
    expect(
      warnings.some((w) =>
        w.includes('resource gizmo (GET /config/gizmos/v1/gizmos) is in no toolset; using gizmos'),
      ),
    ).toBe(true);
  });

  it('names both operations of a clash no rule resolves, and the overlay resolves it', async () => {
    await expect(load(clashDir)).rejects.toThrow(
      /key widgetItem\.get: GET \/config\/widgets\/v1\/widget-items \(a\.yaml\), GET \/config\/widgets\/v1\/widget-items \(b\.yaml\)/,
    );
    // The overlay names one of them by host and path.
    const fixed = await load(
      clashDir,
      overlay({
        operations: { 'GET https://two.example.test/config/widgets/v1/widget-items': 'otherWidgetItem.list' },
      }),
    );
    expect(fixed.map((o) => o.tool).sort()).toEqual(['other_widget_item_list', 'widget_item_get']);
  });

  it('names a spec file that cannot be read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ir-bad-'));
    try {
      writeFileSync(join(dir, 'broken.yaml'), 'openapi: 3.0.3\npaths: [unclosed\n');
      await expect(load(dir)).rejects.toThrow(`spec file ${join(dir, 'broken.yaml')} cannot be read`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
