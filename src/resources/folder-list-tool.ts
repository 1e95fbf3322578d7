import { z } from 'zod';
import { ScmError } from '../scm/errors.js';
import { compositeDefinition, isToolResult, parseArguments } from '../tools/composite-tool.js';
import type { ServedTool } from '../tools/served-tool.js';
import { jsonResult } from '../tools/to-tool-result.js';
import { describeFolder, findFolder } from './folder-detail.js';
import type { ResourceDeps } from './register.js';

const NAME = 'folder_list';

const schema = z
  .object({
    folder: z
      .string()
      .min(1)
      .optional()
      .describe('A folder or snippet name (case-sensitive): return its details.'),
    refresh: z.boolean().optional().describe('Read the list again instead of the copy cached for a minute.'),
  })
  .strict();

/** The scm://folders resources as a tool, for clients that show no resources. */
export function folderListTool(deps: ResourceDeps): ServedTool {
  const { environment } = deps;
  return {
    definition: compositeDefinition(
      NAME,
      'List folders',
      'List the tenant\'s folders and snippets (the names every folder argument takes), live from the Setup API. With folder: that one folder\'s parent, snippets, child folders and object counts. "source": "fallback" means the folders API was refused and only the six system folders are listed.',
      schema,
      // The title is said once, at the top level, as for generated tools.
      { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    ),
    safety: 'read',
    toolset: 'folders',
    async run(rawArgs) {
      const args = parseArguments(NAME, schema, environment, rawArgs);
      if (isToolResult(args)) return args;
      const head = { environment, operation: NAME };
      try {
        const listing = await deps.directory.list({ refresh: args.refresh === true });
        if (args.folder === undefined) return jsonResult({ ...head, ...listing });
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
