import { CANDIDATE_RESETS } from '../openapi/ir.js';
import type { JobWithChildren } from '../scm/jobs.js';
import type { AuditRecord, AuditSink } from '../tools/types.js';

/** One change made through this server to the candidate configuration. */
export interface JournalEntry {
  /** Order of recording: a push covers the entries recorded before it. */
  seq: number;
  at: string;
  tool: string;
  /** `address.create` -> resource `address`, action `create`. */
  resource: string;
  action: string;
  name?: string;
  id?: string;
  folder?: string;
  /** The object before an update, delete or move (read through the IR get operation), and after it. */
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** A move: where the object went (`top`, `before` a rule, ...). */
  move?: {
    destination?: string;
    destination_rule?: string;
    destination_rule_name?: string;
    rulebase?: string;
  };
}

/** A push the API accepted, not yet known to have finished: its folders and the entries it covers. */
interface InFlightPush {
  folders: string[];
  upTo: number;
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Does a push of these folders publish this entry? Entries of unknown folder go with every push. */
export const coveredBy = (e: Pick<JournalEntry, 'folder'>, folders: readonly string[]) =>
  !folders.length || !e.folder || folders.includes(e.folder);

/**
 * The candidate changes made through this server since the last successful push, per folder, in memory: for
 * approval prompts ("what will this push publish") and the approval fingerprint. Fed as an audit sink from
 * outcomes. A push only says its job was accepted, so its entries stay until the job is known to have ended
 * FIN/OK (the push-wait job record, or a later job read through settle); a push that fails keeps them.
 * Changes made elsewhere (the SCM UI, other tools) are not known here.
 */
export class ChangeJournal implements AuditSink {
  readonly #entries: JournalEntry[] = [];
  readonly #names = new Map<string, { name?: string; folder?: string }>();
  readonly #before = new Map<string, Record<string, unknown>>();
  readonly #inFlight = new Map<string, InFlightPush>();
  readonly #now: () => number;
  readonly #max: number;
  #seq = 0;

  constructor(opts: { now?: () => number; max?: number } = {}) {
    this.#now = opts.now ?? Date.now;
    this.#max = opts.max ?? 500;
  }

  write(record: AuditRecord): void {
    if (record.phase === 'job' && record.jobId && this.#inFlight.has(record.jobId)) {
      this.settle(record.jobId, record.outcome === 'ok');
      return;
    }
    if (record.phase !== 'outcome' || record.outcome !== 'ok') return;
    if (record.role === 'push') {
      const folders = Array.isArray(record.args.folders) ? record.args.folders.map(String) : [];
      if (record.jobId) this.#inFlight.set(record.jobId, { folders, upTo: this.#seq });
      return;
    }
    // Discard or load replaces the whole candidate: the journal starts again.
    if (record.role && CANDIDATE_RESETS.has(record.role)) return this.clear();
    // Deploy calls that change no candidate object.
    if (record.role === 'enable') return;
    const [resource = record.key, action = ''] = record.key.split('.');
    const before = record.callId ? this.#before.get(record.callId) : undefined;
    if (record.callId) this.#before.delete(record.callId);
    const id = text(record.args.id);
    const known = id ? this.#names.get(id) : undefined;
    const name = text(record.args.name) ?? text(before?.name) ?? known?.name;
    const folder = text(record.args.folder) ?? text(before?.folder) ?? text(before?.snippet) ?? known?.folder;
    const move =
      action === 'move'
        ? Object.fromEntries(
            ['destination', 'destination_rule', 'rulebase']
              .filter((k) => text(record.args[k]))
              .map((k) => [k, String(record.args[k])]),
          )
        : undefined;
    if (move?.destination_rule) {
      const dest = this.#names.get(move.destination_rule)?.name;
      if (dest) move.destination_rule_name = dest;
    }
    this.#entries.push({
      seq: ++this.#seq,
      at: new Date(this.#now()).toISOString(),
      tool: record.tool,
      resource,
      action,
      ...(name ? { name } : {}),
      ...(id ? { id } : {}),
      ...(folder ? { folder } : {}),
      ...(before ? { before } : {}),
      ...(move ? { move } : {}),
      ...(record.callId ? { callId: record.callId } : {}),
    } as JournalEntry);
    if (this.#entries.length > this.#max) this.#entries.splice(0, this.#entries.length - this.#max);
  }

  /** The object as it was before the call `callId` changes it (read just before the call). */
  captureBefore(callId: string, object: Record<string, unknown>): void {
    this.#before.set(callId, object);
    const id = text(object.id);
    if (id)
      this.remember(id, { name: text(object.name), folder: text(object.folder) ?? text(object.snippet) });
    if (this.#before.size > 100) this.#before.delete(this.#before.keys().next().value!);
  }

  /** The object as the call `callId` left it (from its result). */
  recordAfter(callId: string, object: unknown): void {
    const entry = this.#entries.findLast((e) => (e as { callId?: string }).callId === callId);
    if (!entry || !isObj(object)) return;
    entry.after = object;
    if (!entry.name && text(object.name)) entry.name = text(object.name);
    if (!entry.id && text(object.id)) entry.id = text(object.id);
    if (!entry.folder && text(object.folder)) entry.folder = text(object.folder);
    if (entry.id) this.remember(entry.id, { name: entry.name, folder: entry.folder });
  }

  /** Names looked up for an approval prompt, so a later delete by id is journalled by name. */
  remember(id: string, info: { name?: string | undefined; folder?: string | undefined }): void {
    this.#names.set(id, {
      ...(info.name ? { name: info.name } : {}),
      ...(info.folder ? { folder: info.folder } : {}),
    });
    if (this.#names.size > 1000) this.#names.delete(this.#names.keys().next().value!);
  }

  /** What an approval lookup found for this object id, if anything. */
  known(id: string): { name?: string; folder?: string } | undefined {
    return this.#names.get(id);
  }

  /** Every change not yet known to be pushed. */
  entries(): JournalEntry[] {
    return this.#entries.map(({ ...e }) => {
      delete (e as { callId?: string }).callId;
      return e;
    });
  }

  /** The changes a push of these folders publishes (all of them for no folders). */
  changesFor(folders: readonly string[]): JournalEntry[] {
    return this.entries().filter((e) => coveredBy(e, folders));
  }

  /** Job ids of accepted pushes whose end is not yet known. */
  inFlight(): string[] {
    return [...this.#inFlight.keys()];
  }

  /** A push job ended: on success its folders' changes (as of the push) are published; on failure they stay. */
  settle(jobId: string, ok: boolean): void {
    const push = this.#inFlight.get(jobId);
    if (!push) return;
    this.#inFlight.delete(jobId);
    if (!ok) return;
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const e = this.#entries[i]!;
      if (e.seq <= push.upTo && coveredBy(e, push.folders)) this.#entries.splice(i, 1);
    }
  }

  /** Reads the jobs of in-flight pushes and settles those that ended; unreadable ones stay in flight. */
  async settleInFlight(read: (jobId: string) => Promise<JobWithChildren>): Promise<void> {
    for (const jobId of this.inFlight()) {
      try {
        const job = await read(jobId);
        if (job.done) this.settle(jobId, job.ok);
      } catch {
        // Still unknown: the changes stay listed, which is the safe side.
      }
    }
  }

  clear(): void {
    this.#entries.length = 0;
    this.#inFlight.clear();
  }
}

/** One audit sink that forwards to several (file log, change journal). A failing sink stops the call. */
export function fanOut(...sinks: AuditSink[]): AuditSink {
  return {
    async write(record) {
      await Promise.all(sinks.map(async (sink) => sink.write(record)));
    },
  };
}
