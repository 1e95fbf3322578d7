import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { jsonResult } from '../tools/to-tool-result.js';
import type { CallMeta } from '../tools/types.js';
import { approveBatch } from './approval.js';
import type { Snapshot } from './block-plan.js';
import { classificationView, MAX_INDICATORS, normalisedBatch } from './indicators-block.js';
import { type Indicator, classifyIndicators, keyOfAddress } from './indicators.js';
import {
  capped,
  checkFolder,
  errorResult,
  listOf,
  parseArgs,
  WRITE_CONCURRENCY,
  type WorkflowDeps,
} from './kit.js';
import { eachLimited } from './lock.js';
import { groupIndex, MANAGED } from './managed.js';
import { inputsFrom, type OpRunner } from './pipeline.js';
import { pushAndWait } from './push.js';
import { readSnapshot } from './snapshot.js';

export const UNBLOCK_TOOL = 'indicators_unblock';

export const unblockSchema = z
  .object({
    indicators: listOf(z.string(), MAX_INDICATORS).describe(
      'The indicators to unblock (same forms as indicators_block).',
    ),
    folder: z.string().min(1).default('Shared').describe('Folder (default Shared).'),
    reason: z.string().max(200).optional(),
    ticket: z.string().max(100).optional(),
    push: z.boolean().optional().describe('Also push the folder (covered by the same approval).'),
    wait: z.boolean().optional(),
    dry_run: z.boolean().optional(),
    confirm: z.boolean().optional(),
    approval_token: z.string().optional(),
  })
  .strict();

type J = Record<string, any>;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

interface UnblockPlan {
  /** Managed group -> members to remove. */
  groups: { name: string; id: string; remove: string[]; left: number }[];
  category?: { name: string; id: string; remove: string[] };
  /** Managed address objects (our names) that nothing else references: deleted. */
  deletes: { name: string; id: string; input: string }[];
  /** Objects kept, with who still uses them. */
  kept: { name: string; input: string; used_by: string[] }[];
  notBlocked: Indicator[];
  toUnblock: Indicator[];
  writes: number;
}

function planUnblock(indicators: Indicator[], snap: Snapshot, usedBy: Map<string, string[]>): UnblockPlan {
  const own = (o: J) => o.folder === undefined || o.folder === snap.folder;
  const groups = snap.groups.filter((g) => own(g) && groupIndex(String(g.name)) !== undefined);
  const cat = snap.categories.find((c) => own(c) && c.name === MANAGED.category);
  const byKey = new Map<string, J>();
  for (const a of snap.addresses) {
    const k = keyOfAddress(a);
    if (k && !byKey.has(k)) byKey.set(k, a);
  }
  const removeFrom = new Map<string, string[]>();
  const catRemove: string[] = [];
  const deletes: UnblockPlan['deletes'] = [];
  const kept: UnblockPlan['kept'] = [];
  const toUnblock: Indicator[] = [];
  const notBlocked: Indicator[] = [];
  for (const ind of indicators) {
    let found = false;
    const addr = ind.addressField ? byKey.get(ind.key) : undefined;
    if (addr) {
      for (const g of groups)
        if (strings(g.static).includes(addr.name)) {
          removeFrom.set(g.name, [...(removeFrom.get(g.name) ?? []), addr.name]);
          found = true;
        }
      // Only objects this server made (its name and tag) are deleted, and only when nothing else uses them.
      const ours = addr.name === ind.name && strings(addr.tag).includes(MANAGED.tag) && own(addr);
      const users = usedBy.get(addr.name) ?? [];
      if (ours && !users.length) {
        deletes.push({ name: addr.name, id: addr.id, input: ind.input });
        found = true;
      } else if (ours) kept.push({ name: addr.name, input: ind.input, used_by: users });
    }
    if (ind.urlEntry && cat && strings(cat.list).includes(ind.urlEntry)) {
      catRemove.push(ind.urlEntry);
      found = true;
    }
    (found ? toUnblock : notBlocked).push(ind);
  }
  const groupSteps = groups
    .filter((g) => removeFrom.has(g.name))
    .map((g) => ({
      name: g.name,
      id: g.id,
      remove: removeFrom.get(g.name)!,
      left: strings(g.static).length - removeFrom.get(g.name)!.length,
    }));
  return {
    groups: groupSteps,
    ...(cat && catRemove.length ? { category: { name: cat.name, id: cat.id, remove: catRemove } } : {}),
    deletes,
    kept,
    notBlocked,
    toUnblock,
    writes: groupSteps.length + (catRemove.length ? 1 : 0) + deletes.length,
  };
}

function planView(p: UnblockPlan) {
  return {
    groups: p.groups.map((g) => ({
      name: g.name,
      remove: g.remove.length,
      members_after: g.left,
      ...(g.left === 0
        ? {
            note: 'the group becomes empty; the managed rules keep referencing it (run config_check before a push)',
          }
        : {}),
    })),
    ...(p.category ? { url_category: { name: p.category.name, remove: p.category.remove.length } } : {}),
    deletes: {
      count: p.deletes.length,
      ...capped(
        p.deletes.map((d) => d.name),
        20,
      ),
    },
    kept: capped(p.kept, 20),
    rules: 'managed deny rules are kept',
    writes: p.writes,
  };
}

/** indicators_unblock: remove from the managed group and category, delete our objects nobody else uses; keep rules. */
export async function runUnblock(w: WorkflowDeps, raw: unknown, meta: CallMeta): Promise<CallToolResult> {
  const parsed = parseArgs(UNBLOCK_TOOL, unblockSchema, raw, w.environment);
  if (!parsed.ok) return parsed.result;
  const args = parsed.args;
  const badFolder = await checkFolder(w, UNBLOCK_TOOL, args.folder);
  if (badFolder) return badFolder;
  const c = classifyIndicators(args.indicators, { allowBroad: true });
  const head = { environment: w.environment, workflow: UNBLOCK_TOOL, folder: args.folder };
  let plan: UnblockPlan;
  try {
    const snap = await readSnapshot(w.run, args.folder, meta);
    const managed = new Set([
      ...snap.groups.filter((g) => groupIndex(String(g.name)) !== undefined).map((g) => String(g.name)),
    ]);
    const names = c.valid.map((i) => i.name);
    const usedBy = await w.oracle.usersOf(args.folder, names, managed);
    plan = planUnblock(c.valid, snap, usedBy);
  } catch (err) {
    return errorResult(
      w,
      UNBLOCK_TOOL,
      `reading the folder failed: ${(err as Error).message}`,
      'Nothing was sent.',
    );
  }
  const counts = {
    given: args.indicators.length,
    valid: c.valid.length,
    to_unblock: plan.toUnblock.length,
    not_blocked: plan.notBlocked.length,
    invalid: c.invalid.length,
    duplicates: c.duplicates.length,
  };
  const preview = { ...head, counts, ...classificationView(c), changes: planView(plan) };
  if (args.dry_run) return jsonResult({ ...preview, status: 'dry_run', executed: false });
  if (plan.writes === 0 && !args.push)
    return jsonResult({ ...preview, status: 'nothing_to_do', executed: false, writes: 0 });

  // Deletes and the push are gated; this batch's approval covers them, and only them.
  const approval = await approveBatch(
    w,
    {
      tool: UNBLOCK_TOOL,
      key: 'workflow.indicatorsUnblock',
      safety: args.push ? 'deploy' : 'destructive',
      verb: 'unblock',
      noun: `${plan.toUnblock.length} indicator(s)`,
      folder: args.folder,
      batch: normalisedBatch({ ...args, direction: 'both' }, c, UNBLOCK_TOOL),
      details: [
        `Unblock ${plan.toUnblock.length} indicator(s) in folder ${args.folder}; ${plan.notBlocked.length} were not blocked.`,
        ...plan.groups.map((g) => `Group ${g.name}: remove ${g.remove.length} member(s), ${g.left} left.`),
        ...(plan.category
          ? [`URL category ${plan.category.name}: remove ${plan.category.remove.length} entr(ies).`]
          : []),
        `Delete ${plan.deletes.length} address object(s) made by this server that nothing else uses; keep ${plan.kept.length} still in use. The managed deny rules stay.`,
        args.push ? `Then push folder ${args.folder}.` : 'Candidate only: takes effect at the next push.',
      ],
      caller: args,
      auditArgs: {
        folder: args.folder,
        indicator_count: c.valid.length,
        ...(args.reason ? { reason: args.reason } : {}),
        ...(args.ticket ? { ticket: args.ticket } : {}),
      },
      gatedKeys: ['address.delete'],
    },
    meta,
  );
  if (!approval.approved)
    return jsonResult({ ...preview, ...approval.structured, executed: false }, approval.isError);
  const run = approval.run;
  const failed = new Map<string, string>();
  const inputsOf = new Map<string, string[]>();
  for (const i of plan.toUnblock) inputsOf.set(i.name, [...(inputsOf.get(i.name) ?? []), i.input]);
  let writes = 0;
  const removedFromGroups = new Set<string>();
  await w.lock.run(w.tsgId, async () => {
    for (const g of plan.groups) {
      const r = await removeMembers(run, meta, 'addressGroup', g.id, 'static', g.remove);
      writes += r.writes;
      for (const m of g.remove)
        if (r.left.includes(m))
          for (const i of inputsOf.get(m) ?? [m])
            failed.set(i, `still in group ${g.name}: ${r.error ?? 'present after update'}`);
        else removedFromGroups.add(m);
    }
    if (plan.category) {
      const r = await removeMembers(run, meta, 'urlCategory', plan.category.id, 'list', plan.category.remove);
      writes += r.writes;
      for (const i of plan.toUnblock)
        if (i.urlEntry && r.left.includes(i.urlEntry))
          failed.set(i.input, `still in URL category: ${r.error ?? 'present after update'}`);
    }
  });
  const pendingRemoval = new Set(plan.groups.flatMap((g) => g.remove));
  await eachLimited(
    plan.deletes.filter((d) => !pendingRemoval.has(d.name) || removedFromGroups.has(d.name)),
    w.concurrency ?? WRITE_CONCURRENCY,
    async (d) => {
      const r = await run.call('address.delete', { id: d.id }, meta);
      writes++;
      // Gone already (a re-run after a lost answer) is fine.
      if (!r.ok && r.status !== 404)
        failed.set(d.input, `unblocked, but address ${d.name} was not deleted: ${r.message}`);
    },
  );
  const notDone = plan.toUnblock
    .filter((i) => failed.has(i.input))
    .map((i) => ({ input: i.input, reason: failed.get(i.input)! }));
  const pushed =
    args.push && !notDone.length
      ? await pushAndWait(w, run, args.folder, args.wait === true, meta)
      : undefined;
  return jsonResult(
    {
      ...head,
      status: notDone.length ? 'partial' : 'done',
      executed: true,
      approved_by: approval.approvedBy,
      batch_sha256: approval.batchSha256,
      counts: { ...counts, done: plan.toUnblock.length - notDone.length, not_done: notDone.length },
      not_done: capped(notDone, 100),
      writes,
      changes: planView(plan),
      ...(pushed ? { push: pushed } : {}),
      hint: notDone.length
        ? 'Call indicators_unblock again with the same indicators to finish.'
        : 'Unblocked in the candidate. Push the folder for it to take effect.',
    },
    notDone.length > 0,
  );
}

/** Read-modify-write removing members, then a re-read: returns the ones still there. */
async function removeMembers(
  run: OpRunner,
  meta: CallMeta,
  resource: string,
  id: string,
  field: string,
  remove: string[],
) {
  const got = await run.call(`${resource}.get`, { id }, meta);
  if (!got.ok) return { writes: 0, left: remove, error: got.message };
  const now = strings(got.result[field]);
  const after = now.filter((m) => !remove.includes(m));
  let writes = 0;
  let error: string | undefined;
  if (after.length !== now.length) {
    const u = await run.call(
      `${resource}.update`,
      { ...inputsFrom(run.op(`${resource}.update`), got.result), id, [field]: after },
      meta,
    );
    writes++;
    if (!u.ok) error = u.message;
  }
  const check = await run.call(`${resource}.get`, { id }, meta);
  if (!check.ok) return { writes, left: remove, error: check.message };
  const final = strings(check.result[field]);
  return { writes, left: remove.filter((m) => final.includes(m)), ...(error ? { error } : {}) };
}
