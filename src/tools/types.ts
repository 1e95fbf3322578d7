import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { IrOperation, OperationRole } from '../openapi/ir.js';
import type { ScmRequestSpec } from './build-request.js';

export type Environment = 'sandbox' | 'scm';

export interface ScmAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  requestId?: string;
  /** What the status alone does not say (a retried DELETE that found the object gone). */
  note?: string;
}

/** The part of the SCM client the pipeline needs (the real client, or a test double). */
export interface ScmTransport {
  request(req: ScmRequestSpec & { signal?: AbortSignal; tsgId?: string }): Promise<ScmAnswer>;
}

/** Who is calling and how, as far as the gate and the audit log care. */
export interface CallMeta {
  clientName?: string;
  /** Pairs the audit lines of one call; set by a caller that writes lines of its own (push with wait). */
  callId?: string;
  signal?: AbortSignal;
  /** Present when the client can be asked questions (elicitation). */
  elicit?: (
    message: string,
    requestedSchema: Record<string, unknown>,
    opts?: { timeoutMs?: number },
  ) => Promise<{ action: string; content?: unknown }>;
  /** Present when the client can open a link for the person (URL-mode elicitation): used to point at the inbox. */
  elicitUrl?: (message: string, url: string, elicitationId: string) => Promise<unknown>;
  progress?: (progress: number, total: number | undefined, message: string) => Promise<void>;
}

export type GateDecision =
  | { proceed: true; approvedBy: string; approvalId?: string }
  | {
      proceed: false;
      result: CallToolResult;
      reason: string;
      /** How the audit log records it: a preview is not a refusal (default refused). */
      outcome?: 'preview' | 'refused' | 'pending';
      approvalId?: string;
    };

/** Decides whether a destructive or deploy call may go upstream. Nothing is sent unless it says proceed. */
export interface Gate {
  check(
    op: IrOperation,
    args: Record<string, unknown>,
    request: ScmRequestSpec,
    meta: CallMeta,
  ): Promise<GateDecision>;
}

export interface AuditRecord {
  /**
   * intent: before the request; outcome: after it; job: how a job the call started ended (push with wait);
   * decision: a person approved or declined a request in the approval inbox.
   */
  phase: 'intent' | 'outcome' | 'job' | 'decision';
  /** Pairs the lines of one call. */
  callId?: string;
  tool: string;
  key: string;
  /** The operation's role (push, discard-candidate, ...), when it has one. */
  role?: OperationRole;
  args: Record<string, unknown>;
  approvedBy?: string;
  /** preview: nothing sent, a preview returned; pending: waiting for a person in the inbox. */
  outcome?: 'ok' | 'error' | 'refused' | 'preview' | 'pending' | 'approved' | 'declined';
  /** The approval inbox request a call or decision belongs to. */
  approvalId?: string;
  /** The person who approved or declined it in the inbox (phase decision). */
  decidedBy?: string;
  status?: number;
  requestId?: string;
  jobId?: string;
  /** Final `status_str/result_str` of the job (phase job), e.g. `FIN/OK`. */
  jobStatus?: string;
  error?: string;
  /** A success worth explaining (e.g. already deleted by an earlier attempt). */
  note?: string;
  clientName?: string;
  /** The TSG the call went to, when not the configured one (tsg_id). */
  tsgId?: string;
}

export interface AuditSink {
  /** Resolves once the record is durable; callers await it before going on (intent before the request). */
  write(record: AuditRecord): void | Promise<void>;
}
