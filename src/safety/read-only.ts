import type { ServedTool } from '../tools/served-tool.js';
import { jsonResult } from '../tools/to-tool-result.js';
import type { AuditSink, Environment } from '../tools/types.js';

/**
 * Read-only mode: read tools as they are; every other tool hidden from tools/list and, if called anyway (by a
 * stale list or through a discovery tool), refused with nothing sent.
 */
export function readOnlyTools(
  tools: ServedTool[],
  environment: Environment,
  audit?: AuditSink,
): ServedTool[] {
  return tools.map((tool) => {
    if (tool.safety === 'read') return tool;
    const name = tool.definition.name;
    return {
      ...tool,
      hidden: true,
      run: async (args, meta) => {
        await audit?.write({
          phase: 'outcome',
          tool: name,
          key: tool.operation?.key ?? name,
          args: args && typeof args === 'object' ? (args as Record<string, unknown>) : {},
          clientName: meta.clientName,
          outcome: 'refused',
          error: 'read-only mode',
        });
        return jsonResult(
          {
            environment,
            operation: tool.operation?.key ?? name,
            status: 'read_only',
            executed: false,
            error: {
              code: 'READ_ONLY',
              message: `This server runs in read-only mode (--read-only): ${name} is a ${tool.safety} tool and was refused. Nothing was sent.`,
            },
            hint: 'Only read tools are available. Ask the operator to restart the server without --read-only to make changes.',
          },
          true,
        );
      },
    };
  });
}
