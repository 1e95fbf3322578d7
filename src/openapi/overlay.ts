import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { OperationRole, Safety } from './ir.js';
import { type LiveFields, readLiveFields } from './live-fields.js';

export interface Overlay {
  resources: Record<string, string>;
  operations: Record<string, string>;
  safety: Record<string, Safety>;
  /** Operations the server treats specially (push, jobs, discard, ...): by role, never by key or path. */
  roles: Record<string, OperationRole>;
  live: {
    folderInputs: string[];
    /** The other containers (`snippet`, `device`): any name, not the spec's pattern. */
    containerInputs?: string[];
    optionalParams: string[];
    bodyDefaults: Record<string, Record<string, unknown>>;
    /** Enums and formats the live API enforces where the spec is silent (src/openapi/live-fields.ts). */
    fields?: LiveFields;
  };
  toolsets: Record<string, string[]>;
}

/** The overlay of one API set (`overlay.yaml` for Prisma Access, `overlay-scm.yaml` for the unified API). */
export function readOverlay(specsDir: string, file = 'overlay.yaml'): Overlay {
  let raw: Partial<Overlay>;
  try {
    raw = (parse(readFileSync(join(specsDir, file), 'utf8')) ?? {}) as Partial<Overlay>;
  } catch (err) {
    throw new Error(`overlay ${file} cannot be read: ${(err as Error).message}`);
  }
  return {
    resources: raw.resources ?? {},
    operations: raw.operations ?? {},
    safety: raw.safety ?? {},
    roles: raw.roles ?? {},
    live: {
      folderInputs: raw.live?.folderInputs ?? [],
      ...(raw.live?.containerInputs ? { containerInputs: raw.live.containerInputs } : {}),
      optionalParams: raw.live?.optionalParams ?? [],
      bodyDefaults: raw.live?.bodyDefaults ?? {},
      fields: readLiveFields(raw.live?.fields),
    },
    toolsets: raw.toolsets ?? {},
  };
}
