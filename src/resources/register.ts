import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { ScmError } from '../scm/errors.js';
import type { ScmClient } from '../scm/http-client.js';
import type { IrOperation } from '../openapi/ir.js';
import type { Environment } from '../tools/types.js';
import { describeFolder, findFolder } from './folder-detail.js';
import type { FolderDirectory } from './folder-directory.js';
import { JobReader } from '../scm/jobs.js';

export interface ResourceDeps {
  directory: FolderDirectory;
  client: Pick<ScmClient, 'request'>;
  operations: IrOperation[];
  environment: Environment;
}

const MIME = 'application/json';
export const FOLDERS_URI = 'scm://folders';
export const folderUri = (name: string) => `${FOLDERS_URI}/${encodeURIComponent(name)}`;
export const jobUri = (id: string) => `scm://jobs/${encodeURIComponent(id)}`;

function decode(value: string | string[] | undefined): string {
  const raw = Array.isArray(value) ? value.join(',') : (value ?? '');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const json = (uri: URL, body: Record<string, unknown>): ReadResourceResult => ({
  contents: [{ uri: uri.href, mimeType: MIME, text: JSON.stringify(body) }],
});

/** SCM failures as protocol errors that say what happened (resources have no isError results). */
async function scm<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ScmError)
      throw new McpError(ErrorCode.InternalError, `${what}: ${err.message}. ${err.hint}`);
    throw err;
  }
}

/** Matching names first by prefix, then by substring, case-insensitive. */
export function completeNames(names: string[], value: string): string[] {
  const v = value.toLowerCase();
  const prefix = names.filter((n) => n.toLowerCase().startsWith(v));
  const inside = names.filter((n) => !prefix.includes(n) && n.toLowerCase().includes(v));
  return [...prefix, ...inside].slice(0, 100);
}

/** Folders (scm://folders, scm://folders/{folder}, with completion) and jobs (scm://jobs/{id}). */
export function registerResources(mcp: McpServer, deps: ResourceDeps): void {
  const { directory, client, environment } = deps;
  const jobs = JobReader.fromOperations(client, deps.operations);

  mcp.registerResource(
    'folders',
    FOLDERS_URI,
    {
      title: 'Folders and snippets',
      description:
        'The tenant\'s folders and snippets, live from the Setup API (cached briefly). "source": "fallback" means that API was refused and only the six system folders are listed.',
      mimeType: MIME,
    },
    async (uri) => json(uri, { environment, ...(await scm('reading the folders', () => directory.list())) }),
  );

  mcp.registerResource(
    'folder',
    new ResourceTemplate(`${FOLDERS_URI}/{folder}`, {
      list: async () => {
        const listing = await scm('reading the folders', () => directory.list());
        return {
          resources: [...listing.folders, ...listing.snippets].map((f) => ({
            uri: folderUri(f.name),
            name: f.name,
            title: `${f.type === 'snippet' ? 'Snippet' : 'Folder'} ${f.name}`,
            mimeType: MIME,
            ...(f.description ? { description: f.description } : {}),
          })),
        };
      },
      complete: {
        folder: async (value) => completeNames(await directory.names().catch(() => []), decode(value)),
      },
    }),
    {
      title: 'One folder or snippet',
      description:
        'A folder or snippet: its parent and ancestors, child folders, snippets, and how many objects of the main resource types it holds (own) and shows (own plus inherited).',
      mimeType: MIME,
    },
    async (uri, variables) => {
      const name = decode(variables.folder);
      const found = await scm('reading the folders', () => findFolder(directory, name));
      if ('error' in found)
        throw new McpError(ErrorCode.InvalidParams, `${found.error}; known: ${found.known.join(', ')}`);
      const detail = await describeFolder(name, found.info, found.listing, client, deps.operations);
      return json(uri, { environment, ...detail });
    },
  );

  mcp.registerResource(
    'job',
    new ResourceTemplate('scm://jobs/{id}', { list: undefined }),
    {
      title: 'One job with its child jobs',
      description:
        'A configuration job (a push, a validation) with its child jobs. A push is done when the job and every child job are FIN with result OK.',
      mimeType: MIME,
    },
    async (uri, variables) => {
      const id = decode(variables.id);
      if (!/^\d+$/.test(id))
        throw new McpError(ErrorCode.InvalidParams, `job ids are numbers; got ${JSON.stringify(id)}`);
      const job = await scm(`reading job ${id}`, () => jobs.withChildren(id));
      return json(uri, { environment, ...job });
    },
  );
}
