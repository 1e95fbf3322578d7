import { schemasFileOf, splitCatalog } from './stored.js';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_SETS, type ApiSet, apiSet } from '../openapi/api-sets.js';
import { loadIr } from '../openapi/load-ir.js';
import { readOverlay } from '../openapi/overlay.js';
import { projectRoot, readSources, specsDir, upstreamDir } from '../openapi/sync.js';
import { SERVER_TOOL_NAMES } from '../facts.js';
import { toolDefinition } from './build.js';
import { describeOperation } from './describe.js';
import { manifestEntries, manifestJson, toolSnapshot, toolsMarkdown } from './manifest.js';
import type { BuiltCatalog } from './types.js';

export const GENERATOR = 'prisma-access-mcp/src/catalog/generate.ts';
export const manifestDir = join(projectRoot, 'tools-manifest');

export interface Generated {
  set: ApiSet;
  catalog: BuiltCatalog;
  /** The committed manifest: path below tools-manifest/ -> text. */
  files: Record<string, string>;
  /** Overlay gaps that did not stop the load (unplaced operations, merged duplicates). */
  warnings: string[];
}

/** Everything generated from one set's synced specs: its catalogue (build output) and its committed manifest. */
export async function generate(set: ApiSet = apiSet()): Promise<Generated> {
  const sources = readSources().sets[set.sources];
  if (!sources) throw new Error(`specs/sources.json has no set ${set.sources}`);
  const warnings: string[] = [];
  const operations = await loadIr(join(upstreamDir, sources.dir), {
    overlay: readOverlay(specsDir, set.overlay),
    resourceRule: set.resourceRule,
    reservedTools: SERVER_TOOL_NAMES,
    warn: (m) => warnings.push(m),
  });
  // tools/list serves our own notes only (compact); upstream field prose is served by tool_describe.
  const tools = operations.map((op) => toolDefinition(op, 'notes', set.listedSchemaMaxChars));
  const catalog: BuiltCatalog = { generator: GENERATOR, specCommit: sources.commit, operations, tools };
  const entries = manifestEntries(operations, tools);
  const byName = new Map(operations.map((op) => [op.tool, op]));
  const files = {
    [set.manifest]: manifestJson(entries),
    [set.markdown]: toolsMarkdown(entries, (e) => describeOperation(byName.get(e.name)!), set.title),
    ...Object.fromEntries(operations.map((op) => [`${set.snapshots}/${op.tool}.json`, toolSnapshot(op)])),
  };
  return { set, catalog, files, warnings };
}

/** Every set: both catalogues are built at install, the one `--api` names is served. */
export async function generateAll(): Promise<Generated[]> {
  const out: Generated[] = [];
  for (const set of Object.values(API_SETS)) out.push(await generate(set));
  return out;
}

/** The build output only: the committed manifest is written on purpose, by writeManifest. */
export function writeGenerated(g: Generated, distDir = join(projectRoot, 'dist')): void {
  mkdirSync(distDir, { recursive: true });
  const file = join(distDir, g.set.catalog);
  const { stored, schemas } = splitCatalog(g.catalog);
  writeFileSync(file, JSON.stringify(stored));
  writeFileSync(schemasFileOf(file), JSON.stringify(schemas));
}

/** `npm run manifest:update`: rewrites tools-manifest/, snapshots of tools that are gone removed. */
export function writeManifest(g: Generated, dir = manifestDir): void {
  const snaps = join(dir, g.set.snapshots);
  if (existsSync(snaps))
    for (const f of readdirSync(snaps))
      if (!(`${g.set.snapshots}/${f}` in g.files)) rmSync(join(snaps, f), { force: true });
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
  const snaps = join(dir, g.set.snapshots);
  const extra = existsSync(snaps)
    ? readdirSync(snaps)
        .map((f) => `${g.set.snapshots}/${f}`)
        .filter((name) => !(name in g.files))
    : [];
  return { stale: stale.sort(), missing: missing.sort(), extra: extra.sort() };
}
