import type { ServedTool } from '../tools/served-tool.js';
import { jsonResult } from '../tools/to-tool-result.js';
import type { Environment } from '../tools/types.js';
import type { ApprovalInbox } from './inbox.js';

export const APPROVAL_STATUS = 'approval_status';

/** Reads an approval inbox request: whether a person approved, declined, or has not decided yet. */
export function approvalStatusTool(inbox: ApprovalInbox, environment: Environment): ServedTool {
  return {
    definition: {
      name: APPROVAL_STATUS,
      title: 'Approval status',
      description:
        'Read an approval request from the approval inbox by its id (approval_id of a pending result): pending, approved, declined, expired or used. Once approved, call the gated tool again with the same arguments, confirm: true and approval_token set to this id.',
      inputSchema: {
        type: 'object',
        properties: {
          id: { type: 'string', description: 'The approval_id a pending result gave (inb_...).' },
        },
        required: ['id'],
      },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    safety: 'read',
    toolset: 'config',
    async run(rawArgs) {
      const args = (rawArgs ?? {}) as Record<string, unknown>;
      const extra = Object.keys(args).filter((k) => k !== 'id');
      if (typeof args.id !== 'string' || !args.id || extra.length)
        return jsonResult(
          {
            environment,
            operation: APPROVAL_STATUS,
            error: {
              code: 'INVALID_ARGUMENTS',
              message: 'id: expected the approval_id string of a pending result',
              fields: [
                ...(typeof args.id !== 'string' || !args.id
                  ? [{ field: 'id', message: 'expected a non-empty string' }]
                  : []),
                ...extra.map((field) => ({ field, message: 'unknown field' })),
              ],
            },
          },
          true,
        );
      const r = await inbox.get(args.id);
      if (!r)
        return jsonResult(
          {
            environment,
            operation: APPROVAL_STATUS,
            error: { code: 'NOT_FOUND', message: `no approval request ${args.id.slice(0, 40)}` },
          },
          true,
        );
      return jsonResult({
        environment,
        operation: APPROVAL_STATUS,
        id: r.id,
        state: r.state,
        tool: r.tool,
        would: r.action,
        ...(r.decidedBy
          ? { decided_by: r.decidedBy, decided_at: new Date(r.decidedAt ?? 0).toISOString() }
          : {}),
        expires_at: new Date(r.expiresAt).toISOString(),
        inbox_url: inbox.urlFor(r.id),
        ...(r.note ? { note: r.note } : {}),
        next:
          r.state === 'approved'
            ? `Call ${r.tool} again with the same arguments, confirm: true and approval_token: "${r.id}".`
            : r.state === 'pending'
              ? 'A person has not decided yet: check again later; do not call the tool again until approved.'
              : 'This approval cannot be used: ask for a new one by calling the tool again with confirm: true.',
      });
    },
  };
}
