import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ToolDefinition } from '../catalog/types.js';
import type { IrOperation } from '../openapi/ir.js';
import { callOperation, type PipelineDeps } from './call-operation.js';
import type { CallMeta } from './types.js';

/** A tool as the server serves it: what tools/list shows, and how a call runs. */
export interface ServedTool {
  definition: Tool;
  /** The IR operation behind a generated tool; absent for composite tools (discovery, folders, ...). */
  operation?: IrOperation;
  /** read | write | destructive | deploy: read-only mode and toolsets filter on it. */
  safety: ToolDefinition['safety'];
  toolset: string;
  /** Callable but not in tools/list (read-only mode keeps other tools only to refuse them clearly). */
  hidden?: boolean;
  run(args: unknown, meta: CallMeta): Promise<CallToolResult>;
}

export function toListedTool(t: ToolDefinition): Tool {
  // The title is said once, at the top level (MCP 2025-06-18); annotations carry the four hints only.
  const { title: _title, ...hints } = t.annotations;
  return {
    name: t.name,
    title: t.title,
    description: t.description,
    inputSchema: t.inputSchema as Tool['inputSchema'],
    annotations: hints,
  };
}

/** A generated tool: its definition from the catalogue, its calls through the one pipeline. */
export function generatedTool(def: ToolDefinition, op: IrOperation, deps: PipelineDeps): ServedTool {
  return {
    definition: toListedTool(def),
    operation: op,
    safety: def.safety,
    toolset: def.toolset,
    run: (args, meta) => callOperation(op, args, deps, meta),
  };
}
