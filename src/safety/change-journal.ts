import { CANDIDATE_RESETS } from '../openapi/ir.js';
import type { AuditRecord, AuditSink } from '../tools/types.js';

/** One change made through this server to the candidate configuration. */
export interface JournalEntry {
  at: string;
  tool: string;
  /** `address.create` -> resource `address`, action `create`. */
  resource: string;
  action: string;
  name?: string;
  id?: string;
  folder?: string;
}


const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The candidate changes made through this server since the last push, kept in memory for approval prompts
 * ("what will this push publish"). Fed as an audit sink from successful outcomes; changes made elsewhere (the
 * SCM UI, other tools) are not known here.
 */
export class ChangeJournal implements AuditSink {
  readonly #entries: JournalEntry[] = [];
  readonly #names = new Map<string, { name?: string; folder?: string }>();
  readonly #now: () => number;
  readonly #max: number;

  constructor(opts: { now?: () => number; max?: number } = {}) {
    this.#now = opts.now ?? Date.now;
    this.#max = opts.max ?? 500;
  }

  write(record: AuditRecord): void {
    if (record.phase !== 'outcome' || record.outcome !== 'ok') return;
    // A push, discard or load replaces or publishes the whole candidate: the journal starts again.
    if (record.role && CANDIDATE_RESETS.has(record.role)) {
      this.clear();
      return;
    }
    // Deploy calls that change no candidate object.
    if (record.role === 'enable') return;
    const [resource = record.key, action = ''] = record.key.split('.');
    const id = text(record.args.id);
    const known = id ? this.#names.get(id) : undefined;
    const name = text(record.args.name) ?? known?.name;
    const folder = text(record.args.folder) ?? known?.folder;
    this.#entries.push({
      at: new Date(this.#now()).toISOString(),
      tool: record.tool,
      resource,
      action,
      ...(name ? { name } : {}),
      ...(id ? { id } : {}),
      ...(folder ? { folder } : {}),
    });
    if (this.#entries.length > this.#max) this.#entries.splice(0, this.#entries.length - this.#max);
  }

  /** Names looked up for an approval prompt, so a later delete by id is journalled by name. */
  remember(id: string, info: { name?: string; folder?: string }): void {
    this.#names.set(id, info);
    if (this.#names.size > 1000) this.#names.delete(this.#names.keys().next().value!);
  }

  /** What an approval lookup found for this object id, if anything. */
  known(id: string): { name?: string; folder?: string } | undefined {
    return this.#names.get(id);
  }

  entries(): JournalEntry[] {
    return [...this.#entries];
  }

  clear(): void {
    this.#entries.length = 0;
  }
}

/** One audit sink that forwards to several (file log, change journal). A failing sink stops the call. */
export function fanOut(...sinks: AuditSink[]): AuditSink {
  return {
    async write(record) {
      await Promise.all(sinks.map((sink) => sink.write(record)));
    },
  };
}
