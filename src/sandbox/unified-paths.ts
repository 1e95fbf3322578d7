import type { IrOperation } from '../openapi/ir.js';

/**
 * The two path families the sandbox serves over one store: `/sse/config/v1/...` (Prisma Access) and the unified
 * SCM API's `/config/<area>/v1/...` (objects, security, network, identity, deployment, mobile-agent, setup,
 * operations, setup/device-onboarding) plus `/adns-resolver/v1/...`.
 */
const API_PREFIX = /^\/(?:sse\/config\/v\d+|config\/(?:[a-z-]+\/)+v\d+|adns-resolver\/v\d+)\//;

export const isConfigApiPath = (path: string): boolean => API_PREFIX.test(path);

/** The path below its family's prefix: `/config/objects/v1/addresses/{id}` -> `addresses/{id}`. */
export const belowPrefix = (path: string): string => path.replace(API_PREFIX, '');

/**
 * Operations of several catalogues as one list: the first catalogue's first, then every operation of the others
 * at a method and path not served yet. Resources of the same name share their objects in the store.
 */
export function unionOfOperations(...catalogues: IrOperation[][]): IrOperation[] {
  const seen = new Set<string>();
  const out: IrOperation[] = [];
  for (const ops of catalogues) {
    for (const op of ops) {
      const id = `${op.method} ${op.path}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(op);
    }
  }
  return out;
}
