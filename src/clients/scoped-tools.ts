import type { ServedTool } from '../tools/served-tool.js';
import { jsonResult } from '../tools/to-tool-result.js';
import type { AuditSink, Environment } from '../tools/types.js';
import type { ClientAccess } from './clients-file.js';
import { scopeFor } from './scopes.js';

/**
 * One client's view: tools its scopes allow as they are (calls carry the client's name for the audit log);
 * others hidden from tools/list and, if called anyway, refused naming the missing scope with nothing sent.
 */
export function scopedTools(
  tools: ServedTool[],
  access: ClientAccess,
  environment: Environment,
  audit?: AuditSink,
): ServedTool[] {
  return tools.map((tool) => {
    const needed = scopeFor(tool.safety);
    if (access.scopes.includes(needed))
      return { ...tool, run: (args, meta) => tool.run(args, { ...meta, clientName: access.name }) };
    const name = tool.definition.name;
    return {
      ...tool,
      hidden: true,
      run: async (args) => {
        audit?.write({
          phase: 'outcome',
          tool: name,
          key: tool.operation?.key ?? name,
          args: args && typeof args === 'object' ? (args as Record<string, unknown>) : {},
          clientName: access.name,
          outcome: 'refused',
          error: `missing scope ${needed}`,
        });
        return jsonResult(
          {
            environment,
            operation: tool.operation?.key ?? name,
            status: 'forbidden',
            executed: false,
            error: {
              code: 'MISSING_SCOPE',
              message: `Client ${access.name} lacks the scope ${needed} that ${name} (a ${tool.safety} tool) needs. Nothing was sent.`,
            },
            hint: `Ask the operator to grant ${needed} to client ${access.name} (prisma-access-mcp clients add ${access.name} --scopes ...).`,
          },
          true,
        );
      },
    };
  });
}
