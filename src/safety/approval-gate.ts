import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { IrOperation } from '../openapi/ir.js';
import type { ScmRequestSpec } from '../tools/build-request.js';
import { jsonResult } from '../tools/to-tool-result.js';
import type { CallMeta, Gate, GateDecision } from '../tools/types.js';
import type { RedeemResult } from './approval-tokens.js';
import type { TokenBook } from './shared-approval-tokens.js';
import { type ChangeDescriber, type ChangeSummary, previewHead } from './describe-change.js';

/** How long a person has to answer the approval prompt. */
export const ELICITATION_TIMEOUT_MS = 10 * 60_000;

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

export interface ApprovalGateOptions {
  /** auto: ask the person when the client can, else preview + token. strict: only ever ask the person. */
  mode: 'auto' | 'strict';
  tokens: TokenBook;
  describer: ChangeDescriber;
  elicitationTimeoutMs?: number;
}

const TOKEN_REFUSALS: Record<Exclude<RedeemResult, { ok: true }>['reason'], string> = {
  unknown: 'the approval token is unknown or was already used (tokens are single-use)',
  expired: 'the approval token has expired (tokens are valid 5 minutes)',
  other_tool: 'the approval token was issued for another tool',
  arguments_changed: 'the arguments differ from the previewed call the token was issued for',
};

/**
 * A person in the loop for destructive and deploy calls. With a client that can elicit, a confirmed call asks
 * the person and proceeds only on their approval. Without one: `auto` hands out a preview with a single-use
 * token bound to the exact arguments, which the confirmed call must bring back; `strict` refuses.
 * `confirm: true` alone is never enough here: the model can set it.
 */
export class ApprovalGate implements Gate {
  readonly #opts: ApprovalGateOptions;

  constructor(opts: ApprovalGateOptions) {
    this.#opts = opts;
  }

  async check(
    op: IrOperation,
    args: Record<string, unknown>,
    req: ScmRequestSpec,
    meta: CallMeta,
  ): Promise<GateDecision> {
    const confirmed = args.confirm === true;
    const token = typeof args.approval_token === 'string' ? args.approval_token : undefined;
    // A valid token needs no preview: redeem it before looking objects up (one GET fewer per approved call).
    if (!meta.elicit && this.#opts.mode !== 'strict' && confirmed && token) {
      const redeemed = await this.#opts.tokens.redeem(token, op.tool, args);
      if (redeemed.ok) return { proceed: true, approvedBy: 'approval-token' };
      return this.#refuseToken(op, args, req, meta, TOKEN_REFUSALS[redeemed.reason]);
    }
    const summary = await this.#opts.describer.summarize(op, req, meta.signal);
    const head = previewHead(op, summary, req);

    if (meta.elicit) {
      if (!confirmed) {
        return refuse('preview: confirmation required', {
          ...head,
          status: 'confirmation_required',
          how_to_confirm: `Nothing was sent. Tell the user what this would do; to go ahead, call ${op.tool} again with the same arguments and confirm: true. The user is then asked to approve it in their client.`,
        });
      }
      return this.#ask(op, summary, head, meta.elicit);
    }

    if (this.#opts.mode === 'strict') {
      return refuse(
        'refused: approval mode strict needs a client that can ask the person (elicitation)',
        {
          ...head,
          status: 'approval_unavailable',
          error: `This server runs with --approval strict: ${op.tool} needs a person to approve it through the client's approval prompt (MCP elicitation), and this client${meta.clientName ? ` (${meta.clientName})` : ''} does not support that. Nothing was sent.`,
          hint: 'Use a client that supports elicitation (for example Claude Code, VS Code or Cursor), or ask the operator to restart the server with --approval auto.',
        },
        true,
      );
    }

    return refuse(token ? 'preview: confirm missing' : 'preview: approval token issued', {
      ...head,
      status: 'confirmation_required',
      ...(confirmed
        ? { note: 'confirm: true alone is not enough on this server: bring back the approval_token.' }
        : {}),
      ...this.#issue(op, args),
      how_to_confirm: `Nothing was sent. Show this preview to the user. Only if they approve this exact change, call ${op.tool} again with the same arguments plus confirm: true and approval_token (single use, valid 5 minutes, for these arguments only).`,
    });
  }

  async #refuseToken(
    op: IrOperation,
    args: Record<string, unknown>,
    req: ScmRequestSpec,
    meta: CallMeta,
    why: string,
  ): Promise<GateDecision> {
    const head = previewHead(op, await this.#opts.describer.summarize(op, req, meta.signal), req);
    return refuse(
      `refused: ${why}`,
      {
        ...head,
        status: 'approval_refused',
        error: `Nothing was sent: ${why}.`,
        ...this.#issue(op, args),
        how_to_confirm: `Show this preview to the user. Only if they approve this exact change, call ${op.tool} again with the same arguments, confirm: true and the new approval_token.`,
      },
      true,
    );
  }

  #issue(op: IrOperation, args: Record<string, unknown>) {
    const { token, expiresAt } = this.#opts.tokens.issue(op.tool, args);
    return { approval_token: token, expires_at: expiresAt.toISOString() };
  }

  async #ask(
    op: IrOperation,
    summary: ChangeSummary,
    head: Record<string, unknown>,
    elicit: NonNullable<CallMeta['elicit']>,
  ): Promise<GateDecision> {
    let answer: { action: string; content?: unknown };
    try {
      answer = await elicit(this.#opts.describer.message(summary), APPROVAL_SCHEMA, {
        timeoutMs: this.#opts.elicitationTimeoutMs ?? ELICITATION_TIMEOUT_MS,
      });
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
    const approved = (answer.content as { approve?: unknown } | undefined)?.approve === true;
    if (answer.action === 'accept' && approved) return { proceed: true, approvedBy: 'elicitation' };
    const what =
      answer.action === 'accept'
        ? 'the user did not tick approve'
        : answer.action === 'decline'
          ? 'the user declined'
          : 'the user dismissed the approval prompt';
    return refuse(
      `refused: ${what}`,
      {
        ...head,
        status: answer.action === 'cancel' ? 'cancelled' : 'declined',
        error: `Nothing was sent: ${what}.`,
        hint: `Do not retry ${op.tool} unless the user asks for it again.`,
      },
      true,
    );
  }
}

function refuse(reason: string, structured: Record<string, unknown>, isError = false): GateDecision {
  return { proceed: false, reason, result: jsonResult(structured, isError) as CallToolResult };
}
