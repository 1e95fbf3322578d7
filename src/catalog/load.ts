import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import { joinCatalog, type Schemas, schemasFileOf, type StoredCatalog } from './stored.js';
import type { BuiltCatalog } from './types.js';

/** dist/catalog.json, whether this module runs from dist/ (built) or src/ (tsx, vitest). */
export const catalogPath = resolve(PACKAGE_ROOT, 'dist', 'catalog.json');

const cached = new Map<string, BuiltCatalog>();

/** The catalogue of one API set (`--api`): dist/catalog.json, or dist/catalog-<set>.json for the others. */
export const catalogPathFor = (api: string) =>
  api === 'prisma-access' ? catalogPath : resolve(PACKAGE_ROOT, 'dist', `catalog-${api}.json`);

export function loadCatalog(path?: string): BuiltCatalog {
  if (!path && cached.has(catalogPath)) return cached.get(catalogPath)!;
  const file = path ?? catalogPath;
  if (!existsSync(file)) {
    throw new Error(`tool catalogue not found at ${file}: run \`npm run build\` (npm install does it)`);
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredCatalog;
  const schemas = schemasFileOf(file);
  const catalog = joinCatalog(stored, () => JSON.parse(readFileSync(schemas, 'utf8')) as Schemas[]);
  if (!path) cached.set(catalogPath, catalog);
  return catalog;
}

/** The served catalogue of an API set, cached per set. */
export function loadCatalogFor(api: string): BuiltCatalog {
  const file = catalogPathFor(api);
  const hit = cached.get(file);
  if (hit) return hit;
  const catalog = loadCatalog(file);
  cached.set(file, catalog);
  return catalog;
}
