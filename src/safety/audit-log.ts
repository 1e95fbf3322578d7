import { createHash } from 'node:crypto';
import { close, constants, fdatasync, fstatSync, mkdirSync, open, openSync, rename, write } from 'node:fs';
import { promisify } from 'node:util';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { redactDeep, redactSecrets } from '../secrets.js';
import type { IrOperation } from '../openapi/ir.js';
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
  // The unified API's push names its folders `folder`, a list.
  if (Array.isArray(args.folder)) return args.folder.map(String).join(', ');
  return undefined;
}

export const AUDIT_DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
export const AUDIT_DEFAULT_KEEP = 5;
// A text longer than this is logged as its length and hash; so is a whole argument longer than ARG_CAP.
const TEXT_CAP = 1024;
const ARG_CAP = 4096;

const capped = (text: string) =>
  `[capped: ${text.length} characters, sha256 ${createHash('sha256').update(text).digest('hex')}]`;

function capTexts(value: unknown): unknown {
  if (typeof value === 'string') return value.length > TEXT_CAP ? capped(value) : value;
  if (Array.isArray(value)) return value.map(capTexts);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, capTexts(v)]),
    );
  }
  return value;
}

/** Arguments as logged: long texts and big arguments replaced by their length and sha256 (bounded lines). */
export function capArgs(args: unknown): unknown {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return capTexts(args);
  return Object.fromEntries(
    Object.entries(args as Record<string, unknown>).map(([k, v]) => {
      const small = capTexts(v);
      const json = JSON.stringify(small) ?? '';
      return [k, json.length > ARG_CAP ? capped(json) : small];
    }),
  );
}
// Outcomes of calls that sent nothing: nobody approved anything.
const NOT_RUN = new Set(['refused', 'preview', 'pending']);

/** One audit record as the JSON line written to the file. */
export function auditLine(
  record: AuditRecord,
  ctx: AuditContext,
  time: Date,
  folderFor?: (args: Record<string, unknown>) => string | undefined,
  op?: Pick<IrOperation, 'inputs'>,
): string {
  const line = {
    time: time.toISOString(),
    phase: record.phase,
    call_id: record.callId,
    client: record.clientName ?? null,
    environment: ctx.environment,
    tsg: record.tsgId ?? ctx.tsgId,
    tool: record.tool,
    key: record.key,
    folder: folderOf(record.args) ?? folderFor?.(record.args) ?? null,
    args: capArgs(redactArgs(record.args, op)),
    approval_mode: ctx.approvalMode,
    // Writes are not gated: they change the candidate only and need a push (which is).
    approved_by:
      record.approvedBy ??
      (record.phase === 'job' ||
      record.phase === 'decision' ||
      (record.outcome && NOT_RUN.has(record.outcome))
        ? null
        : 'not gated'),
    outcome: record.outcome ?? null,
    status: record.status ?? null,
    request_id: record.requestId ?? null,
    job_id: record.jobId ?? null,
    ...(record.jobStatus ? { job_status: record.jobStatus } : {}),
    ...(record.approvalId ? { approval_id: record.approvalId } : {}),
    ...(record.decidedBy ? { decided_by: record.decidedBy } : {}),
    ...(record.error ? { error: record.error } : {}),
    ...(record.note ? { note: record.note } : {}),
  };
  return `${redactSecrets(JSON.stringify(redactDeep(line)))}\n`;
}

const writeFd = promisify(write);
const datasyncFd = promisify(fdatasync);
const closeFd = promisify(close);
const renameFile = promisify(rename);
// O_DSYNC: a write returns once its bytes (and the size that reaches them) are on disk, so a batch costs the
// event loop one call instead of a write and an fsync. On Linux each crossing into the thread pool costs about as much
// as the rest of a create's own work.
const APPEND_DURABLY = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_DSYNC;
const TRUNCATE_DURABLY = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_DSYNC;
// The same file without O_DSYNC, for outcome lines: written (and so kept through a crash of this process) before
// the answer, on disk with the kernel's writeback or the next close, without a disk wait in every write call.
const APPEND = constants.O_WRONLY | constants.O_APPEND;

/** Lines a call waits on the disk for: the intent before its request leaves, a person's decision, a job's end. */
const isDurable = (r: AuditRecord) => r.phase !== 'outcome';
const openFile = promisify(open);

export interface FileAuditLogOptions {
  now?: () => number;
  /** Names the folder of a call that does not say it (a delete by id, looked up for its approval). */
  folderFor?: (args: Record<string, unknown>) => string | undefined;
  /** The IR: fields it marks secret are redacted (the name heuristic covers the rest). */
  operations?: readonly IrOperation[];
  /** Rotate when the file would grow past this (default 50 MB). */
  maxBytes?: number;
  /** Rotated files kept: audit.log.1 (newest) .. audit.log.N (default 5). */
  keep?: number;
}

interface Pending {
  line: string;
  durable: boolean;
  done: (err?: Error) => void;
}

/**
 * The audit log: one JSON line per record, appended. write() of an intent, a decision or a job line resolves once the
 * line is on disk (O_DSYNC), and the pipeline awaits it before sending, so a call's intent is on disk before its
 * request leaves; an outcome line resolves once written (a crash of this process keeps it; it reaches the disk with
 * the kernel's writeback or at close), so answering does not wait for a second disk write.
 * Writes are asynchronous and grouped: records that arrive while a batch is being written go out together
 * in one durable write, so one slow disk does not stall other calls. Past maxBytes the file rotates.
 */
export class FileAuditLog implements AuditSink {
  readonly path: string;
  /** Batches written so far (each one durable write). */
  batches = 0;
  readonly #ctx: AuditContext;
  readonly #now: () => number;
  readonly #folderFor: FileAuditLogOptions['folderFor'];
  readonly #ops: Map<string, IrOperation>;
  readonly #maxBytes: number;
  readonly #keep: number;
  #fd: number | undefined;
  /** The same file, appended without O_DSYNC (outcome lines). */
  #lazyFd: number | undefined;
  #size: number;
  #queue: Pending[] = [];
  #flushing: Promise<void> | undefined;
  #busy = false;
  #closed = false;

  /** Opens (creating the directories and file, mode 600) at once, so a bad path fails at start-up. */
  constructor(path: string, ctx: AuditContext, opts: FileAuditLogOptions = {}) {
    this.path = path;
    this.#ctx = ctx;
    this.#now = opts.now ?? Date.now;
    this.#folderFor = opts.folderFor;
    this.#ops = new Map((opts.operations ?? []).map((o) => [o.tool, o]));
    this.#maxBytes = opts.maxBytes ?? AUDIT_DEFAULT_MAX_BYTES;
    this.#keep = opts.keep ?? AUDIT_DEFAULT_KEEP;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.#fd = openSync(path, APPEND_DURABLY, 0o600);
    this.#lazyFd = openSync(path, APPEND);
    this.#size = fstatSync(this.#fd).size;
  }

  write(record: AuditRecord): Promise<void> {
    if (this.#closed) return Promise.reject(new Error(`audit log ${this.path} is closed`));
    const line = auditLine(
      record,
      this.#ctx,
      new Date(this.#now()),
      this.#folderFor,
      this.#ops.get(record.tool),
    );
    return new Promise((resolve, reject) => {
      this.#queue.push({
        line,
        durable: isDurable(record),
        done: (err) => (err ? reject(err) : resolve()),
      });
      if (!this.#busy) {
        this.#busy = true;
        this.#flushing = this.#flush();
      }
    });
  }

  /** Writes whatever is queued, batch after batch, until the queue is empty. */
  async #flush(): Promise<void> {
    while (this.#queue.length) {
      const batch = this.#queue;
      this.#queue = [];
      try {
        const data = Buffer.from(batch.map((p) => p.line).join(''));
        if (this.#size > 0 && this.#size + data.length > this.#maxBytes) await this.#rotate();
        // One durable line makes the whole batch go through the O_DSYNC descriptor; same file, same order.
        const fd = batch.some((p) => p.durable) ? this.#fd : this.#lazyFd;
        if (fd === undefined) throw new Error(`audit log ${this.path} is closed`);
        let off = 0;
        while (off < data.length) off += (await writeFd(fd, data, off, data.length - off)).bytesWritten;
        this.#size += data.length;
        this.batches++;
        for (const p of batch) p.done();
      } catch (err) {
        for (const p of batch) p.done(err instanceof Error ? err : new Error(String(err)));
      }
    }
    // Cleared in the same tick the queue is found empty (no await in between): a later write starts a new flush.
    this.#busy = false;
  }

  /** audit.log -> audit.log.1 -> ... -> audit.log.N (the oldest dropped), then a fresh audit.log. */
  async #rotate(): Promise<void> {
    if (this.#fd !== undefined) await closeFd(this.#fd);
    if (this.#lazyFd !== undefined) {
      await datasyncFd(this.#lazyFd);
      await closeFd(this.#lazyFd);
    }
    this.#fd = this.#lazyFd = undefined;
    const name = (n: number) => (n === 0 ? this.path : `${this.path}.${n}`);
    for (let n = this.#keep; n >= 1; n--) {
      await renameFile(name(n - 1), name(n)).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    }
    // keep 0: no history, the file starts again empty.
    this.#fd = await openFile(this.path, this.#keep === 0 ? TRUNCATE_DURABLY : APPEND_DURABLY, 0o600);
    this.#lazyFd = await openFile(this.path, APPEND);
    this.#size = 0;
  }

  /** Waits for queued lines to reach the disk, then closes the file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#flushing;
    const [fd, lazy] = [this.#fd, this.#lazyFd];
    this.#fd = this.#lazyFd = undefined;
    // Outcome lines reach the disk before the file closes.
    if (lazy !== undefined) {
      await datasyncFd(lazy);
      await closeFd(lazy);
    }
    if (fd !== undefined) await closeFd(fd);
  }
}
