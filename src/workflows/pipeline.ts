import { LIST_ALL_MAX_ITEMS } from '../facts.js';
import { type IrOperation, operationFor } from '../openapi/ir.js';
import { callOperation, type PipelineDeps } from '../tools/call-operation.js';
import type { CallMeta } from '../tools/types.js';

type J = Record<string, any>;

/** What a workflow sees of one call: the object or page, or the error the pipeline reported. */
export type OpAnswer =
  | { ok: true; status: number; result: J; data: J[]; nextOffset?: number }
  | { ok: false; status?: number; code?: string; scmCode?: string; message: string };

/**
 * Operations by IR key through the one call pipeline (validation, gate, audit, retries): workflows never
 * build a path. A key the catalogue lacks is a bug found at start, not mid-batch.
 */
export class OpRunner {
  readonly #ops: Map<string, IrOperation>;

  readonly #operations: readonly IrOperation[];

  constructor(
    operations: readonly IrOperation[],
    readonly deps: PipelineDeps,
  ) {
    this.#operations = operations;
    this.#ops = new Map(operations.map((o) => [o.key, o]));
  }

  /** The same operations through other deps (a workflow's pre-approved gate). */
  withDeps(deps: PipelineDeps): OpRunner {
    return new OpRunner(this.#operations, deps);
  }

  /** The push operation's key (by its role, not a name). */
  pushKey(): string {
    return operationFor(this.#operations, 'push').key;
  }

  op(key: string): IrOperation {
    const op = this.#ops.get(key);
    if (!op) throw new Error(`workflow needs operation ${key}, which the catalogue does not have`);
    return op;
  }

  has(key: string): boolean {
    return this.#ops.has(key);
  }

  /** Every `*Rule.move` operation key. */
  moveKeys(): string[] {
    return [...this.#ops.keys()].filter((k) => /Rule\.move$/.test(k));
  }

  async call(key: string, args: J, meta: CallMeta = {}, deps: PipelineDeps = this.deps): Promise<OpAnswer> {
    const res = await callOperation(this.op(key), args, deps, meta);
    const s = (res.structuredContent ?? {}) as J;
    if (res.isError || s.error) {
      const e = (s.error ?? {}) as J;
      return {
        ok: false,
        ...(typeof e.status === 'number' ? { status: e.status } : {}),
        ...(e.code ? { code: String(e.code) } : {}),
        ...(e.scm_code ? { scmCode: String(e.scm_code) } : {}),
        message: String(e.message ?? s.status ?? 'refused'),
      };
    }
    return {
      ok: true,
      status: Number(s.status ?? 200),
      result: (s.result ?? {}) as J,
      data: Array.isArray(s.data) ? s.data : [],
      ...(typeof s.next_offset === 'number' ? { nextOffset: s.next_offset } : {}),
    };
  }

  /**
   * Every item of a list (all pages, up to LIST_ALL_MAX_ITEMS); throws an Error with the pipeline's message.
   * `all: true` answers up to the result budget with `next_offset`: followed until there is none.
   */
  async list(key: string, args: J, meta: CallMeta = {}): Promise<J[]> {
    const items: J[] = [];
    let offset: number | undefined = typeof args.offset === 'number' ? args.offset : undefined;
    do {
      const a = await this.call(
        key,
        { ...args, all: true, ...(offset !== undefined ? { offset } : {}) },
        meta,
      );
      if (!a.ok) throw new Error(`${key} failed: ${a.message}`);
      items.push(...a.data);
      offset = a.data.length ? a.nextOffset : undefined;
    } while (offset !== undefined && items.length < LIST_ALL_MAX_ITEMS);
    return items;
  }

  /** The object of that exact name in the folder (its own, not inherited), or undefined. 404 means none. */
  async findByName(
    key: string,
    folder: string,
    name: string,
    extra: J = {},
    meta: CallMeta = {},
  ): Promise<J | undefined> {
    const a = await this.call(key, { folder, name, ...extra }, meta);
    if (!a.ok) {
      if (a.status === 404) return undefined;
      throw new Error(`${key} by name failed: ${a.message}`);
    }
    const hits = a.data.length ? a.data : a.result && a.result.name ? [a.result] : [];
    return hits.find((o) => o.name === name && (o.folder === undefined || o.folder === folder));
  }
}

/** A failure after which the server may or may not have acted (no answer, or a 5xx). */
export const isAmbiguous = (a: OpAnswer) => !a.ok && (a.status === undefined || a.status >= 500);

/** The arguments an operation accepts, picked from an object read back (drops id, folder and read-only fields). */
export function inputsFrom(op: IrOperation, obj: J, keep: string[] = []): J {
  const names = new Set(op.inputs.filter((i) => i.source === 'body').map((i) => i.name));
  return Object.fromEntries(Object.entries(obj).filter(([k]) => names.has(k) || keep.includes(k)));
}
