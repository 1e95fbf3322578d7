import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { BuiltCatalog, ToolDefinition } from './catalog/types.js';
import { serverInstructions } from './instructions.js';
import type { IrOperation } from './spec/ir.js';
import { callOperation, type PipelineDeps } from './tools/call-operation.js';
import type { CallMeta } from './tools/types.js';

export const SERVER_NAME = 'prisma-access-mcp';

export interface ServerOptions {
  catalog: BuiltCatalog;
  deps: PipelineDeps;
  version: string;
  /** Which tools to serve; all of the catalogue when absent. */
  select?: (tool: ToolDefinition) => boolean;
}

export function toListedTool(t: ToolDefinition): Tool {
  return {
    name: t.name,
    title: t.title,
    description: t.description,
    inputSchema: t.inputSchema as Tool['inputSchema'],
    annotations: t.annotations,
  };
}

/** Wires the catalogue and the call pipeline into one MCP server (transport-agnostic). */
export function createServer(opts: ServerOptions): McpServer {
  const { catalog, deps } = opts;
  const mcp = new McpServer(
    { name: SERVER_NAME, version: opts.version },
    { capabilities: { tools: { listChanged: false } }, instructions: serverInstructions(deps.environment) },
  );
  const tools = opts.select ? catalog.tools.filter(opts.select) : catalog.tools;
  const listed = tools.map(toListedTool);
  const served = new Set(tools.map((t) => t.name));
  const ops = new Map<string, IrOperation>(catalog.operations.map((op) => [op.tool, op]));

  // Generated JSON Schemas go through the low-level handlers: McpServer.registerTool takes only zod.
  mcp.server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listed }));
  mcp.server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const name = request.params.name;
    const op = served.has(name) ? ops.get(name) : undefined;
    if (!op) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    const meta: CallMeta = {
      clientName: mcp.server.getClientVersion()?.name,
      signal: extra.signal,
    };
    return callOperation(op, request.params.arguments, deps, meta);
  });
  return mcp;
}
