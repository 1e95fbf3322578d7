import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ApprovalInbox } from '../approvals/inbox.js';
import type { ApprovalRecord } from '../approvals/types.js';
import type { IrOperation } from '../openapi/ir.js';
import { type ScmRequestSpec, withoutControlArgs } from '../tools/build-request.js';
import { jsonResult } from '../tools/to-tool-result.js';
import type { CallMeta, Gate, GateDecision } from '../tools/types.js';
import { canonicalJson, type RedeemResult } from './approval-tokens.js';
import type { TokenBook } from './shared-approval-tokens.js';
import { type ChangeDescriber, type ChangeSummary, previewHead } from './describe-change.js';
import { approvalFingerprint } from './fingerprint.js';
import { safeText } from './safe-text.js';

/** How long a person has to answer the approval prompt. */
export const ELICITATION_TIMEOUT_MS = 10 * 60_000;
/** How long a gated call waits for an inbox decision before it returns `pending` with the request id. */
export const INBOX_WAIT_MS = 2 * 60_000;
/** Asking again when the change keeps changing under the prompt: after this many rounds, refuse. */
const MAX_ASKS = 3;

/** The approval form: one flat boolean, unchecked by default (MCP form fields must be flat primitives). */
export const APPROVAL_SCHEMA = {
  type: 'object',
  properties: {
    approve: {
      type: 'boolean',
      title: 'Approve',
      description: 'Check and submit to let the assistant do this. Decline or leave unchecked to stop it.',
      default: false,
    },
  },
  required: ['approve'],
} as const;

export type GateMode = 'auto' | 'strict' | 'confirm-token';

export interface ApprovalGateOptions {
  /**
   * auto: a person approves, through the client's prompt (elicitation) or else the inbox; neither: refused.
   * strict: only the client's prompt. confirm-token: the prompt, else a preview token the model brings back
   * (a two-step confirmation by the model, not a person's approval).
   */
  mode: GateMode;
  tokens: TokenBook;
  describer: ChangeDescriber;
  tsgId: string;
  environment: string;
  inbox?: ApprovalInbox;
  elicitationTimeoutMs?: number;
  inboxWaitMs?: number;
}

const TOKEN_REFUSALS: Record<Exclude<RedeemResult, { ok: true }>['reason'], string> = {
  unknown: 'the approval token is unknown or was already used (tokens are single-use)',
  expired: 'the approval token has expired (tokens are valid 5 minutes)',
  other_tool: 'the approval token was issued for another tool',
  arguments_changed: 'the arguments differ from the previewed call the token was issued for',
  changes_changed:
    'the pending changes this would publish differ from the previewed ones (more changes were made since)',
};

export const NO_APPROVER_HINT =
  'Operator: to let a person approve, restart the server with --approvals inbox --approvers FILE (an approval web page for people), or use a client that supports elicitation (Claude Code, VS Code, Cursor). --approval confirm-token lets the model confirm its own calls in two steps (no person involved).';

/**
 * A person in the loop for destructive and deploy calls, and each approval bound to exactly what will happen:
 * the tool, its arguments, the tenant and, for a push, every pending change it publishes with its before and
 * after (the fingerprint). An approval given for one fingerprint is void for any other: the person is asked
 * again, shown the new change. `confirm: true` alone is never enough: the model can set it.
 */
export class ApprovalGate implements Gate {
  readonly #o: ApprovalGateOptions;

  constructor(opts: ApprovalGateOptions) {
    this.#o = opts;
  }

  async #fingerprint(op: IrOperation, args: Record<string, unknown>, req: ScmRequestSpec): Promise<string> {
    const changes = await this.#o.describer.changesOf(op, req);
    return approvalFingerprint({
      tool: op.tool,
      args,
      tsgId: this.#o.tsgId,
      ...(changes ? { changes } : {}),
    });
  }

  async check(
    op: IrOperation,
    args: Record<string, unknown>,
    req: ScmRequestSpec,
    meta: CallMeta,
  ): Promise<GateDecision> {
    const { mode, inbox } = this.#o;
    const confirmed = args.confirm === true;
    const token = typeof args.approval_token === 'string' ? args.approval_token : undefined;
    // A matching token needs no preview: redeem it before looking objects up (one GET fewer per approved call).
    if (!meta.elicit && mode === 'confirm-token' && confirmed && token) {
      const redeemed = await this.#o.tokens.redeem(
        token,
        op.tool,
        args,
        await this.#fingerprint(op, args, req),
      );
      if (redeemed.ok) return { proceed: true, approvedBy: 'model-token' };
      return this.#refuseToken(op, args, req, meta, TOKEN_REFUSALS[redeemed.reason]);
    }
    const summary = await this.#o.describer.summarize(op, req, meta.signal);
    const head = previewHead(op, summary, req);

    if (meta.elicit) {
      if (!confirmed) return preview(op, head, 'The user is then asked to approve it in their client.');
      return this.#ask(op, args, req, summary, head, meta);
    }
    if (mode === 'strict') {
      return refuse(
        'refused: approval mode strict needs a client that can ask the person (elicitation)',
        {
          ...head,
          status: 'approval_unavailable',
          error: `This server runs with --approval strict: ${op.tool} needs a person to approve it through the client's approval prompt (MCP elicitation), and this client${meta.clientName ? ` (${meta.clientName})` : ''} does not support that. Nothing was sent.`,
          hint: 'Use a client that supports elicitation (for example Claude Code, VS Code or Cursor), or ask the operator to restart the server with --approval auto and an approval inbox.',
        },
        true,
      );
    }
    if (mode === 'auto' && inbox) {
      if (!confirmed)
        return preview(op, head, 'A person then approves or declines it in the approval inbox (a web page).');
      return this.#viaInbox(op, args, req, summary, head, meta, inbox);
    }
    if (mode === 'auto') {
      return refuse(
        `refused: no way to ask a person (no elicitation, no approval inbox)`,
        {
          ...head,
          status: 'approval_unavailable',
          error: `${op.tool} needs a person's approval, and this server has no way to ask one: this client${meta.clientName ? ` (${meta.clientName})` : ''} cannot show an approval prompt (MCP elicitation) and no approval inbox is configured. Nothing was sent.`,
          hint: `Tell the user this change needs an operator step; do not retry. ${NO_APPROVER_HINT}`,
        },
        confirmed,
        confirmed ? 'refused' : 'preview',
      );
    }
    // confirm-token: the model confirms in two steps; the token binds the fingerprint shown in this preview.
    return refuse(
      token ? 'preview: confirm missing' : 'preview: confirmation token issued',
      {
        ...head,
        status: 'confirmation_required',
        ...(confirmed
          ? { note: 'confirm: true alone is not enough on this server: bring back the approval_token.' }
          : {}),
        ...(await this.#issue(op, args, req)),
        how_to_confirm: `Nothing was sent. Show this preview to the user. Only if they approve this exact change, call ${op.tool} again with the same arguments plus confirm: true and approval_token (single use, valid 5 minutes, for these arguments and these pending changes only). This is a confirmation by you, the model, not the user's own approval: ask them first.`,
      },
      false,
      'preview',
    );
  }

  async #refuseToken(
    op: IrOperation,
    args: Record<string, unknown>,
    req: ScmRequestSpec,
    meta: CallMeta,
    why: string,
  ): Promise<GateDecision> {
    const head = previewHead(op, await this.#o.describer.summarize(op, req, meta.signal), req);
    return refuse(
      `refused: ${why}`,
      {
        ...head,
        status: 'approval_refused',
        error: `Nothing was sent: ${why}.`,
        ...(await this.#issue(op, args, req)),
        how_to_confirm: `Show this preview (it is what would happen now) to the user. Only if they approve this exact change, call ${op.tool} again with the same arguments, confirm: true and the new approval_token.`,
      },
      true,
    );
  }

  async #issue(op: IrOperation, args: Record<string, unknown>, req: ScmRequestSpec) {
    const fp = await this.#fingerprint(op, args, req);
    const { token, expiresAt } = this.#o.tokens.issue(op.tool, args, fp);
    return { approval_token: token, expires_at: expiresAt.toISOString() };
  }

  /** The client's own prompt; asked again while what would happen changes under it. */
  async #ask(
    op: IrOperation,
    args: Record<string, unknown>,
    req: ScmRequestSpec,
    first: ChangeSummary,
    firstHead: Record<string, unknown>,
    meta: CallMeta,
  ): Promise<GateDecision> {
    const elicit = meta.elicit!;
    let summary = first;
    let head = firstHead;
    let fp = await this.#fingerprint(op, args, req);
    for (let round = 0; round < MAX_ASKS; round++) {
      let answer: unknown;
      try {
        answer = await elicit(
          this.#o.describer.message(summary, { changedSince: round > 0 }),
          APPROVAL_SCHEMA,
          {
            timeoutMs: this.#o.elicitationTimeoutMs ?? ELICITATION_TIMEOUT_MS,
          },
        );
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        return refuse(
          `refused: approval prompt failed (${why})`,
          {
            ...head,
            status: 'approval_failed',
            error: `Nothing was sent: the approval prompt failed or timed out (${why}).`,
          },
          true,
        );
      }
      const action = (answer as { action?: unknown } | null)?.action;
      if (typeof action !== 'string') {
        return refuse(
          'refused: malformed approval answer',
          {
            ...head,
            status: 'approval_failed',
            error: 'Nothing was sent: the client answered the approval prompt with no valid action.',
          },
          true,
        );
      }
      const approved =
        ((answer as { content?: unknown }).content as { approve?: unknown } | undefined)?.approve === true;
      if (action !== 'accept' || !approved) return this.#declined(op, head, action);
      const now = await this.#fingerprint(op, args, req);
      if (now === fp) return { proceed: true, approvedBy: 'elicitation' };
      // Approved something else than what would happen now: void, ask again showing the new change.
      fp = now;
      summary = await this.#o.describer.summarize(op, req, meta.signal);
      head = previewHead(op, summary, req);
    }
    return keptChanging(op, head, 'the user was asked', 'the user was asked');
  }

  #declined(op: IrOperation, head: Record<string, unknown>, action: string, by?: string): GateDecision {
    const what =
      action === 'accept'
        ? 'the user did not tick approve'
        : action === 'decline'
          ? `${by ? `the approver ${by}` : 'the user'} declined`
          : 'the user dismissed the approval prompt';
    return refuse(
      `refused: ${what}`,
      {
        ...head,
        status: action === 'cancel' ? 'cancelled' : 'declined',
        error: `Nothing was sent: ${what}.`,
        hint: `Do not retry ${op.tool} unless the user asks for it again.`,
      },
      true,
    );
  }

  /** A person decides in the approval inbox; the call waits (with progress), or returns pending with the id. */
  async #viaInbox(
    op: IrOperation,
    args: Record<string, unknown>,
    req: ScmRequestSpec,
    summary: ChangeSummary,
    head: Record<string, unknown>,
    meta: CallMeta,
    inbox: ApprovalInbox,
  ): Promise<GateDecision> {
    let fp = await this.#fingerprint(op, args, req);
    const given = args.approval_token;
    let record: ApprovalRecord | undefined;
    if (typeof given === 'string' && given !== '') {
      record = await inbox.get(given);
      if (!record || record.tool !== op.tool || record.tsgId !== this.#o.tsgId)
        return refuse(
          'refused: unknown approval id',
          {
            ...head,
            status: 'approval_refused',
            error: `Nothing was sent: ${given.slice(0, 40)} is not an approval request for ${op.tool} on this tenant. Call without approval_token to ask for approval.`,
          },
          true,
        );
      // Another call bringing this id: refused, and the request stays as it is for the call it was made for.
      if (canonicalJson(record.args) !== canonicalJson(withoutControlArgs(args)))
        return refuse(
          'refused: approval id for other arguments',
          {
            ...head,
            status: 'approval_refused',
            error: `Nothing was sent: approval ${record.id} was requested for other arguments of ${op.tool}.`,
          },
          true,
        );
      if (record.state === 'declined') return this.#declined(op, head, 'decline', record.decidedBy);
      if (record.state === 'expired' || record.state === 'used')
        return refuse(
          `refused: approval ${record.state}`,
          {
            ...head,
            status: 'approval_refused',
            error: `Nothing was sent: approval ${record.id} is ${record.state === 'used' ? 'already used' : 'expired or void'}${record.note ? ` (${record.note})` : ''}. Call again without approval_token to ask for a new approval.`,
          },
          true,
        );
    }
    let changed = false;
    for (let round = 0; round < MAX_ASKS; round++) {
      if (record && record.fingerprint !== fp) {
        await inbox.void(record.id, 'what the call would do changed after it was requested');
        changed = true;
        record = undefined;
      }
      record ??= await inbox.open({
        ...(meta.clientName ? { clientName: meta.clientName } : {}),
        environment: this.#o.environment,
        tsgId: this.#o.tsgId,
        tool: op.tool,
        key: op.key,
        args: withoutControlArgs(args),
        fingerprint: fp,
        action: summary.action,
        message: this.#o.describer.message(summary, { changedSince: changed }),
        preview: head,
      });
      const url = inbox.urlFor(record.id);
      // A client that opens links shows the person the inbox entry; its answer is not the approval, the inbox is.
      if (meta.elicitUrl && record.state === 'pending')
        void meta
          .elicitUrl(
            `Approve or decline in the approval inbox: ${safeText(summary.action, 200)}`,
            url,
            record.id,
          )
          .catch(() => {});
      await meta
        .progress?.(0, undefined, `waiting for a person to approve in the approval inbox: ${url}`)
        .catch(() => {});
      const decided =
        record.state === 'pending'
          ? await inbox.wait(record.id, {
              timeoutMs: this.#o.inboxWaitMs ?? INBOX_WAIT_MS,
              ...(meta.signal ? { signal: meta.signal } : {}),
              onTick: async (ms) =>
                meta.progress?.(
                  ms / 1000,
                  undefined,
                  `still waiting for approval ${record!.id} (${Math.round(ms / 1000)} s): ${url}`,
                ),
            })
          : record;
      if (!decided || decided.state === 'expired' || decided.state === 'used')
        return refuse(
          'refused: approval request expired',
          {
            ...head,
            status: 'approval_refused',
            approval_id: record.id,
            error: 'Nothing was sent: nobody decided in time; the approval request expired.',
          },
          true,
        );
      if (decided.state === 'declined')
        return { ...this.#declined(op, head, 'decline', decided.decidedBy), approvalId: record.id };
      if (decided.state === 'pending')
        return refuse(
          'pending: waiting for a person in the approval inbox',
          {
            ...head,
            status: 'approval_pending',
            approval_id: record.id,
            inbox_url: url,
            expires_at: new Date(record.expiresAt).toISOString(),
            how_to_confirm: `Nothing was sent yet. A person must approve this in the approval inbox (${url}). Tell the user. Check with approval_status {"id": "${record.id}"}; once approved, call ${op.tool} again with the same arguments, confirm: true and approval_token: "${record.id}".`,
          },
          false,
          'pending',
          record.id,
        );
      // Approved: only for exactly what would happen now, and only once.
      const now = await this.#fingerprint(op, args, req);
      if (now !== fp) {
        fp = now;
        summary = await this.#o.describer.summarize(op, req, meta.signal);
        head = previewHead(op, summary, req);
        continue;
      }
      if (!(await inbox.consume(record.id)))
        return refuse(
          'refused: approval already used',
          { ...head, status: 'approval_refused', error: 'Nothing was sent: this approval was already used.' },
          true,
        );
      return { proceed: true, approvedBy: `inbox:${decided.decidedBy ?? '?'}`, approvalId: record.id };
    }
    return keptChanging(op, head, 'approval was sought', 'a person was asked');
  }
}

/** Every approval asked for was of a change that had changed again by the answer: nothing is sent. */
function keptChanging(
  op: IrOperation,
  head: Record<string, unknown>,
  whileWhat: string,
  when: string,
): GateDecision {
  return refuse(
    `refused: the change kept changing while ${whileWhat}`,
    {
      ...head,
      status: 'approval_void',
      error: `Nothing was sent: what ${op.tool} would do changed each time ${when}.`,
    },
    true,
  );
}

function preview(op: IrOperation, head: Record<string, unknown>, then: string): GateDecision {
  return refuse(
    'preview: confirmation required',
    {
      ...head,
      status: 'confirmation_required',
      how_to_confirm: `Nothing was sent. Tell the user what this would do; to go ahead, call ${op.tool} again with the same arguments and confirm: true. ${then}`,
    },
    false,
    'preview',
  );
}

function refuse(
  reason: string,
  structured: Record<string, unknown>,
  isError = false,
  outcome: 'preview' | 'refused' | 'pending' = 'refused',
  approvalId?: string,
): GateDecision {
  return {
    proceed: false,
    reason,
    outcome,
    result: jsonResult(structured, isError) as CallToolResult,
    ...(approvalId ? { approvalId } : {}),
  };
}
