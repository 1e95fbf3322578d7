import type { IrOperation } from '../spec/ir.js';
import type { ScmRequestSpec } from '../tools/build-request.js';
import { jsonResult } from '../tools/to-tool-result.js';
import type { Gate, GateDecision } from '../tools/types.js';
import { describeIntent, requestPreview } from './preview.js';

/**
 * The simplest gate: a gated call proceeds only with `confirm: true`. Without it the result is a preview and
 * nothing is sent. (`confirm` alone is the model's word, not the person's: stronger gates build on this.)
 */
export class ConfirmFlagGate implements Gate {
  async check(op: IrOperation, args: Record<string, unknown>, req: ScmRequestSpec): Promise<GateDecision> {
    if (args.confirm === true) return { proceed: true, approvedBy: 'confirm-flag' };
    return {
      proceed: false,
      reason: 'confirmation required',
      result: jsonResult({
        operation: op.key,
        status: 'confirmation_required',
        executed: false,
        would: describeIntent(op, req),
        request: requestPreview(req),
        how_to_confirm: `Nothing was sent. Show this to the user; if they approve, call ${op.tool} again with the same arguments and confirm: true.`,
      }),
    };
  }
}
