import type { IrOperation } from '../openapi/ir.js';
import type { ScmRequestSpec } from '../tools/build-request.js';
import { jsonResult } from '../tools/to-tool-result.js';
import type { CallMeta, Gate, GateDecision } from '../tools/types.js';
import { type ChangeDescriber, previewHead } from './describe-change.js';
import { describeIntent, requestPreview } from './preview.js';

/**
 * The simplest gate: a gated call proceeds only with `confirm: true`. Without it the result is a preview and
 * nothing is sent. (`confirm` alone is the model's word, not the person's: stronger gates build on this.)
 * With a describer the preview is the approval gate's own (objects by name, pending changes for a push).
 */
export class ConfirmFlagGate implements Gate {
  readonly #describer: ChangeDescriber | undefined;

  constructor(describer?: ChangeDescriber) {
    this.#describer = describer;
  }

  async check(
    op: IrOperation,
    args: Record<string, unknown>,
    req: ScmRequestSpec,
    meta: CallMeta = {},
  ): Promise<GateDecision> {
    if (args.confirm === true) return { proceed: true, approvedBy: 'confirm-flag' };
    const head = this.#describer
      ? previewHead(op, await this.#describer.summarize(op, req, meta.signal), req)
      : { operation: op.key, executed: false, would: describeIntent(op, req), request: requestPreview(req) };
    return {
      proceed: false,
      reason: 'confirmation required',
      outcome: 'preview',
      result: jsonResult({
        ...head,
        status: 'confirmation_required',
        how_to_confirm: `Nothing was sent. Show this to the user; if they approve, call ${op.tool} again with the same arguments and confirm: true.`,
      }),
    };
  }
}
