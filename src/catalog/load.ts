import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuiltCatalog } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));

/** dist/catalog.json, whether this module runs from dist/ (built) or src/ (tsx, vitest). */
export const catalogPath = resolve(here, '..', '..', 'dist', 'catalog.json');

let cached: BuiltCatalog | undefined;

export function loadCatalog(path?: string): BuiltCatalog {
  if (!path && cached) return cached;
  const file = path ?? catalogPath;
  if (!existsSync(file)) {
    throw new Error(`tool catalogue not found at ${file}: run \`npm run build\` (npm install does it)`);
  }
  const catalog = JSON.parse(readFileSync(file, 'utf8')) as BuiltCatalog;
  if (!path) cached = catalog;
  return catalog;
}
