import type { Call, Core } from './context.js';
import { badRequest, invalidObject, invalidQuery, missingQuery } from './errors.js';

/** Where an object lives: a folder or a snippet; neither for tenant-wide resources. */
export interface Container {
  folder?: string;
  snippet?: string;
}

export const containerName = (c: Container) => c.folder ?? c.snippet ?? '';
export const SCOPE_FIELDS = ['folder', 'snippet', 'device'];

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Prisma Access keeps these in their own system folder; they cannot be created elsewhere. */
export function homeFolder(collection: string): string | undefined {
  if (collection.startsWith('remote-networks')) return 'Remote Networks';
  if (collection.startsWith('service-connection')) return 'Service Connections';
  if (collection.startsWith('mobile-agent/')) return 'Mobile Users';
  return undefined;
}

/**
 * The container of a request: `folder`, `snippet` or `device` in the query, or (on writes, as some
 * SDKs send it) in the body. Any existing folder name is accepted, case-sensitive.
 */
export function containerFor(
  core: Core,
  call: Call,
  opts: { fromBody?: boolean; required?: boolean } = {},
): Container {
  if (!call.route.meta.scoped) return {};
  const body =
    opts.fromBody && call.body && typeof call.body === 'object' ? (call.body as Record<string, unknown>) : {};
  const pick = (name: string) => {
    const q = call.query.get(name);
    const b = str(body[name]);
    if (q !== null && b !== undefined && q !== b)
      throw invalidObject([{ field: name, message: `is "${b}" in the body but "${q}" in the query` }]);
    return q ?? b;
  };
  const folder = pick('folder');
  const snippet = pick('snippet');
  const device = pick('device');
  const given = [folder, snippet, device].filter((x) => x !== undefined);
  if (given.length === 0) {
    if (opts.required === false) return {};
    throw missingQuery('folder');
  }
  if (given.length > 1)
    throw badRequest('Invalid Query Parameter', ['give exactly one of folder, snippet, device']);
  if (device !== undefined) throw invalidQuery('device', device, `device "${device}" is not in this tenant`);
  const name = folder ?? snippet ?? '';
  const kind = folder !== undefined ? 'folder' : 'snippet';
  if (name === '') throw invalidQuery(kind, '', `"${kind}" is not allowed to be empty`);
  const record = core.state.folder(name);
  if (!record || record.type !== kind) throw invalidQuery(kind, name, `${kind} "${name}" does not exist`);
  return kind === 'folder' ? { folder: name } : { snippet: name };
}
