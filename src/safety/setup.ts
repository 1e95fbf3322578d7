import { ApprovalInbox } from '../approvals/inbox.js';
import { createInboxHandler, type InboxHandler, type InboxHttpOptions } from '../approvals/inbox-http.js';
import { MemoryApprovalStore } from '../approvals/memory-store.js';
import { webhookNotifier } from '../approvals/webhook.js';
import type { Approver } from '../approvals/approvers.js';
import type { OidcSignIn } from '../approvals/inbox-oidc.js';
import type { ApprovalStore } from '../approvals/types.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { IrOperation } from '../openapi/ir.js';
import type { ScmClient } from '../scm/http-client.js';
import { JobReader } from '../scm/jobs.js';
import type { ServedTool } from '../tools/served-tool.js';
import type { AuditSink, Environment, Gate } from '../tools/types.js';
import { ApprovalGate } from './approval-gate.js';
import { ApprovalTokens } from './approval-tokens.js';
import { defaultAuditPath, FileAuditLog } from './audit-log.js';
import { captureGetters, withChangeCapture } from './change-capture.js';
import { ChangeJournal, fanOut } from './change-journal.js';
import { ConfirmFlagGate } from './confirm-gate.js';
import { ChangeDescriber, type PushCheckHook } from './describe-change.js';
import { readOnlyTools } from './read-only.js';
import { SharedApprovalTokens } from './shared-approval-tokens.js';
import type { KvStore } from '../store/kv-store.js';

/** How long after a push's parent job ends its child jobs may still appear (as push-wait waits for them). */
const CHILD_JOB_GRACE_MS = 20_000;

export interface SafetyOptions {
  config: Pick<Config, 'approval' | 'readOnly' | 'auditLog' | 'auditMaxBytes' | 'auditKeep'> &
    Partial<Pick<Config, 'fourEyes' | 'approvalWebhook' | 'inboxWaitSeconds'>>;
  client: Pick<ScmClient, 'request'>;
  operations: IrOperation[];
  environment: Environment;
  tsgId: string;
  log: Logger;
  /**
   * The approval inbox, when people approve there: its public URL (a function when known only once the HTTP
   * server listens) and who may sign in.
   */
  inbox?: { url: string | (() => string); approvers: Approver[]; allowedHosts?: string[]; oidc?: OidcSignIn };
  /** Where approvals are kept: shared (Redis) across replicas; this process's memory by default. */
  approvalStore?: ApprovalStore;
  /** Policy snapshots: dropped on every write, asked what still uses an object before a delete. */
  policy?: AuditSink & { referencesFor(folder: string, name: string, resource: string): Promise<string[]> };
  /** Push preview check (config_check), attached once the workflows exist. */
  pushCheck?: PushCheckHook;
  /** Test hook: clock for tokens. */
  now?: () => number;
  /** Shared store for approval tokens (several replicas, --redis-url); in memory otherwise. */
  store?: KvStore;
}

/** Approval, audit and read-only, chosen from the config: the pipeline only sees a Gate and an AuditSink. */
export interface Safety {
  gate: Gate;
  audit: AuditSink;
  journal: ChangeJournal;
  auditPath: string;
  /** The approval inbox and its web page handler, when configured. */
  inbox?: ApprovalInbox;
  inboxHandler?: InboxHandler;
  /** Another inbox page on the same inbox, mounted elsewhere (the HTTP server's /approvals). */
  inboxHandlerAt?(opts: Omit<InboxHttpOptions, 'inbox' | 'approvers'>): InboxHandler;
  /** Read-only filtering and change capture: applied to the whole tool list, generated and composite. */
  wrapTools(tools: ServedTool[]): ServedTool[];
  /** Flushes and closes the audit log. */
  close(): Promise<void>;
}

export function createSafety(opts: SafetyOptions): Safety {
  const { config, environment, log } = opts;
  const auditPath = config.auditLog ?? defaultAuditPath();
  const journal = new ChangeJournal(opts.now ? { now: opts.now } : {});
  const auditLog = new FileAuditLog(
    auditPath,
    { tsgId: opts.tsgId, environment, approvalMode: config.approval },
    {
      folderFor: (args) => (typeof args.id === 'string' ? journal.known(args.id)?.folder : undefined),
      operations: opts.operations,
      ...(config.auditMaxBytes ? { maxBytes: config.auditMaxBytes } : {}),
      ...(config.auditKeep !== undefined ? { keep: config.auditKeep } : {}),
    },
  );
  const audit = fanOut(auditLog, journal, ...(opts.policy ? [opts.policy] : []));
  const jobs = JobReader.fromOperations(opts.client, opts.operations);

  const describer = new ChangeDescriber({
    client: opts.client,
    operations: opts.operations,
    journal,
    environment,
    tsgId: opts.tsgId,
    readJob: async (id) => {
      const job = await jobs.withChildren(id);
      // Child jobs appear only after the parent ends: a parent OK with none yet is not known to be done,
      // unless it ended long enough ago (as push-wait's grace), or its end time cannot be read (then it waits).
      if (job.done && job.ok && !job.children.length) {
        const ended = Date.parse(job.job.end_ts ?? '');
        if (!(ended && Date.now() - ended > CHILD_JOB_GRACE_MS)) return { ...job, done: false };
      }
      return job;
    },
    ...(opts.policy ? { referencesFor: opts.policy.referencesFor.bind(opts.policy) } : {}),
    ...(opts.pushCheck ? { pushCheck: opts.pushCheck } : {}),
  });
  let inbox: ApprovalInbox | undefined;
  let inboxHandler: InboxHandler | undefined;
  let inboxHandlerAt: Safety['inboxHandlerAt'];
  if (opts.inbox && config.approval === 'auto') {
    inbox = new ApprovalInbox({
      store: opts.approvalStore ?? new MemoryApprovalStore(),
      baseUrl: opts.inbox.url,
      fourEyes: config.fourEyes === true,
      audit,
      ...(config.approvalWebhook ? { notify: webhookNotifier(config.approvalWebhook, log) } : {}),
    });
    const { approvers, allowedHosts, oidc } = opts.inbox;
    const theInbox = inbox;
    inboxHandlerAt = (at) =>
      createInboxHandler({
        ...at,
        inbox: theInbox,
        approvers,
        ...(oidc ? { oidc } : {}),
        // Replicas share sign-ins as they share approvals.
        ...(opts.store ? { store: opts.store } : {}),
      });
    inboxHandler = inboxHandlerAt(allowedHosts ? { allowedHosts } : {});
  }
  let gate: Gate;
  if (config.approval === 'flag') {
    gate = new ConfirmFlagGate(describer);
    log.warn(
      'approval: flag mode: confirm: true alone approves destructive and deploy calls (no person asked)',
    );
  } else {
    if (config.approval === 'confirm-token')
      log.warn(
        'approval: confirm-token mode: without an approval prompt the model confirms its own calls with a preview token (no person asked)',
      );
    gate = new ApprovalGate({
      mode: config.approval,
      tokens: opts.store
        ? new SharedApprovalTokens(opts.store, opts.now ? { now: opts.now } : {})
        : new ApprovalTokens(opts.now ? { now: opts.now } : {}),
      describer,
      tsgId: opts.tsgId,
      environment,
      ...(inbox ? { inbox } : {}),
      ...(config.inboxWaitSeconds !== undefined ? { inboxWaitMs: config.inboxWaitSeconds * 1000 } : {}),
    });
  }
  log.info(
    `audit log: ${auditPath}; approval: ${config.approval}${inbox && typeof opts.inbox!.url === 'string' ? `; approval inbox: ${opts.inbox!.url}` : ''}${config.readOnly ? '; read-only' : ''}`,
  );
  const getters = captureGetters(opts.operations);

  return {
    gate,
    audit,
    journal,
    auditPath,
    ...(inbox ? { inbox } : {}),
    ...(inboxHandler ? { inboxHandler } : {}),
    ...(inboxHandlerAt ? { inboxHandlerAt } : {}),
    wrapTools(tools) {
      if (config.readOnly) return readOnlyTools(tools, environment, audit);
      return tools.map((t) => withChangeCapture(t, { client: opts.client, journal, getters }));
    },
    close: () => auditLog.close(),
  };
}
