import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { toClientJsonSchema } from '../catalog/json-schema.js';
import type { TenantRegistry } from '../tenants/registry.js';
import { TENANTS_TOOLSET } from '../tenants/tenant-list-tool.js';
import { isToolResult, parseArguments } from '../tools/composite-tool.js';
import type { ServedTool } from '../tools/served-tool.js';
import { jsonResult } from '../tools/to-tool-result.js';
import type { Environment } from '../tools/types.js';
import { checkTenant } from './connection-check.js';

const STEP = {
  type: 'object',
  properties: {
    step: { type: 'string' },
    ok: { type: 'boolean' },
    ms: { type: 'number' },
    detail: { type: 'string' },
    error: {
      type: 'object',
      properties: { cause: { type: 'string' }, message: { type: 'string' }, fix: { type: 'string' } },
    },
  },
  required: ['step', 'ok', 'ms'],
};

const SCHEMA = z.object({ tsg_id: z.string().optional().describe('TSG id or alias') }).strict();

/** connection_test: the doctor's checks as a tool, so an agent can tell a broken connection from a broken call. */
export function connectionTestTool(registry: TenantRegistry, environment: Environment): ServedTool {
  return {
    definition: {
      name: 'connection_test',
      title: 'Test the connection to SCM',
      description:
        'Checks each tenant: token fetch (timed), a folder read from the Setup API, an address list in Shared. Each failure comes with its cause (wrong secret, no role, TSG outside the hierarchy, DNS, TLS, proxy) and the fix. tsg_id: check that tenant only.',
      inputSchema: toClientJsonSchema(SCHEMA) as Tool['inputSchema'],
      outputSchema: {
        type: 'object',
        properties: {
          environment: { type: 'string' },
          ok: { type: 'boolean' },
          tenants: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                tsg_id: { type: 'string' },
                alias: { type: 'string' },
                ok: { type: 'boolean' },
                steps: { type: 'array', items: STEP },
                clock_skew_s: { type: 'number' },
                warnings: { type: 'array', items: { type: 'string' } },
              },
              required: ['tsg_id', 'ok', 'steps'],
            },
          },
        },
        required: ['environment', 'ok', 'tenants'],
      },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    safety: 'read',
    toolset: TENANTS_TOOLSET,
    async run(rawArgs) {
      const args = parseArguments('connection_test', SCHEMA, environment, rawArgs);
      if (isToolResult(args)) return args;
      const given = args.tsg_id;
      const targets = given
        ? [{ tsgId: registry.idFor(given), alias: undefined as string | undefined }]
        : registry.entries.map((e) => ({ tsgId: e.tsgId, alias: e.alias }));
      const tenants = [];
      for (const t of targets) {
        const entry = await registry.entryFor(t.tsgId);
        if (!entry) {
          return jsonResult(
            {
              environment,
              error: {
                code: 'TSG_NOT_ALLOWED',
                message: `TSG ${t.tsgId} is not one of this server's tenants. Nothing was sent.`,
              },
            },
            true,
          );
        }
        tenants.push(
          await checkTenant(registry.clientFor(entry), t.tsgId, t.alias ? { alias: t.alias } : {}),
        );
      }
      const ok = tenants.every((t) => t.ok);
      return jsonResult({ environment, ok, tenants }, !ok);
    },
  };
}
