import type { IrOperation } from '../openapi/ir.js';
import { callOperation, type PipelineDeps } from '../tools/call-operation.js';
import { type Item, OBJECT_KINDS, ownerOf, type Position, RULE_KIND, type SnapshotData } from './snapshot.js';

// SCM clamps limit to 5000 without saying so: ask exactly that, and a shorter page means the end.
const PAGE = 5000;
// Lists read at once: enough to load a folder quickly, few enough not to look like a burst to the API.
const CONCURRENCY = 4;

/** A list the policy layer could not read: the operation and what the API said. */
export class PolicyLoadError extends Error {
  readonly code = 'SNAPSHOT_LOAD_FAILED';
  constructor(
    readonly operation: string,
    message: string,
    readonly hint?: string,
  ) {
    super(`${operation}: ${message}`);
  }
}

/** Every page of one list operation, read through the one call pipeline (validation, client, retries). */
async function readAll(op: IrOperation, args: Record<string, unknown>, deps: PipelineDeps): Promise<Item[]> {
  const out: Item[] = [];
  for (let offset = 0; ;) {
    const res = await callOperation(op, { ...args, limit: PAGE, offset }, deps);
    const sc = res.structuredContent as
      { data?: unknown; total?: unknown; error?: { message?: string }; hint?: string } | undefined;
    if (res.isError || !Array.isArray(sc?.data))
      throw new PolicyLoadError(op.key, sc?.error?.message ?? 'no list in the answer', sc?.hint);
    const page = sc.data.filter((x): x is Item => !!x && typeof x === 'object');
    out.push(...page);
    offset += sc.data.length;
    const total = typeof sc.total === 'number' ? sc.total : undefined;
    if (sc.data.length < PAGE || (total !== undefined && offset >= total)) return out;
  }
}

async function inBatches<T>(tasks: Array<() => Promise<T>>, n: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, worker));
  return out;
}

/**
 * Loads what evaluation needs for `folder` (chain: Shared first, the folder last): every object kind as the
 * folder sees it (its own and inherited), and each chain folder's own pre and post rules. Operations are found by
 * IR key; kinds this API generation does not serve are listed as missing. Throws PolicyLoadError.
 */
export async function loadSnapshot(
  folder: string,
  chain: string[],
  operations: readonly IrOperation[],
  deps: PipelineDeps,
  now: () => number = Date.now,
): Promise<SnapshotData> {
  const byKey = new Map(operations.map((o) => [o.key, o]));
  const missing: string[] = [];
  const tasks: Array<() => Promise<void>> = [];
  const data: SnapshotData = { folder, chain, objects: {}, rules: {}, missing, loadedAt: 0 };
  for (const kind of OBJECT_KINDS) {
    const op = byKey.get(`${kind}.list`);
    if (!op) {
      missing.push(kind);
      continue;
    }
    tasks.push(async () => {
      data.objects[kind] = await readAll(op, { folder }, deps);
    });
  }
  const ruleOp = byKey.get(`${RULE_KIND}.list`);
  if (!ruleOp) throw new PolicyLoadError(`${RULE_KIND}.list`, 'this API has no security rule list operation');
  for (const f of chain) {
    data.rules[f] = { pre: [], post: [] };
    for (const position of ['pre', 'post'] as Position[])
      tasks.push(async () => {
        const items = await readAll(ruleOp, { folder: f, position }, deps);
        // A folder's list includes its ancestors' rules: keep the ones it defines itself.
        data.rules[f]![position] = items.filter((r) => (ownerOf(r) ?? f) === f);
      });
  }
  await inBatches(tasks, CONCURRENCY);
  data.loadedAt = now();
  return data;
}
