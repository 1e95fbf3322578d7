import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadIr } from '../openapi/load-ir.js';
import { readOverlay } from '../openapi/overlay.js';
import { projectRoot, readSources, specsDir, upstreamDir } from '../openapi/sync.js';
import { toolDefinition } from './build.js';
import { describeOperation } from './describe.js';
import { manifestEntries, manifestJson, toolsMarkdown } from './manifest.js';
import type { BuiltCatalog } from './types.js';

export const GENERATOR = 'prisma-access-mcp/src/catalog/generate.ts';
export const manifestDir = join(projectRoot, 'tools-manifest');

export interface Generated {
  catalog: BuiltCatalog;
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
  };
  return { catalog, files };
}

export function writeGenerated(g: Generated, distDir = join(projectRoot, 'dist')): void {
  mkdirSync(distDir, { recursive: true });
  writeFileSync(join(distDir, 'catalog.json'), JSON.stringify(g.catalog));
  mkdirSync(manifestDir, { recursive: true });
  for (const [name, text] of Object.entries(g.files)) writeFileSync(join(manifestDir, name), text);
}

/** Names of committed manifest files that differ from what the specs generate now. */
export function staleManifestFiles(g: Generated): string[] {
  return Object.entries(g.files)
    .filter(([name, text]) => {
      try {
        return readFileSync(join(manifestDir, name), 'utf8') !== text;
      } catch {
        return true;
      }
    })
    .map(([name]) => name);
}
