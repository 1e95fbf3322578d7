import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ABBREVIATED_TOOL_NOTE, toolDefinition } from '../../src/catalog/build.js';
import { describeOperation } from '../../src/catalog/describe.js';
import {
  type Generated,
  generate,
  manifestDir,
  manifestDrift,
  writeGenerated,
  writeManifest,
} from '../../src/catalog/generate.js';
import {
  GENERATED_HEADER,
  type ManifestEntry,
  manifestEntries,
  manifestJson,
  toolSnapshot,
  toolsMarkdown,
} from '../../src/catalog/manifest.js';
import type { FieldSchema, IrOperation } from '../../src/openapi/ir.js';
import { loadIr } from '../../src/openapi/load-ir.js';
import { readOverlay } from '../../src/openapi/overlay.js';
import { specsDir, upstreamDir } from '../../src/openapi/sync.js';

let generated: Generated;
let toolsJson: string;
let toolsMd: string;
let entries: ManifestEntry[];
let ops: IrOperation[];

beforeAll(async () => {
  generated = await generate();
  ops = generated.catalog.operations;
  toolsJson = readFileSync(join(manifestDir, 'tools.json'), 'utf8');
  toolsMd = readFileSync(join(manifestDir, 'TOOLS.md'), 'utf8');
  entries = JSON.parse(toolsJson) as ManifestEntry[];
});

/** Every description in a field schema tree (upstream prose, when built with descriptions). */
function descriptionsIn(schema: FieldSchema): string[] {
  const own = schema.description ? [schema.description] : [];
  switch (schema.kind) {
    case 'array':
      return [...own, ...descriptionsIn(schema.items)];
    case 'object':
      return [...own, ...Object.values(schema.properties).flatMap((p) => descriptionsIn(p.schema))];
    case 'union':
      return [...own, ...schema.variants.flatMap(descriptionsIn)];
    default:
      return own;
  }
}

function keysIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(keysIn);
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => [k, ...keysIn(v)]);
}

function stringsIn(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(stringsIn);
  if (!node || typeof node !== 'object') return [];
  return Object.values(node).flatMap(stringsIn);
}

const SNAPS = 'toolsnaps';

describe('committed tool manifest (tools-manifest/)', () => {
  it('is what the specs generate now: no snapshot stale, missing or extra (UPDATE_SNAPS=true rewrites it)', () => {
    if (process.env.UPDATE_SNAPS === 'true') writeManifest(generated);
    expect(
      manifestDrift(generated),
      'tools-manifest is stale: run `npm run manifest:update`, review the diff and commit it',
    ).toEqual({ stale: [], missing: [], extra: [] });
  });

  it('the check fails on a changed, a missing and an extra snapshot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'toolsnaps-'));
    try {
      cpSync(manifestDir, dir, { recursive: true });
      expect(manifestDrift(generated, dir)).toEqual({ stale: [], missing: [], extra: [] });
      const snap = join(dir, SNAPS, 'address_create.json');
      writeFileSync(snap, readFileSync(snap, 'utf8').replace('"ip_netmask"', '"ip_mask"'));
      rmSync(join(dir, SNAPS, 'tag_list.json'));
      writeFileSync(join(dir, SNAPS, 'gone_tool.json'), '{}');
      writeFileSync(join(dir, 'tools.json'), '[]');
      expect(manifestDrift(generated, dir)).toEqual({
        stale: ['tools.json', `${SNAPS}/address_create.json`],
        missing: [`${SNAPS}/tag_list.json`],
        extra: [`${SNAPS}/gone_tool.json`],
      });
      writeManifest(generated, dir);
      expect(manifestDrift(generated, dir)).toEqual({ stale: [], missing: [], extra: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is never written by the build: the build writes dist/catalog.json and its schemas file only', () => {
    const dist = mkdtempSync(join(tmpdir(), 'dist-'));
    const before = statSync(join(manifestDir, 'tools.json')).mtimeMs;
    try {
      writeGenerated(generated, dist);
      expect(readdirSync(dist).sort()).toEqual(['catalog.json', 'catalog.schemas.json']);
      expect(statSync(join(manifestDir, 'tools.json')).mtimeMs).toBe(before);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
    const scripts = JSON.parse(readFileSync(join(manifestDir, '..', 'package.json'), 'utf8')).scripts;
    expect(scripts.build).not.toMatch(/manifest/);
    expect(scripts['manifest:update']).toBeDefined();
  });

  it('keeps one snapshot per tool with its whole input schema and its facts, sorted keys, no upstream prose', () => {
    const files = readdirSync(join(manifestDir, SNAPS)).sort();
    expect(files).toEqual(ops.map((op) => `${op.tool}.json`).sort());
    const snap = JSON.parse(readFileSync(join(manifestDir, SNAPS, 'address_update.json'), 'utf8'));
    expect(snap).toMatchObject({
      name: 'address_update',
      key: 'address.update',
      http: 'PUT /sse/config/v1/addresses/{id}',
      safety: 'write',
      inputSchema: { type: 'object', required: expect.arrayContaining(['id', 'name']) },
    });
    expect(Object.keys(snap.inputSchema.properties)).toEqual(
      expect.arrayContaining(['id', 'name', 'ip_netmask', 'fqdn', 'tag']),
    );
    // The whole schema, even where tools/list abbreviates it.
    const big = ops.find((op) => toolDefinition(op, 'notes').description.includes(ABBREVIATED_TOOL_NOTE))!;
    const bigSnap = JSON.parse(readFileSync(join(manifestDir, SNAPS, `${big.tool}.json`), 'utf8'));
    expect(bigSnap.inputSchema).toEqual(toolDefinition(big, 'notes', Number.POSITIVE_INFINITY).inputSchema);
  });

  it('lists 344 tools in tools.json, sorted by name', () => {
    expect(entries).toHaveLength(344);
    const names = entries.map((e) => e.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives every entry its facts: name, key, HTTP, safety, toolset, hints, params, required, schema hash', () => {
    const bad: string[] = [];
    for (const e of entries) {
      const problems = [
        typeof e.name === 'string' && /^[a-z][a-z0-9_]*$/.test(e.name) ? '' : 'name',
        typeof e.key === 'string' && e.key.includes('.') ? '' : 'key',
        ['GET', 'POST', 'PUT', 'DELETE'].includes(e.method) ? '' : 'method',
        typeof e.path === 'string' && e.path.startsWith('/sse/config/v1/') ? '' : 'path',
        ['read', 'write', 'destructive', 'deploy'].includes(e.safety) ? '' : 'safety',
        typeof e.toolset === 'string' && e.toolset ? '' : 'toolset',
        typeof e.annotations?.title === 'string' &&
        ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'].every(
          (h) => typeof (e.annotations as unknown as Record<string, unknown>)[h] === 'boolean',
        )
          ? ''
          : 'annotations',
        ['path', 'query', 'body'].every((s) => Array.isArray(e.params?.[s as 'path'])) ? '' : 'params',
        Array.isArray(e.required) ? '' : 'required',
        /^[0-9a-f]{64}$/.test(e.schemaSha256) ? '' : 'schemaSha256',
      ].filter(Boolean);
      if (problems.length) bad.push(`${e.name}: ${problems.join(', ')}`);
    }
    expect(bad).toEqual([]);
    // Every operation is there under its own key.
    expect(new Map(entries.map((e) => [e.key, e.name]))).toEqual(new Map(ops.map((op) => [op.key, op.tool])));
  });

  it('holds no upstream prose in tools.json: no description keys, no summary of the spec', () => {
    const keys = new Set(keysIn(entries));
    for (const k of ['description', 'summary', 'specDescription']) expect(keys.has(k), k).toBe(false);
    const values = stringsIn(entries);
    const summaries = ops.map((op) => op.summary).filter((s): s is string => !!s);
    expect(summaries.length).toBe(ops.length);
    const leaked = summaries.filter((s) => values.some((v) => v.includes(s)));
    expect(leaked).toEqual([]);
  });

  it('holds no upstream prose in TOOLS.md: no spec or field descriptions', () => {
    expect(toolsMd).toContain(GENERATED_HEADER);
    const prose = new Set(
      ops
        .flatMap((op) => [op.specDescription ?? '', ...op.inputs.flatMap((i) => descriptionsIn(i.schema))])
        .filter((p) => p.length >= 40 && !p.startsWith('Folder name, case-sensitive')),
    );
    expect(prose.size).toBeGreaterThan(100);
    const leaked = [...prose].filter((p) => toolsMd.includes(p) || toolsJson.includes(p));
    expect(leaked).toEqual([]);
  });

  it('comes out the same from an IR without any upstream prose (so none of it is in there)', async () => {
    // Short summaries ("List locations") can match our own words by chance: prove independence instead.
    const bare = await loadIr(join(upstreamDir, 'prisma-access-config'), {
      overlay: readOverlay(specsDir),
      withDescriptions: false,
    });
    expect(bare.some((op) => op.summary !== undefined)).toBe(false);
    const tools = bare.map((op) => toolDefinition(op, 'notes'));
    const bareEntries = manifestEntries(bare, tools);
    const byName = new Map(bare.map((op) => [op.tool, op]));
    expect(manifestJson(bareEntries)).toBe(toolsJson);
    expect(toolsMarkdown(bareEntries, (e) => describeOperation(byName.get(e.name)!))).toBe(toolsMd);
    // And every per-tool snapshot too.
    for (const op of bare) {
      const committed = readFileSync(join(manifestDir, SNAPS, `${op.tool}.json`), 'utf8');
      expect(toolSnapshot(op), op.tool).toBe(committed);
    }
    const prose = ops
      .flatMap((op) => op.inputs.flatMap((i) => descriptionsIn(i.schema)))
      .filter((p) => p.length >= 40);
    const snaps = Object.entries(generated.files).filter(([name]) => name.startsWith(SNAPS));
    expect(
      snaps.filter(([, text]) => prose.some((p) => !p.startsWith('Folder name') && text.includes(p))),
    ).toEqual([]);
  });
});
