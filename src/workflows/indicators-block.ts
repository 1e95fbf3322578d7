import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { jsonResult } from '../tools/to-tool-result.js';
import type { CallMeta } from '../tools/types.js';
import { approveBatch } from './approval.js';
import { executeBlock } from './block-execute.js';
import { type BlockPlan, planBlock } from './block-plan.js';
import { type Classified, classifyIndicators } from './indicators.js';
import {
  capped,
  checkFolder,
  errorResult,
  listOf,
  parseArgs,
  WRITE_CONCURRENCY,
  type WorkflowDeps,
} from './kit.js';
import { type Direction, GROUP_MEMBER_LIMIT, MANAGED } from './managed.js';
import { pushAndWait } from './push.js';
import { readSnapshot } from './snapshot.js';

export const BLOCK_TOOL = 'indicators_block';
export const MAX_INDICATORS = 5000;

export const blockSchema = z
  .object({
    indicators: listOf(z.string(), MAX_INDICATORS).describe(
      'IPs, CIDRs, ranges (a-b), FQDNs and URLs, mixed; up to 5,000. Invalid and duplicate ones are reported, never stop the batch.',
    ),
    folder: z.string().min(1).default('Shared').describe('Folder to block in (default Shared).'),
    direction: z
      .enum(['both', 'inbound', 'outbound'])
      .default('both')
      .describe('both (default), inbound or outbound.'),
    reason: z.string().max(200).optional().describe('Why: goes into descriptions and the audit log.'),
    ticket: z.string().max(100).optional().describe('Ticket id: goes into descriptions and the audit log.'),
    allow_broad: z
      .boolean()
      .optional()
      .describe('Allow 0.0.0.0/0, prefixes shorter than /16 (v4) or /48 (v6), * and bare TLDs.'),
    push: z
      .boolean()
      .optional()
      .describe('Also push the folder after the change (covered by the same approval).'),
    wait: z.boolean().optional().describe('With push: wait for the push jobs to finish.'),
    dry_run: z.boolean().optional().describe('Only the preview; nothing is sent and nobody is asked.'),
    confirm: z
      .boolean()
      .optional()
      .describe('Set after the user saw the preview: asks the user to approve the whole batch.'),
    approval_token: z
      .string()
      .optional()
      .describe('The token from the preview, when the server handed one out.'),
  })
  .strict();

export type BlockArgs = z.infer<typeof blockSchema>;

/** The batch an approval covers: normalised values (sorted), folder, direction and options. */
export function normalisedBatch(
  args: Pick<BlockArgs, 'folder' | 'direction' | 'reason' | 'ticket' | 'allow_broad' | 'push'>,
  c: Classified,
  workflow = BLOCK_TOOL,
) {
  return {
    workflow,
    folder: args.folder,
    direction: args.direction,
    indicators: c.valid.map((i) => i.key).sort(),
    ...(args.reason ? { reason: args.reason } : {}),
    ...(args.ticket ? { ticket: args.ticket } : {}),
    ...(args.allow_broad ? { allow_broad: true } : {}),
    ...(args.push ? { push: true } : {}),
  };
}

/** The classification part of every indicator result: counts and each rejected indicator with why. */
export function classificationView(c: Classified) {
  const warned = c.valid
    .filter((i) => i.warnings.length)
    .map((i) => ({ input: i.input, warnings: i.warnings }));
  const view = (xs: unknown[]) => capped(xs, 100);
  return {
    invalid: view(c.invalid),
    refused: view(c.refused),
    duplicates: view(c.duplicates),
    ...(warned.length ? { warnings: view(warned) } : {}),
  };
}

/** What a person needs to judge the batch: counts, the objects, group members and rules that change. */
export function planView(plan: BlockPlan) {
  const creates = plan.addresses.filter((a) => a.create);
  const reused = plan.addresses.filter((a) => !a.create && a.name !== a.indicator.name);
  return {
    addresses_to_create: {
      count: creates.length,
      ...capped(
        creates.map((a) => `${a.name} = ${a.indicator.value}`),
        20,
      ),
    },
    addresses_reused: {
      count: reused.length,
      ...capped(
        reused.map((a) => `${a.name} (holds ${a.indicator.value})`),
        20,
      ),
    },
    tag: plan.tagCreate ? `create ${MANAGED.tag}` : 'exists or not needed',
    groups: plan.groups
      .filter((g) => g.add.length || g.create)
      .map((g) => ({
        name: g.name,
        action: g.create ? 'create' : 'update',
        add: g.add.length,
        members_after: g.current.length + g.add.length,
      })),
    ...(plan.category && plan.category.add.length
      ? {
          url_category: {
            name: plan.category.name,
            action: plan.category.create ? 'create' : 'update',
            add: plan.category.add.length,
            ...capped(plan.category.add, 20),
          },
        }
      : {}),
    rules: plan.rules.map((r) => ({
      name: r.name,
      action: r.create ? 'create at the top of pre' : r.update ? `add ${r.field} references` : 'unchanged',
      [r.field]: r.want,
      ...(r.notAtTop ? { note: 'exists below other rules; left in place (rules are never reordered)' } : {}),
    })),
    writes: plan.writes,
  };
}

function personLines(
  plan: BlockPlan,
  c: Classified,
  push: boolean,
  allowAbove: number | 'unknown',
): string[] {
  const v = planView(plan);
  return [
    `Block ${plan.toBlock.length} indicator(s) in folder ${plan.folder} (direction ${plan.direction}); ${plan.alreadyBlocked.length} already blocked; ${c.invalid.length} invalid, ${c.refused.length} refused as too broad, ${c.duplicates.length} duplicate(s) skipped.`,
    `Address objects to create: ${v.addresses_to_create.count}; reused: ${v.addresses_reused.count}.`,
    ...v.groups.map((g) => `Group ${g.name}: ${g.action}, +${g.add} member(s).`),
    ...(v.url_category
      ? [`URL category ${v.url_category.name}: ${v.url_category.action}, +${v.url_category.add} entr(ies).`]
      : []),
    ...v.rules.filter((r) => r.action !== 'unchanged').map((r) => `Deny rule ${r.name}: ${r.action}.`),
    ...(allowAbove === 'unknown'
      ? ['Warning: earlier allow rules could not be checked (the policy snapshot could not be read).']
      : allowAbove
        ? [
            `Warning: ${allowAbove} indicator(s) match or may match an allow rule evaluated before the deny rule (see the preview).`,
          ]
        : []),
    push
      ? `Then push folder ${plan.folder}: the change goes live.`
      : 'Candidate only: takes effect at the next push.',
  ];
}

/** indicators_block: plan (reads only) -> preview -> one approval -> ensure -> optional push. */
export async function runBlock(w: WorkflowDeps, raw: unknown, meta: CallMeta): Promise<CallToolResult> {
  const parsed = parseArgs(BLOCK_TOOL, blockSchema, raw, w.environment);
  if (!parsed.ok) return parsed.result;
  const args = parsed.args;
  const badFolder = await checkFolder(w, BLOCK_TOOL, args.folder);
  if (badFolder) return badFolder;
  const direction = args.direction as Direction;
  const c = classifyIndicators(args.indicators, { allowBroad: args.allow_broad === true });
  const head = { environment: w.environment, workflow: BLOCK_TOOL, folder: args.folder, direction };

  let plan: BlockPlan;
  let policy;
  try {
    const snap = await readSnapshot(w.run, args.folder, meta);
    plan = planBlock(c.valid, snap, direction, { groupLimit: w.groupLimit ?? GROUP_MEMBER_LIMIT });
    policy = await policyView(w, plan);
  } catch (err) {
    return errorResult(
      w,
      BLOCK_TOOL,
      `reading the folder failed: ${(err as Error).message}`,
      'Nothing was sent. Try again; if it keeps failing, check the folder and the tenant.',
    );
  }
  const counts = {
    given: args.indicators.length,
    valid: c.valid.length,
    new: plan.toBlock.length,
    already_blocked: plan.alreadyBlocked.length,
    ...(plan.notApplicable.length ? { not_applicable_inbound: plan.notApplicable.length } : {}),
    invalid: c.invalid.length,
    refused: c.refused.length,
    duplicates: c.duplicates.length,
  };
  const preview = { ...head, counts, ...classificationView(c), changes: planView(plan), policy };

  if (args.dry_run)
    return jsonResult({
      ...preview,
      status: 'dry_run',
      executed: false,
      note: 'Dry run: nothing was sent and nobody was asked.',
    });
  if (plan.writes === 0 && !args.push)
    return jsonResult({
      ...preview,
      status: 'nothing_to_do',
      executed: false,
      writes: 0,
      note: 'Every valid indicator is already blocked; nothing was sent.',
    });

  const approval = await approveBatch(
    w,
    {
      tool: BLOCK_TOOL,
      key: 'workflow.indicatorsBlock',
      safety: args.push ? 'deploy' : 'destructive',
      verb: 'block',
      noun: `${plan.toBlock.length} indicator(s)`,
      folder: args.folder,
      batch: normalisedBatch(args, c),
      details: personLines(
        plan,
        c,
        args.push === true,
        typeof policy.still_allowed === 'string' ? 'unknown' : policy.still_allowed.length,
      ),
      caller: args,
      auditArgs: {
        folder: args.folder,
        direction,
        indicator_count: c.valid.length,
        ...(args.reason ? { reason: args.reason } : {}),
        ...(args.ticket ? { ticket: args.ticket } : {}),
        ...(args.push ? { push: true } : {}),
      },
    },
    meta,
  );
  if (!approval.approved)
    return jsonResult({ ...preview, ...approval.structured, executed: false }, approval.isError);
  const run = approval.run;
  const exec = await executeBlock(plan, {
    run,
    meta,
    lock: w.lock,
    lockKey: w.tsgId,
    concurrency: w.concurrency ?? WRITE_CONCURRENCY,
    ...(args.reason ? { reason: args.reason } : {}),
    ...(args.ticket ? { ticket: args.ticket } : {}),
  });
  const notDone = plan.toBlock
    .filter((i) => exec.failed.has(i.input))
    .map((i) => ({ input: i.input, reason: exec.failed.get(i.input)! }));
  const done = plan.toBlock.length - notDone.length;
  const pushed = args.push
    ? notDone.length
      ? { skipped: 'not pushed: some indicators are not done; re-run to finish them, then push' }
      : await pushAndWait(w, run, args.folder, args.wait === true, meta)
    : undefined;
  return jsonResult(
    {
      ...head,
      status: notDone.length ? 'partial' : 'done',
      executed: true,
      approved_by: approval.approvedBy,
      batch_sha256: approval.batchSha256,
      counts: { ...counts, done, not_done: notDone.length },
      not_done: capped(notDone, 100),
      writes: exec.writes,
      ...(exec.warnings.length ? { warnings: exec.warnings } : {}),
      ...classificationView(c),
      changes: planView(plan),
      ...(pushed ? { push: pushed } : {}),
      hint: notDone.length
        ? 'Some indicators are not blocked (see not_done). Call indicators_block again with the same indicators: done ones are skipped, the rest is finished.'
        : args.push
          ? 'Blocked and pushed (see push).'
          : 'Blocked in the candidate configuration. Push the folder (config_version_push) for it to take effect.',
    },
    notDone.length > 0,
  );
}

/** Advisory: a policy snapshot that cannot be read says so and does not stop the block. */
async function policyView(w: WorkflowDeps, plan: BlockPlan) {
  const field = plan.direction === 'inbound' ? 'source' : 'destination';
  let check;
  try {
    check = await w.oracle.allowRulesBefore(plan.folder, plan.toBlock, field);
  } catch (err) {
    return {
      still_allowed: 'unknown',
      policy_error: `the policy snapshot could not be read: ${(err as Error).message}`,
    };
  }
  return {
    still_allowed: capped(check.matches, 20).items,
    ...(check.matches.length > 20 ? { still_allowed_more: check.matches.length - 20 } : {}),
    not_evaluated: check.not_evaluated,
  };
}
