import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { redactSecrets } from './secrets.js';
import { failMalformedAnswers } from './safety/malformed-answers.js';
import { Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { z } from 'zod';
import type { ServedTool } from './tools/served-tool.js';
import { redactResult } from './tools/json-content.js';
import { fitToBudget } from './tools/shape-result.js';
import type { CallMeta } from './tools/types.js';
import { toWireResult } from './tools/wire-result.js';

export const SERVER_NAME = 'prisma-access-mcp';

export interface ServerOptions {
  version: string;
  instructions: string;
  tools: ServedTool[];
  /** Registers resources, prompts and completions on the McpServer (they live there, tools do not). */
  extend?: (mcp: McpServer) => void;
  /** Largest tool result in tokens (characters / 4); default RESULT_BUDGET_TOKENS. */
  resultBudgetTokens?: number;
  /** For clients that read only text: no outputSchema listed, every result as JSON text (--text-results). */
  textResults?: boolean;
}

/** One MCP server over any transport: tools through the low-level handlers, the rest on McpServer. */
export function createServer(opts: ServerOptions): McpServer {
  const mcp = new McpServer(
    { name: SERVER_NAME, version: opts.version },
    { capabilities: { tools: { listChanged: false } }, instructions: opts.instructions },
  );
  const byName = new Map(opts.tools.map((t) => [t.definition.name, t]));
  const listed = opts.tools
    .filter((t) => !t.hidden)
    .map((t) => {
      if (!opts.textResults) return t.definition;
      const { outputSchema: _none, ...definition } = t.definition;
      return definition;
    });

  // Generated JSON Schemas need the low-level handlers: McpServer.registerTool takes only zod, and the two
  // must never be mixed on one server (one set of tools would be dropped).
  mcp.server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listed }));
  // The SDK's Server checks tools/call params itself and answers a non-object `arguments` (or one with a
  // `constructor: null` key) with a raw zod dump or a crash before any handler runs. Registered through
  // Protocol's own method, `arguments` reaches the pipeline as sent, which names the field (INVALID_ARGUMENTS).
  const callSchema = z.object({
    method: z.literal('tools/call'),
    params: z
      .object({
        name: z.string(),
        arguments: z.unknown(),
        _meta: z
          .object({ progressToken: z.union([z.string(), z.number()]).optional() })
          .passthrough()
          .optional(),
      })
      .passthrough(),
  });
  type Extra = Parameters<
    Parameters<typeof mcp.server.setRequestHandler<typeof CallToolRequestSchema>>[1]
  >[1];
  const handleCall = async (request: z.infer<typeof callSchema>, extra: Extra) => {
    const tool = byName.get(request.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    const progressToken = request.params._meta?.progressToken;
    const meta: CallMeta = {
      clientName: mcp.server.getClientVersion()?.name,
      signal: extra.signal,
      ...(mcp.server.getClientCapabilities()?.elicitation?.form
        ? {
            // A person answers this: the SDK's 60 s request timeout is too short, the gate gives its own.
            elicit: async (message, requestedSchema, o) =>
              mcp.server.elicitInput(
                { mode: 'form', message, requestedSchema: requestedSchema as never },
                { signal: extra.signal, ...(o?.timeoutMs ? { timeout: o.timeoutMs } : {}) },
              ),
          }
        : {}),
      ...(mcp.server.getClientCapabilities()?.elicitation?.url
        ? {
            elicitUrl: async (message, url, elicitationId) =>
              mcp.server.elicitInput({ mode: 'url', message, url, elicitationId }, { signal: extra.signal }),
          }
        : {}),
      ...(progressToken !== undefined
        ? {
            progress: async (progress, total, message) =>
              extra.sendNotification({
                method: 'notifications/progress',
                params: { progressToken, progress, ...(total !== undefined ? { total } : {}), message },
              }),
          }
        : {}),
    };
    let result: Awaited<ReturnType<ServedTool['run']>>;
    try {
      result = await tool.run(request.params.arguments, meta);
    } catch (err) {
      // A bug's message becomes a JSON-RPC error: it must not carry a secret either.
      if (err instanceof McpError) {
        throw new McpError(err.code, redactSecrets(err.message.replace(/^MCP error -?\d+: /, '')), err.data);
      }
      throw new Error(redactSecrets(err instanceof Error ? err.message : String(err)));
    }
    // Every result free of secrets and within the budget, whichever tool made it (cut at an item boundary),
    // then with its data once on the wire (structuredContent where the tool declares an outputSchema, else text).
    const fitted = fitToBudget(redactResult(result), opts.resultBudgetTokens);
    return toWireResult(fitted, tool.definition.name, !opts.textResults && !!tool.definition.outputSchema);
  };
  Protocol.prototype.setRequestHandler.call(mcp.server, callSchema as never, handleCall as never);
  opts.extend?.(mcp);
  // A malformed answer to an approval prompt fails it at once instead of after the prompt's timeout.
  const connect = mcp.connect.bind(mcp);
  mcp.connect = async (transport) => {
    await connect(transport);
    failMalformedAnswers(transport);
  };
  return mcp;
}
