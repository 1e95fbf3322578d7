import { API_NAMES, ConfigError } from '../config.js';

/** One API generation the server can serve: where its specs, overlay and build outputs are. */
export interface ApiSet {
  name: string;
  /** The set in specs/sources.json (also the folder below specs/upstream/ its `dir` names). */
  sources: string;
  overlay: string;
  resourceRule: 'first-segment' | 'all-segments';
  /** Build output in dist/. */
  catalog: string;
  /** Committed manifest files in tools-manifest/. */
  manifest: string;
  markdown: string;
  /** One snapshot per tool (its whole schema), below tools-manifest/. */
  snapshots: string;
  /** What the catalogue covers, for TOOLS.md. */
  title: string;
  /** Listed input schemas above this many characters show nested objects as "abbreviated" (tool_describe has them whole). */
  listedSchemaMaxChars?: number;
}

export const API_SETS: Record<(typeof API_NAMES)[number], ApiSet> = {
  'prisma-access': {
    name: 'prisma-access',
    sources: 'prisma-access',
    overlay: 'overlay.yaml',
    resourceRule: 'first-segment',
    catalog: 'catalog.json',
    manifest: 'tools.json',
    markdown: 'TOOLS.md',
    snapshots: 'toolsnaps',
    title: 'the Prisma Access configuration API',
  },
  scm: {
    name: 'scm',
    sources: 'scm',
    overlay: 'overlay-scm.yaml',
    resourceRule: 'all-segments',
    catalog: 'catalog-scm.json',
    manifest: 'tools-scm.json',
    markdown: 'TOOLS-scm.md',
    snapshots: 'toolsnaps-scm',
    title: 'the unified Strata Cloud Manager configuration API',
    // Twice the tools of Prisma Access: listed schemas are kept shorter so `--toolsets all` stays near 120k tokens.
    listedSchemaMaxChars: 600,
  },
};

export const DEFAULT_API = 'prisma-access';

/** The set named by `--api`; an unknown name is a ConfigError naming the valid ones. */
export function apiSet(name: string = DEFAULT_API): ApiSet {
  const set = (API_SETS as Record<string, ApiSet | undefined>)[name];
  if (!set) throw new ConfigError(`unknown --api "${name}"; valid: ${Object.keys(API_SETS).join(', ')}`);
  return set;
}
