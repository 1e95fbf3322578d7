import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { ScmClient } from '../scm/http-client.js';
import type { IrOperation } from '../openapi/ir.js';
import type { ServedTool } from '../tools/served-tool.js';
import type { AuditSink, Environment, Gate } from '../tools/types.js';
import { ApprovalGate } from './approval-gate.js';
import { ApprovalTokens } from './approval-tokens.js';
import { defaultAuditPath, FileAuditLog } from './audit-log.js';
import { ChangeJournal, fanOut } from './change-journal.js';
import { ConfirmFlagGate } from './confirm-gate.js';
import { ChangeDescriber, type PushCheckHook } from './describe-change.js';
import { readOnlyTools } from './read-only.js';

export interface SafetyOptions {
  config: Pick<Config, 'approval' | 'readOnly' | 'auditLog'>;
  client: Pick<ScmClient, 'request'>;
  operations: IrOperation[];
  environment: Environment;
  tsgId: string;
  log: Logger;
  /** Push preview check (config_check), attached once the workflows exist. */
  pushCheck?: PushCheckHook;
  /** Test hook: clock for tokens. */
  now?: () => number;
}

/** Approval, audit and read-only, chosen from the config: the pipeline only sees a Gate and an AuditSink. */
export interface Safety {
  gate: Gate;
  audit: AuditSink;
  journal: ChangeJournal;
  auditPath: string;
  /** Runs many writes with the audit log's fsync grouped (workflows): see FileAuditLog.grouped. */
  auditGrouped<T>(fn: () => Promise<T>): Promise<T>;
  /** Read-only filtering: applied to the whole tool list, generated and composite. */
  wrapTools(tools: ServedTool[]): ServedTool[];
  close(): void;
}

export function createSafety(opts: SafetyOptions): Safety {
  const { config, environment, log } = opts;
  const auditPath = config.auditLog ?? defaultAuditPath();
  const journal = new ChangeJournal(opts.now ? { now: opts.now } : {});
  const auditLog = new FileAuditLog(
    auditPath,
    { tsgId: opts.tsgId, environment, approvalMode: config.approval },
    { folderFor: (args) => (typeof args.id === 'string' ? journal.known(args.id)?.folder : undefined) },
  );
  const audit = fanOut(auditLog, journal);

  const describer = new ChangeDescriber({
    client: opts.client,
    operations: opts.operations,
    journal,
    environment,
    tsgId: opts.tsgId,
    ...(opts.pushCheck ? { pushCheck: opts.pushCheck } : {}),
  });
  let gate: Gate;
  if (config.approval === 'flag') {
    gate = new ConfirmFlagGate(describer);
    log.warn(
      'approval: flag mode: confirm: true alone approves destructive and deploy calls (no person asked)',
    );
  } else {
    gate = new ApprovalGate({
      mode: config.approval,
      tokens: new ApprovalTokens(opts.now ? { now: opts.now } : {}),
      describer,
    });
  }
  log.info(`audit log: ${auditPath}; approval: ${config.approval}${config.readOnly ? '; read-only' : ''}`);

  return {
    gate,
    audit,
    journal,
    auditPath,
    auditGrouped: (fn) => auditLog.grouped(fn),
    wrapTools(tools) {
      return config.readOnly ? readOnlyTools(tools, environment, audit) : tools;
    },
    close: () => auditLog.close(),
  };
}
