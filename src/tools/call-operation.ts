import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type IrOperation, isGated } from '../openapi/ir.js';
import { ScmApiError } from '../scm/errors.js';
import { buildRequest, withoutControlArgs } from './build-request.js';
import { requestFor } from './read-list.js';
import { jsonResult, toErrorResult, toToolResult } from './to-tool-result.js';
import type { AuditRecord, AuditSink, CallMeta, Environment, Gate, ScmTransport } from './types.js';
import { validateArgs } from './validate.js';

type AuditBase = Pick<AuditRecord, 'callId' | 'tool' | 'key' | 'role' | 'args' | 'clientName' | 'approvalId'>;

export interface PipelineDeps {
  transport: ScmTransport;
  environment: Environment;
  gate: Gate;
  audit?: AuditSink;
}

function jobIdOf(body: unknown): string | undefined {
  const id = (body as { job_id?: unknown } | undefined)?.job_id;
  return id === undefined ? undefined : String(id);
}

/**
 * The one call pipeline every tool, composite tool and transport uses: validate -> gate -> request -> shape.
 * Expected failures come back as isError results; only bugs throw.
 */
export async function callOperation(
  op: IrOperation,
  rawArgs: unknown,
  deps: PipelineDeps,
  meta: CallMeta = {},
): Promise<CallToolResult> {
  const { environment } = deps;
  let args: Record<string, unknown>;
  try {
    args = validateArgs(op, rawArgs);
  } catch (err) {
    return toErrorResult(op, err, environment);
  }
  const sent = withoutControlArgs(args);
  const req = buildRequest(op, sent);
  const audited = op.safety !== 'read' && deps.audit;
  const base: AuditBase = {
    callId: meta.callId ?? randomUUID(),
    tool: op.tool,
    key: op.key,
    ...(op.role ? { role: op.role } : {}),
    args: sent,
    clientName: meta.clientName,
  };

  let approvedBy: string | undefined;
  if (isGated(op)) {
    const decision = await deps.gate.check(op, args, req, meta);
    if (!decision.proceed) {
      if (audited)
        await deps.audit?.write({
          ...base,
          phase: 'outcome',
          outcome: decision.outcome ?? 'refused',
          error: decision.reason,
          ...(decision.approvalId ? { approvalId: decision.approvalId } : {}),
        });
      // Every result names its environment, previews and refusals too (text and structured alike).
      return jsonResult({ environment, ...decision.result.structuredContent }, decision.result.isError === true);
    }
    approvedBy = decision.approvedBy;
    if (decision.approvalId) base.approvalId = decision.approvalId;
  }

  if (audited) await deps.audit?.write({ ...base, phase: 'intent', approvedBy });
  try {
    const res = await requestFor(op, req, args, deps.transport, meta.signal);
    if (audited) {
      await deps.audit?.write({
        ...base,
        phase: 'outcome',
        approvedBy,
        outcome: 'ok',
        status: res.status,
        requestId: res.requestId,
        jobId: jobIdOf(res.body),
        ...(res.note ? { note: res.note } : {}),
      });
    }
    return toToolResult(op, res, environment, { fields: args.fields as string[] | undefined });
  } catch (err) {
    if (audited) {
      await deps.audit?.write({
        ...base,
        phase: 'outcome',
        approvedBy,
        outcome: 'error',
        status: err instanceof ScmApiError ? err.status : undefined,
        requestId: err instanceof ScmApiError ? err.requestId : undefined,
        error: err instanceof Error ? err.message : String(err),
      });
    }
    return toErrorResult(op, err, environment);
  }
}
