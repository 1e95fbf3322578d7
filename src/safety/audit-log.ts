import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { redactSecrets } from '../log.js';
import type { AuditRecord, AuditSink, Environment } from '../tools/types.js';
import { redactArgs } from './redact-args.js';

/** `$XDG_STATE_HOME/prisma-access-mcp/audit.log`, else `~/.local/state/prisma-access-mcp/audit.log`. */
export function defaultAuditPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const state = env.XDG_STATE_HOME?.trim() ? env.XDG_STATE_HOME : join(home, '.local', 'state');
  return join(state, 'prisma-access-mcp', 'audit.log');
}

/** Facts of the whole session, on every line. */
export interface AuditContext {
  tsgId: string;
  environment: Environment;
  approvalMode: string;
}

function folderOf(args: Record<string, unknown>): string | undefined {
  if (typeof args.folder === 'string') return args.folder;
  if (Array.isArray(args.folders)) return args.folders.map(String).join(', ');
  return undefined;
}

/** One audit record as the JSON line written to the file. */
export function auditLine(
  record: AuditRecord,
  ctx: AuditContext,
  time: Date,
  folderFor?: (args: Record<string, unknown>) => string | undefined,
): string {
  const line = {
    time: time.toISOString(),
    phase: record.phase,
    call_id: record.callId,
    client: record.clientName ?? null,
    environment: ctx.environment,
    tsg: ctx.tsgId,
    tool: record.tool,
    key: record.key,
    folder: folderOf(record.args) ?? folderFor?.(record.args) ?? null,
    args: redactArgs(record.args),
    approval_mode: ctx.approvalMode,
    // Writes are not gated: they change the candidate only and need a push (which is).
    approved_by:
      record.approvedBy ?? (record.phase === 'job' || record.outcome === 'refused' ? null : 'not gated'),
    outcome: record.outcome ?? null,
    status: record.status ?? null,
    request_id: record.requestId ?? null,
    job_id: record.jobId ?? null,
    ...(record.jobStatus ? { job_status: record.jobStatus } : {}),
    ...(record.error ? { error: record.error } : {}),
  };
  return `${redactSecrets(JSON.stringify(line))}\n`;
}

/** A grouped section fsyncs at least this often. */
export const GROUP_SYNC_MS = 200;

/**
 * The audit log: one JSON line per record, appended (O_APPEND) and fsynced before write() returns, so the
 * intent of a call is on disk before its request is sent and a crash in between leaves the intent.
 */
export class FileAuditLog implements AuditSink {
  readonly path: string;
  readonly #ctx: AuditContext;
  readonly #now: () => number;
  readonly #folderFor: ((args: Record<string, unknown>) => string | undefined) | undefined;
  #fd: number | undefined;
  /** Open grouped sections (see grouped()); while any is open, fsync is batched. */
  #groups = 0;
  #syncTimer: NodeJS.Timeout | undefined;

  /**
   * Opens (creating the directories and file, mode 600) at once, so a bad path fails at start-up.
   * `folderFor` names the folder of a call that does not say it (a delete by id, looked up for its approval).
   */
  constructor(
    path: string,
    ctx: AuditContext,
    opts: { now?: () => number; folderFor?: (args: Record<string, unknown>) => string | undefined } = {},
  ) {
    this.path = path;
    this.#ctx = ctx;
    this.#now = opts.now ?? Date.now;
    this.#folderFor = opts.folderFor;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.#fd = openSync(path, 'a', 0o600);
  }

  write(record: AuditRecord): void {
    if (this.#fd === undefined) throw new Error(`audit log ${this.path} is closed`);
    writeSync(this.#fd, auditLine(record, this.#ctx, new Date(this.#now()), this.#folderFor));
    if (!this.#groups) {
      fsyncSync(this.#fd);
      return;
    }
    this.#syncTimer ??= setTimeout(() => this.#sync(), GROUP_SYNC_MS);
  }

  /**
   * Runs a workflow's many writes with fsync grouped: each line is still written (write(2)) before its request,
   * and fsynced within GROUP_SYNC_MS and at the end, instead of one fsync (about 5 ms) per line. The workflow's
   * own batch record is written, and fsynced, before the section opens.
   */
  async grouped<T>(fn: () => Promise<T>): Promise<T> {
    this.#groups++;
    try {
      return await fn();
    } finally {
      this.#groups--;
      if (!this.#groups) this.#sync();
    }
  }

  #sync(): void {
    clearTimeout(this.#syncTimer);
    this.#syncTimer = undefined;
    if (this.#fd !== undefined) fsyncSync(this.#fd);
  }

  close(): void {
    if (this.#fd === undefined) return;
    this.#sync();
    closeSync(this.#fd);
    this.#fd = undefined;
  }
}
