import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from '../log.js';
import type { ScmClient } from '../scm/http-client.js';
import type { IrOperation } from '../openapi/ir.js';
import type { ServedTool } from '../tools/served-tool.js';
import type { Environment } from '../tools/types.js';
import { FolderDirectory } from './folder-directory.js';
import { folderListTool } from './folder-list-tool.js';
import { registerResources } from './register.js';

export { FolderDirectory, type FolderInfo, type FolderListing, SYSTEM_FOLDERS } from './folder-directory.js';
export { FOLDERS_URI, folderUri, jobUri } from './register.js';

export interface Resources {
  directory: FolderDirectory;
  /** folder_list: the folders for clients that show no resources. */
  tools: ServedTool[];
  /** For createServer's extend hook. */
  register(mcp: McpServer): void;
}

/** Folders and jobs as MCP resources, plus the folder_list tool that mirrors them. */
export function createResources(opts: {
  client: Pick<ScmClient, 'request'>;
  operations: IrOperation[];
  environment: Environment;
  log?: Pick<Logger, 'info' | 'debug'>;
}): Resources {
  const folderOp = opts.operations.find((op) => op.role === 'folder-list');
  const directory = new FolderDirectory({
    client: opts.client,
    ...(folderOp ? { folderOp } : {}),
    ...(opts.log ? { log: opts.log } : {}),
  });
  const deps = { directory, client: opts.client, operations: opts.operations, environment: opts.environment };
  return { directory, tools: [folderListTool(deps)], register: (mcp) => registerResources(mcp, deps) };
}
