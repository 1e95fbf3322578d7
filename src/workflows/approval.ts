/**
 * The one place workflows meet the approval machinery (nothing else in src/workflows imports src/safety).
 *
 * A workflow is approved once, as a whole: the Gate sees a synthetic operation for the workflow with the
 * normalised batch as its arguments, so an elicitation answer or an approval token covers exactly that batch.
 * Inner calls then run with `preApproved` deps: their gated operations (deletes, the push) proceed as "approved by
 * workflow X" instead of asking again; anything outside the workflow's declared keys still meets the real gate.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IrOperation } from '../openapi/ir.js';
import { canonicalJson } from '../safety/approval-tokens.js';
import type { ScmRequestSpec } from '../tools/build-request.js';
import type { PipelineDeps } from '../tools/call-operation.js';
import type { AuditSink, CallMeta, Gate, GateDecision } from '../tools/types.js';
import type { OpRunner } from './pipeline.js';

export interface WorkflowApprovalRequest {
  /** The workflow tool's name (the token is bound to it). */
  tool: string;
  /** `workflow.indicatorsBlock` etc. */
  key: string;
  /** deploy when the batch includes a push; destructive otherwise (it may delete objects, it changes rules). */
  safety: 'destructive' | 'deploy';
  /** Verb and noun for the gate's one-line account: "block", "indicators". */
  verb: string;
  noun: string;
  folder: string;
  /** The normalised batch: what the approval is bound to. */
  batch: Record<string, unknown>;
  /** Lines the person reads before approving (counts, objects, rules, warnings). */
  details: string[];
  /** The call's own confirm / approval_token, as the workflow tool received them, passed through to the gate. */
  caller: { confirm?: boolean | undefined; approval_token?: string | undefined };
}

export type WorkflowApproval =
  | { approved: true; approvedBy: string; batchSha256: string }
  | { approved: false; reason: string; structured: Record<string, unknown>; isError: boolean };

/** sha256 of the normalised batch, as audited and shown in the preview. */
export const batchHash = (batch: Record<string, unknown>) =>
  createHash('sha256').update(canonicalJson(batch)).digest('hex');

/** The operation the gate judges: a workflow is not an API operation, but the gate only needs these facts. */
export function workflowOperation(
  req: Pick<WorkflowApprovalRequest, 'tool' | 'key' | 'safety' | 'verb' | 'noun'>,
): IrOperation {
  return {
    key: req.key,
    resource: req.noun,
    action: req.verb,
    tool: req.tool,
    method: 'POST',
    path: `workflow:${req.tool}`,
    operationId: req.key,
    specFile: '',
    safety: req.safety,
    toolset: 'workflows',
    paged: false,
    inputs: [],
    folderInputs: [],
  };
}

/**
 * Asks the configured gate once for the whole batch. With elicitation the person's prompt carries the workflow's
 * details; without it the gate's preview (and token, in auto mode) comes back for the caller to show.
 */
async function approveWorkflow(
  gate: Gate,
  req: WorkflowApprovalRequest,
  meta: CallMeta,
): Promise<WorkflowApproval> {
  const op = workflowOperation(req);
  const args = {
    ...req.batch,
    ...(req.caller.confirm ? { confirm: true } : {}),
    ...(req.caller.approval_token ? { approval_token: req.caller.approval_token } : {}),
  };
  const spec: ScmRequestSpec = {
    method: 'POST',
    path: op.path,
    pathParams: {},
    query: { folder: req.folder },
    operation: op.key,
    // Every prompt (the client's, the inbox page) shows what exactly would change, line by line.
    details: req.details,
  };
  const decision: GateDecision = await gate.check(op, args, spec, meta);
  if (decision.proceed)
    return { approved: true, approvedBy: decision.approvedBy, batchSha256: batchHash(req.batch) };
  const s = (decision.result.structuredContent ?? {}) as Record<string, unknown>;
  // The gate's request preview names a synthetic path; the workflow's own preview says more.
  const { request: _request, ...rest } = s;
  return {
    approved: false,
    reason: decision.reason,
    structured: rest,
    isError: decision.result.isError === true,
  };
}

/**
 * Pipeline deps for the calls inside an approved workflow: gated operations among `keys` proceed, audited as
 * approved by the workflow (and by whom); any other gated operation still meets the real gate.
 */
function preApproved(
  deps: PipelineDeps,
  workflowTool: string,
  approvedBy: string,
  keys: readonly string[],
): PipelineDeps {
  const allowed = new Set(keys);
  const gate: Gate = {
    check: async (op, args, request, meta) =>
      allowed.has(op.key)
        ? { proceed: true, approvedBy: `workflow:${workflowTool}/${approvedBy}` }
        : deps.gate.check(op, args, request, meta),
  };
  return { ...deps, gate };
}

/**
 * The batch's one audit record, written (and on disk) before any of its writes: the workflow, what was approved
 * (the normalised batch's hash plus the facts in `args`) and by whom. Each write then adds its own lines.
 */
async function auditBatch(
  audit: AuditSink | undefined,
  workflow: { tool: string; key: string; args: Record<string, unknown> },
  approval: { approvedBy: string; batchSha256: string },
  meta: CallMeta,
): Promise<void> {
  await audit?.write({
    phase: 'intent',
    callId: randomUUID(),
    tool: workflow.tool,
    key: workflow.key,
    args: { ...workflow.args, batch_sha256: approval.batchSha256 },
    approvedBy: approval.approvedBy,
    clientName: meta.clientName,
  });
}

export interface BatchRequest extends WorkflowApprovalRequest {
  /** What the batch's audit record says besides the batch hash (folder, counts, reason, ticket). */
  auditArgs: Record<string, unknown>;
  /** Gated operations the batch may run under this approval besides the push (e.g. `address.delete`). */
  gatedKeys?: readonly string[];
}

export type BatchApproval =
  | { approved: true; approvedBy: string; batchSha256: string; run: OpRunner }
  | { approved: false; structured: Record<string, unknown>; isError: boolean };

/**
 * Every workflow's one approval, the same way: ask the gate once for the batch; a refusal is audited; an approval
 * writes the batch record, then yields a runner whose inner calls proceed as approved by this workflow.
 */
export async function approveBatch(
  w: { deps: PipelineDeps; run: OpRunner },
  req: BatchRequest,
  meta: CallMeta,
): Promise<BatchApproval> {
  const approval = await approveWorkflow(w.deps.gate, req, meta);
  const workflow = { tool: req.tool, key: req.key, args: req.auditArgs };
  if (!approval.approved) {
    await w.deps.audit?.write({
      phase: 'outcome',
      ...workflow,
      outcome: 'refused',
      error: approval.reason,
      clientName: meta.clientName,
    });
    return { approved: false, structured: approval.structured, isError: approval.isError };
  }
  // One record for the batch: what was approved (count and hash of the normalised batch) and by whom.
  await auditBatch(w.deps.audit, workflow, approval, meta);
  const keys = [...(req.gatedKeys ?? []), w.run.pushKey()];
  return { ...approval, run: w.run.withDeps(preApproved(w.deps, req.tool, approval.approvedBy, keys)) };
}
