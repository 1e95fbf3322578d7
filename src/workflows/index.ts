import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { IrOperation } from '../openapi/ir.js';
import type { PolicyService } from '../policy/service.js';
import type { FolderDirectory } from '../resources/index.js';
import type { JobReader } from '../scm/jobs.js';
import type { PipelineDeps } from '../tools/call-operation.js';
import type { ServedTool } from '../tools/served-tool.js';
import { registerPrompts } from '../prompts/register.js';
import { checkFolders } from './config-check.js';
import { KeyedLock } from './lock.js';
import { OpRunner } from './pipeline.js';
import { ServicePolicyOracle } from './policy-oracle.js';
import { withRuleNames } from './rule-names.js';
import { workflowTools } from './tools.js';

export interface Workflows {
  tools: ServedTool[];
  /** config_check for the push preview (src/safety/describe-change.ts PushCheckHook). */
  pushCheck(folders: string[], signal?: AbortSignal): ReturnType<typeof checkFolders>;
  /** Rule moves that also take rule names (wraps the generated `*Rule.move` tools). */
  withRuleNames(tool: ServedTool): ServedTool;
  /** Prompts (and their folder completion) on the McpServer. */
  register(mcp: McpServer): void;
}

/** The workflow tools and prompts, built on the one pipeline. */
export function createWorkflows(opts: {
  operations: IrOperation[];
  deps: PipelineDeps;
  directory: FolderDirectory;
  jobs: JobReader;
  tsgId: string;
  /** Policy answers (still-allowed checks, where-used) from the policy layer's snapshots. */
  policy: Pick<PolicyService, 'index'>;
  pendingChanges?: () => { name?: string; folder?: string; resource: string; action: string }[];
}): Workflows {
  const run = new OpRunner(opts.operations, opts.deps);
  const tools = workflowTools({
    run,
    deps: opts.deps,
    environment: opts.deps.environment,
    tsgId: opts.tsgId,
    folders: { names: () => opts.directory.names() },
    jobs: opts.jobs,
    lock: new KeyedLock(),
    oracle: new ServicePolicyOracle(opts.policy),
    ...(opts.pendingChanges ? { pendingChanges: opts.pendingChanges } : {}),
  });
  return {
    tools,
    withRuleNames: (tool) =>
      tool.operation && /Rule\.move$/.test(tool.operation.key) ? withRuleNames(tool, run) : tool,
    pushCheck: (folders, signal) => checkFolders(run, folders, signal ? { signal } : {}),
    register: (mcp) => registerPrompts(mcp, { folderNames: () => opts.directory.names() }),
  };
}
