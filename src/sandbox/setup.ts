import type { Core, Reply } from './context.js';
import { ApiError, methodNotSupported, notPresent } from './errors.js';
import type { FolderRecord } from './folders.js';
import { page } from './query.js';
import { handleSetupWrite } from './setup-writes.js';

export const SETUP_PREFIX = '/config/setup/v1/';

/**
 * Rows as the Setup API's schema has them: a folder always has `parent` (`''` for Shared); a snippet has no
 * parent and a `type` of its own (`custom` for a tenant's snippets; `predefined` and `readonly` exist too).
 */
const view = (f: FolderRecord) =>
  f.type === 'folder'
    ? {
        id: f.id,
        name: f.name,
        parent: f.parent,
        ...(f.description ? { description: f.description } : {}),
        ...(f.labels ? { labels: f.labels } : {}),
        ...(f.snippets ? { snippets: f.snippets } : {}),
      }
    : {
        id: f.id,
        name: f.name,
        ...(f.description ? { description: f.description } : {}),
        ...(f.labels ? { labels: f.labels } : {}),
        type: 'custom',
      };

/** Folders and snippets are read here; every other Setup API resource is served from the IR like any other. */
export const isSetupRead = (path: string): boolean =>
  /^\/config\/setup\/v1\/(?:folders|snippets)(?:\/|$)/.test(path);

/** The setup API's folders (and snippets): read-only here, enough for folder discovery. */
export function handleSetup(
  core: Core,
  method: string,
  path: string,
  query: URLSearchParams,
  forbidden: boolean,
  body?: unknown,
): Reply {
  const [collection, id, ...rest] = path.slice(SETUP_PREFIX.length).split('/');
  if ((collection !== 'folders' && collection !== 'snippets') || rest.length)
    throw notPresent(`no setup resource ${path}`);
  if (!['GET', 'POST', 'PUT', 'DELETE'].includes(method)) throw methodNotSupported();
  // A service account without the setup role: the caller must fall back to the known folders.
  if (forbidden)
    throw new ApiError(403, 'E007', 'Unauthorized', {
      errorType: 'Unauthorized',
      message: ['the service account has no role on the setup API'],
    });
  if (method !== 'GET')
    return handleSetupWrite(
      core,
      method,
      collection,
      id === undefined ? undefined : decodeURIComponent(id),
      body,
    );
  const rows = core.state.data.folders.filter(
    (f) => f.type === (collection === 'folders' ? 'folder' : 'snippet'),
  );
  if (id !== undefined) {
    const found = rows.find((f) => f.id === decodeURIComponent(id));
    if (!found) throw notPresent(`no ${collection.slice(0, -1)} with id ${id}`);
    return { status: 200, body: view(found) };
  }
  const name = query.get('name');
  const matching = name === null ? rows : rows.filter((f) => f.name === name);
  return { status: 200, body: page(matching.map(view), query) };
}
