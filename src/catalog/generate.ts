import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadIr } from '../openapi/load-ir.js';
import { readOverlay } from '../openapi/overlay.js';
import { projectRoot, readSources, specsDir, upstreamDir } from '../openapi/sync.js';
import { toolDefinition } from './build.js';
import { describeOperation } from './describe.js';
import { manifestEntries, manifestJson, toolSnapshot, toolsMarkdown } from './manifest.js';
import type { BuiltCatalog } from './types.js';

export const GENERATOR = 'prisma-access-mcp/src/catalog/generate.ts';
export const manifestDir = join(projectRoot, 'tools-manifest');
/** One snapshot per tool, below manifestDir. */
export const TOOLSNAPS = 'toolsnaps';

export interface Generated {
  catalog: BuiltCatalog;
  /** The committed manifest: path below tools-manifest/ -> text. */
  files: Record<string, string>;
}

/** Everything generated from the synced specs: the full catalogue (build output) and the committed manifest. */
export async function generate(): Promise<Generated> {
  const operations = await loadIr(join(upstreamDir, 'prisma-access-config'), {
    overlay: readOverlay(specsDir),
  });
  // tools/list serves our own notes only (compact); upstream field prose is served by tool_describe.
  const tools = operations.map((op) => toolDefinition(op, 'notes'));
  const catalog: BuiltCatalog = { generator: GENERATOR, specCommit: readSources().commit, operations, tools };
  const entries = manifestEntries(operations, tools);
  const byName = new Map(operations.map((op) => [op.tool, op]));
  const files = {
    'tools.json': manifestJson(entries),
    'TOOLS.md': toolsMarkdown(entries, (e) => describeOperation(byName.get(e.name)!)),
    ...Object.fromEntries(operations.map((op) => [`${TOOLSNAPS}/${op.tool}.json`, toolSnapshot(op)])),
  };
  return { catalog, files };
}

/** The build output only: the committed manifest is written on purpose, by writeManifest. */
export function writeGenerated(g: Generated, distDir = join(projectRoot, 'dist')): void {
  mkdirSync(distDir, { recursive: true });
  writeFileSync(join(distDir, 'catalog.json'), JSON.stringify(g.catalog));
}

/** `npm run manifest:update`: rewrites tools-manifest/, snapshots of tools that are gone removed. */
export function writeManifest(g: Generated, dir = manifestDir): void {
  const snaps = join(dir, TOOLSNAPS);
  if (existsSync(snaps))
    for (const f of readdirSync(snaps))
      if (!(`${TOOLSNAPS}/${f}` in g.files)) rmSync(join(snaps, f), { force: true });
  mkdirSync(snaps, { recursive: true });
  for (const [name, text] of Object.entries(g.files)) writeFileSync(join(dir, name), text);
}

export interface ManifestDrift {
  stale: string[];
  missing: string[];
  extra: string[];
}

/** How the committed manifest differs from what the specs generate now (each list sorted). */
export function manifestDrift(g: Generated, dir = manifestDir): ManifestDrift {
  const stale: string[] = [];
  const missing: string[] = [];
  for (const [name, text] of Object.entries(g.files)) {
    const file = join(dir, name);
    if (!existsSync(file)) missing.push(name);
    else if (readFileSync(file, 'utf8') !== text) stale.push(name);
  }
  const snaps = join(dir, TOOLSNAPS);
  const extra = existsSync(snaps)
    ? readdirSync(snaps)
        .map((f) => `${TOOLSNAPS}/${f}`)
        .filter((name) => !(name in g.files))
    : [];
  return { stale: stale.sort(), missing: missing.sort(), extra: extra.sort() };
}
