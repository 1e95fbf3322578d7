import { beforeAll, describe, expect, it } from 'vitest';
import { toolDefinition } from '../../src/catalog/build.js';
import { loadCatalog } from '../../src/catalog/load.js';
import type { BuiltCatalog, ToolDefinition } from '../../src/catalog/types.js';
import type { IrOperation } from '../../src/openapi/ir.js';
import { inputSchemaViolations, toolNameViolations } from './assistant-rules.js';

// A static guard over every generated tool (dist/catalog.json, from `npm run generate`): what clients see.

type J = Record<string, any>;

let catalog: BuiltCatalog;
let opByTool: Map<string, IrOperation>;
/** The same tools with upstream prose in every field description (what tool_describe serves). */
let full: ToolDefinition[];

const opOf = (t: ToolDefinition): IrOperation => {
  const op = opByTool.get(t.name);
  if (!op) throw new Error(`tool ${t.name} has no operation`);
  return op;
};
const isGated = (op: IrOperation) => op.safety === 'destructive' || op.safety === 'deploy';
const propsOf = (t: ToolDefinition) => (t.inputSchema.properties ?? {}) as J;

beforeAll(() => {
  catalog = loadCatalog();
  opByTool = new Map(catalog.operations.map((op) => [op.tool, op]));
  full = catalog.operations.map((op) => toolDefinition(op, 'full'));
});

describe('every tool', () => {
  it('is there, one per operation', () => {
    expect(catalog.tools).toHaveLength(344);
    expect(catalog.tools.map((t) => t.name).sort()).toEqual(catalog.operations.map((op) => op.tool).sort());
  });

  it('matches what the current source generates (else run `npm run generate`)', () => {
    const stale = catalog.tools
      .filter((t) => JSON.stringify(toolDefinition(opOf(t), 'notes')) !== JSON.stringify(t))
      .map((t) => t.name);
    expect(stale, 'dist/catalog.json is stale: run `npm run generate`').toEqual([]);
  });

  it('has a unique name of lower snake_case, at most 45 characters', () => {
    const bad = catalog.tools.flatMap((t) => toolNameViolations(t.name));
    expect(bad).toEqual([]);
    expect(new Set(catalog.tools.map((t) => t.name)).size).toBe(catalog.tools.length);
  });

  it('has a title and all four annotation hints, as booleans', () => {
    const bad = catalog.tools
      .filter((t) => {
        const a = t.annotations as unknown as J;
        return (
          typeof t.title !== 'string' ||
          t.title.trim() === '' ||
          a.title !== t.title ||
          ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'].some(
            (hint) => typeof a[hint] !== 'boolean',
          )
        );
      })
      .map((t) => t.name);
    expect(bad).toEqual([]);
  });

  it('is read-only exactly when its operation is a read', () => {
    const bad = catalog.tools
      .filter(
        (t) => t.safety !== opOf(t).safety || t.annotations.readOnlyHint !== (opOf(t).safety === 'read'),
      )
      .map((t) => `${t.name} (${opOf(t).safety})`);
    expect(bad).toEqual([]);
    expect(catalog.tools.filter((t) => t.annotations.readOnlyHint)).toHaveLength(135);
  });

  it('is marked destructive and takes a boolean confirm exactly when it is destructive or deploy', () => {
    const bad: string[] = [];
    for (const t of catalog.tools) {
      const gated = isGated(opOf(t));
      const confirm = propsOf(t).confirm as J | undefined;
      if (t.annotations.destructiveHint !== gated) bad.push(`${t.name}: destructiveHint ${!gated}`);
      if (gated && confirm?.type !== 'boolean') bad.push(`${t.name}: no boolean confirm`);
      if (!gated && confirm !== undefined) bad.push(`${t.name}: confirm on an ungated tool`);
      if (gated && (t.inputSchema.required as string[] | undefined)?.includes('confirm'))
        bad.push(`${t.name}: confirm required (a call without it must get a preview)`);
    }
    expect(bad).toEqual([]);
    expect(catalog.tools.filter((t) => t.annotations.destructiveHint).map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'config_version_push',
        'config_version_load',
        'config_version_rollback_candidate',
        'address_delete',
      ]),
    );
  });

  it('serves a schema every assistant accepts (MCP-NOTES rules 3-9), compact and with full descriptions', () => {
    const bad = [
      ...catalog.tools.flatMap((t) => inputSchemaViolations(t.inputSchema).map((v) => `${t.name} ${v}`)),
      ...full.flatMap((t) => inputSchemaViolations(t.inputSchema).map((v) => `${t.name} (full) ${v}`)),
    ];
    expect(bad).toEqual([]);
  });

  it('takes no read-only body id on a create or update', () => {
    const bad: string[] = [];
    for (const t of catalog.tools) {
      const op = opOf(t);
      if (op.action !== 'create' && op.action !== 'update') continue;
      if (op.inputs.some((i) => i.source === 'body' && i.apiName === 'id')) bad.push(`${t.name}: body id`);
      const pathId = op.inputs.some((i) => i.source === 'path' && i.name === 'id');
      if ('id' in propsOf(t) && !pathId) bad.push(`${t.name}: id input`);
      if ('body_id' in propsOf(t)) bad.push(`${t.name}: body_id input`);
    }
    expect(bad).toEqual([]);
  });

  it('takes any folder name: folder inputs carry no enum', () => {
    const bad: string[] = [];
    for (const t of catalog.tools) {
      const op = opOf(t);
      for (const i of op.inputs) {
        if ((i.apiName === 'folder' || i.apiName === 'folders') && !op.folderInputs.includes(i.name))
          bad.push(`${t.name}: ${i.name} is not a folder input`);
      }
      for (const name of op.folderInputs) {
        const prop = propsOf(t)[name] as J | undefined;
        if (!prop) bad.push(`${t.name}: folder input ${name} missing from the schema`);
        else if (prop.enum || prop.items?.enum) bad.push(`${t.name}: ${name} has an enum`);
      }
    }
    expect(bad).toEqual([]);
    expect(catalog.tools.filter((t) => opOf(t).folderInputs.length > 0).length).toBeGreaterThan(100);
  });
});
