import { ScmError } from '../scm/errors.js';
import type { ServedTool } from '../tools/served-tool.js';
import { jsonResult } from '../tools/to-tool-result.js';
import { describeFolder, findFolder } from './folder-detail.js';
import type { ResourceDeps } from './register.js';

const TITLE = 'List folders';

/** The scm://folders resources as a tool, for clients that show no resources. */
export function folderListTool(deps: ResourceDeps): ServedTool {
  const { environment } = deps;
  return {
    definition: {
      name: 'folder_list',
      title: TITLE,
      description:
        'List the tenant\'s folders and snippets (the names every folder argument takes), live from the Setup API. With folder: that one folder\'s parent, snippets, child folders and object counts. "source": "fallback" means the folders API was refused and only the six system folders are listed.',
      inputSchema: {
        type: 'object',
        properties: {
          folder: {
            type: 'string',
            description: 'A folder or snippet name (case-sensitive): return its details.',
          },
          refresh: {
            type: 'boolean',
            description: 'Read the list again instead of the copy cached for a minute.',
          },
        },
      },
      // The title is said once, at the top level, as for generated tools.
      annotations: {
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: true,
      },
    },
    safety: 'read',
    toolset: 'folders',
    async run(rawArgs) {
      const args = (rawArgs ?? {}) as Record<string, unknown>;
      const problems = [
        ...Object.keys(args)
          .filter((k) => k !== 'folder' && k !== 'refresh')
          .map((k) => ({ field: k, message: 'unknown field' })),
        ...(args.folder !== undefined && typeof args.folder !== 'string'
          ? [{ field: 'folder', message: 'expected string' }]
          : []),
        ...(args.refresh !== undefined && typeof args.refresh !== 'boolean'
          ? [{ field: 'refresh', message: 'expected boolean' }]
          : []),
      ];
      const head = { environment, operation: 'folder_list' };
      if (problems.length)
        return jsonResult(
          { ...head, error: { code: 'INVALID_ARGUMENTS', fields: problems }, hint: 'Fix the named fields.' },
          true,
        );
      try {
        const listing = await deps.directory.list({ refresh: args.refresh === true });
        if (typeof args.folder !== 'string') return jsonResult({ ...head, ...listing });
        const found = await findFolder(deps.directory, args.folder);
        if ('error' in found)
          return jsonResult(
            { ...head, error: { code: 'UNKNOWN_FOLDER', message: found.error }, known: found.known },
            true,
          );
        return jsonResult({
          ...head,
          ...(await describeFolder(args.folder, found.info, found.listing, deps.client, deps.operations)),
        });
      } catch (err) {
        if (!(err instanceof ScmError)) throw err;
        return jsonResult({ ...head, error: { code: err.code, message: err.message }, hint: err.hint }, true);
      }
    },
  };
}
