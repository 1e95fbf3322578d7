import type { ServedTool } from '../tools/served-tool.js';
import { jsonResult } from '../tools/to-tool-result.js';
import type { AuditSink, Environment } from '../tools/types.js';
import type { ClientAccess } from './clients-file.js';
import { tsgRefusal } from '../tenants/tenant-tools.js';
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
  /** The TSG id a call's tsg_id (id, alias or absent) means: for clients limited to some TSGs. */
  tsgOf: (given: string | undefined) => string = (g) => g ?? '',
): ServedTool[] {
  const tsgAllowed = (args: unknown) => {
    if (!access.tsgs) return undefined;
    const given = args && typeof args === 'object' ? (args as Record<string, unknown>).tsg_id : undefined;
    const tsg = tsgOf(typeof given === 'string' && given ? given : undefined);
    return access.tsgs.includes(tsg) ? undefined : tsg;
  };
  return tools.map((tool) => {
    const needed = scopeFor(tool.safety);
    if (access.scopes.includes(needed))
      return {
        ...tool,
        run: async (args, meta) => {
          const denied = tsgAllowed(args);
          if (denied !== undefined)
            return tsgRefusal(
              environment,
              tool.definition.name,
              new Error(
                `Client ${access.name} may not act on TSG ${denied} (allowed: ${access.tsgs!.join(', ')}). Nothing was sent.`,
              ),
            );
          return tool.run(args, { ...meta, clientName: access.name });
        },
      };
    const name = tool.definition.name;
    return {
      ...tool,
      hidden: true,
      run: async (args) => {
        await audit?.write({
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
