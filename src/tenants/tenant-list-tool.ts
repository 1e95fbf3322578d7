import { ScmError } from '../scm/errors.js';
import type { ServedTool } from '../tools/served-tool.js';
import { jsonResult } from '../tools/to-tool-result.js';
import type { Environment } from '../tools/types.js';
import type { TenantRegistry, TsgInfo } from './registry.js';

export const TENANTS_TOOLSET = 'tenants';

const READ_HINTS = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };

/** tenant_list: the configured tenants and, where a token may see it, the TSG tree from the tenancy API. */
export function tenantListTool(registry: TenantRegistry, environment: Environment): ServedTool {
  return {
    definition: {
      name: 'tenant_list',
      title: 'List tenants (TSGs)',
      description:
        'The tenants (TSGs) this server may act on, with aliases, and the TSG tree below each that allows descendants. Pass a tsg_id (or alias) from here to any tool to act on that tenant.',
      inputSchema: { type: 'object', properties: {} },
      outputSchema: {
        type: 'object',
        properties: {
          environment: { type: 'string' },
          default_tsg: { type: 'string' },
          tenants: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                tsg_id: { type: 'string' },
                alias: { type: 'string' },
                descendants: { type: 'boolean' },
                own_service_account: { type: 'boolean' },
                tree: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      id: { type: 'string' },
                      display_name: { type: 'string' },
                      parent_id: { type: 'string' },
                    },
                  },
                },
                tree_error: { type: 'string' },
              },
              required: ['tsg_id'],
            },
          },
        },
        required: ['environment', 'default_tsg', 'tenants'],
      },
      annotations: READ_HINTS,
    },
    safety: 'read',
    toolset: TENANTS_TOOLSET,
    async run() {
      const tenants = await Promise.all(
        registry.entries.map(async (e) => {
          let tree: TsgInfo[] | undefined;
          let treeError: string | undefined;
          if (e.descendants) {
            try {
              tree = (await registry.tree(e.tsgId)).map((t) => ({
                id: String(t.id),
                ...(t.display_name ? { display_name: t.display_name } : {}),
                ...(t.parent_id ? { parent_id: String(t.parent_id) } : {}),
              }));
            } catch (err) {
              treeError = err instanceof ScmError ? `${err.message} ${err.hint}` : String(err);
            }
          }
          return {
            tsg_id: e.tsgId,
            ...(e.alias ? { alias: e.alias } : {}),
            descendants: e.descendants,
            own_service_account: e.credentials !== undefined,
            ...(tree ? { tree } : {}),
            ...(treeError ? { tree_error: treeError } : {}),
          };
        }),
      );
      return jsonResult({ environment, default_tsg: registry.defaultTsgId, tenants });
    },
  };
}
