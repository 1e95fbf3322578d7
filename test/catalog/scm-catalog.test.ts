import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Generated, generate, manifestDir, manifestDrift } from '../../src/catalog/generate.js';
import type { ManifestEntry } from '../../src/catalog/manifest.js';
import { apiSet } from '../../src/openapi/api-sets.js';
import { listTools } from '../bench/measure.js';
import { inputSchemaViolations, toolNameViolations } from './assistant-rules.js';

// --api scm: every operation of the unified SCM configuration API is a tool, and all of them are tools that
// Claude, OpenAI and Gemini accept. The listing's size is printed by `npm run bench:context` (goal 120k tokens).

let generated: Generated;
let listed: Tool[];

beforeAll(async () => {
  generated = await generate(apiSet('scm'));
  listed = (await listTools(['--api', 'scm', '--toolsets', 'all'])).tools;
}, 120_000);

describe('the scm catalogue', () => {
  it('has all 762 operations as tools, one each, under unique names', () => {
    const ops = generated.catalog.operations;
    expect(ops).toHaveLength(762);
    expect(new Set(ops.map((o) => o.tool)).size).toBe(762);
    expect(new Set(ops.map((o) => `${o.method} ${o.base?.host}${o.path}`)).size).toBe(762);
    // Every operation carries the base of its own file.
    expect(ops.every((o) => o.base?.host === 'https://api.strata.paloaltonetworks.com')).toBe(true);
    expect(generated.warnings).toEqual([]);
  });

  it('is what the committed tools-manifest/tools-scm.json and toolsnaps-scm/ say', () => {
    expect(manifestDrift(generated), 'run `npm run manifest:update` and commit it').toEqual({
      stale: [],
      missing: [],
      extra: [],
    });
    const entries = JSON.parse(readFileSync(join(manifestDir, 'tools-scm.json'), 'utf8')) as ManifestEntry[];
    expect(entries).toHaveLength(762);
  });

  it('lists every tool with zero problems under the assistant rules', () => {
    expect(listed.length).toBe(777);
    const failures = listed.flatMap((t) => [
      ...toolNameViolations(t.name),
      ...inputSchemaViolations(t.inputSchema).map((v) => `${t.name} ${v}`),
      ...['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']
        .filter((h) => typeof (t.annotations as Record<string, unknown> | undefined)?.[h] !== 'boolean')
        .map((h) => `${t.name}: ${h} not set`),
    ]);
    expect(failures).toEqual([]);
  });

  it('gives the special behaviours as roles, set from overlay-scm.yaml', () => {
    const roles = Object.fromEntries(
      generated.catalog.operations.filter((o) => o.role).map((o) => [o.tool, o.role]),
    );
    expect(roles).toEqual({
      config_version_push: 'push',
      config_version_rollback_candidate: 'discard-candidate',
      config_version_load: 'load-version',
      job_get: 'job-get',
      job_list: 'job-list',
      prisma_access_enable: 'enable',
      mobile_agent_enable: 'enable',
      setup_folder_list: 'folder-list',
    });
  });

  it('keeps the body fields nested two deep: address_create has folder and ip_netmask, with their rules', () => {
    const op = generated.catalog.operations.find((o) => o.tool === 'address_create')!;
    const names = op.inputs.map((i) => i.name);
    for (const n of ['name', 'folder', 'snippet', 'device', 'ip_netmask', 'ip_range', 'ip_wildcard', 'fqdn'])
      expect(names, n).toContain(n);
    expect(op.choices).toEqual([
      { keys: ['ip_netmask', 'ip_range', 'ip_wildcard', 'fqdn'], required: true },
      { keys: ['folder', 'snippet', 'device'], required: true },
    ]);
  });

  it('classifies action verbs the overlay does not name as destructive', () => {
    const byTool = new Map(generated.catalog.operations.map((o) => [o.tool, o]));
    for (const t of [
      'snippet_snapshot_publish',
      'snippet_snapshot_load',
      'shared_snippet_load',
      'certificate_export',
    ])
      expect(byTool.get(t)?.safety, t).toBe('destructive');
    expect(byTool.get('certificate_import')?.safety).toBe('write');
  });
});
