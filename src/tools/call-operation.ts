import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type IrOperation, isGated } from '../openapi/ir.js';
import { ScmApiError } from '../scm/errors.js';
import { buildRequest, withoutControlArgs } from './build-request.js';
import { requestFor } from './read-list.js';
import { jsonResult, toErrorResult, toToolResult } from './to-tool-result.js';
import { InvalidArguments } from './invalid-arguments.js';
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
  // tsg_id picks the tenant (checked against the allowlist by the tenants layer); the rest is the operation's.
  const isArgObject = !!rawArgs && typeof rawArgs === 'object' && !Array.isArray(rawArgs);
  const { tsg_id: tsgArg, ...opArgs } = isArgObject ? (rawArgs as Record<string, unknown>) : {};
  const tsgId = typeof tsgArg === 'string' && tsgArg ? tsgArg : undefined;
  const transport: ScmTransport = tsgId
    ? { request: (r) => deps.transport.request({ ...r, tsgId }) }
    : deps.transport;
  let args: Record<string, unknown>;
  try {
    if (tsgArg !== undefined && !tsgId)
      throw new InvalidArguments(op.tool, [
        { field: 'tsg_id', message: 'expected a TSG id or alias (string)' },
      ]);
    args = validateArgs(op, isArgObject ? opArgs : rawArgs);
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
    ...(tsgId ? { tsgId } : {}),
  };

  let approvedBy: string | undefined;
  if (isGated(op)) {
    // An approval is bound to the tenant too: tsg_id is part of the arguments the token covers.
    const target = tsgId ? { ...req, tsgId } : req;
    const decision = await deps.gate.check(op, tsgId ? { ...args, tsg_id: tsgId } : args, target, meta);
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
      return jsonResult(
        { environment, ...decision.result.structuredContent },
        decision.result.isError === true,
      );
    }
    approvedBy = decision.approvedBy;
    if (decision.approvalId) base.approvalId = decision.approvalId;
  }

  if (audited) await deps.audit?.write({ ...base, phase: 'intent', approvedBy });
  try {
    const res = await requestFor(op, req, args, transport, meta.signal);
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
