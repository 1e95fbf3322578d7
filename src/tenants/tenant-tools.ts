import { TENANT_INPUT_SCHEMA } from '../catalog/control-inputs.js';
import type { ServedTool } from '../tools/served-tool.js';
import { jsonResult } from '../tools/to-tool-result.js';
import type { AuditSink, Environment } from '../tools/types.js';
import { type TenantRegistry, TenantNotAllowed } from './registry.js';

/** The refusal for a TSG a call may not use: nothing is sent. */
export function tsgRefusal(environment: Environment, tool: string, err: TenantNotAllowed | Error) {
  return jsonResult(
    {
      environment,
      operation: tool,
      status: 'forbidden',
      executed: false,
      error: { code: 'TSG_NOT_ALLOWED', message: err.message },
      hint: err instanceof TenantNotAllowed ? err.hint : 'Use a TSG this client may use.',
    },
    true,
  );
}

/**
 * Generated tools take tsg_id (an id or alias): resolved to an id and checked against the tenants before the
 * pipeline runs, so a call for a TSG outside them is refused with nothing sent.
 */
export function tenantTools(
  tools: ServedTool[],
  registry: TenantRegistry,
  environment: Environment,
  audit?: AuditSink,
): ServedTool[] {
  return tools.map((tool) => {
    if (!tool.operation) return tool;
    const schema = tool.definition.inputSchema;
    const definition = registry.multi
      ? {
          ...tool.definition,
          inputSchema: { ...schema, properties: { ...schema.properties, tsg_id: TENANT_INPUT_SCHEMA } },
        }
      : tool.definition;
    return {
      ...tool,
      definition,
      run: async (args, meta) => {
        const given = args && typeof args === 'object' ? (args as Record<string, unknown>).tsg_id : undefined;
        if (typeof given !== 'string' || !given) return tool.run(args, meta);
        const tsgId = registry.idFor(given);
        try {
          await registry.check(tsgId);
        } catch (err) {
          if (!(err instanceof TenantNotAllowed)) throw err;
          await audit?.write({
            phase: 'outcome',
            tool: tool.definition.name,
            key: tool.operation?.key ?? tool.definition.name,
            args: args as Record<string, unknown>,
            clientName: meta.clientName,
            tsgId,
            outcome: 'refused',
            error: 'TSG not allowed',
          });
          return tsgRefusal(environment, tool.definition.name, err);
        }
        return tool.run({ ...(args as Record<string, unknown>), tsg_id: tsgId }, meta);
      },
    };
  });
}
