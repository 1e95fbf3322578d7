import type { CallMeta } from '../tools/types.js';
import type { BlockPlan, MemberSet, RuleStep } from './block-plan.js';
import { ensureCreated } from './ensure.js';
import { eachLimited, type KeyedLock } from './lock.js';
import { describeManaged, MANAGED } from './managed.js';
import { inputsFrom, type OpRunner } from './pipeline.js';

type J = Record<string, any>;

export interface ExecOptions {
  run: OpRunner;
  meta: CallMeta;
  lock: KeyedLock;
  /** Lock key: the TSG, so two batches on one tenant never interleave a read-modify-write. */
  lockKey: string;
  concurrency: number;
  reason?: string;
  ticket?: string;
}

export interface ExecResult {
  /** Indicator input -> why it is not (fully) blocked. */
  failed: Map<string, string>;
  /** Non-fatal observations (a created rule that could not be moved to the top). */
  warnings: string[];
  writes: number;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** Runs a block plan: tag, addresses (bounded concurrency), groups and category under the lock, then the rules. */
export async function executeBlock(plan: BlockPlan, o: ExecOptions): Promise<ExecResult> {
  const { run, meta, folder } = { ...o, folder: plan.folder };
  const failed = new Map<string, string>();
  const warnings: string[] = [];
  let writes = 0;
  const total = plan.writes || 1;
  const step = async (msg: string) => meta.progress?.(Math.min(writes, total), total, msg).catch(() => {});
  const fail = (input: string, why: string) => {
    if (!failed.has(input)) failed.set(input, why);
  };
  const description = (what: string) => describeManaged(what, o.reason, o.ticket);

  if (plan.tagCreate) {
    const t = await ensureCreated(
      run,
      'tag.create',
      'tag.list',
      folder,
      { folder, name: MANAGED.tag, comments: description('Blocked indicators') },
      () => true,
      meta,
    );
    writes++;
    if (!t.ok)
      warnings.push(`tag ${MANAGED.tag} could not be created (${t.error}); objects are created without it`);
  }
  const tagged = !plan.tagCreate || !warnings.length;

  // Addresses: bounded concurrency; a failed one is reported by indicator and kept out of the groups.
  const creates = plan.addresses.filter((a) => a.create);
  const missing = new Set<string>();
  await eachLimited(creates, o.concurrency, async (a) => {
    const field = a.indicator.addressField!;
    const value = field === 'ip_netmask' && a.indicator.kind === 'ip' ? a.indicator.value : a.indicator.value;
    const r = await ensureCreated(
      run,
      'address.create',
      'address.list',
      folder,
      {
        folder,
        name: a.name,
        [field]: value,
        ...(tagged ? { tag: [MANAGED.tag] } : {}),
        description: description(`Blocked ${a.indicator.kind}`),
      },
      (existing) => existing[field] !== undefined,
      meta,
    );
    writes++;
    if (!r.ok) {
      missing.add(a.name);
      fail(a.indicator.input, `address ${a.name}: ${r.error}`);
    }
    if (writes % 25 === 0) await step(`${writes} of ${total} changes`);
  });

  const inputsOf = new Map<string, string[]>();
  for (const a of plan.addresses) inputsOf.set(a.name, [...(inputsOf.get(a.name) ?? []), a.indicator.input]);
  const urlInputs = new Map(plan.toBlock.filter((i) => i.urlEntry).map((i) => [i.urlEntry!, i.input]));

  // Groups and the category are independent objects: updated side by side, each read-modify-write under the lock.
  await o.lock.run(o.lockKey, async () => {
    const groupSteps = plan.groups.map(async (g) => {
      const add = g.add.filter((m) => !missing.has(m));
      if (!add.length && !g.create) return;
      const r = await updateMembers(run, meta, folder, 'group', g, add, description('Blocked addresses'));
      writes += r.writes;
      for (const m of r.missing)
        for (const input of inputsOf.get(m) ?? [])
          fail(input, `not in group ${g.name}: ${r.error ?? 'missing after update'}`);
      await step(`group ${g.name}`);
    });
    const category = plan.category;
    const categoryStep = async () => {
      if (!category || !category.add.length) return;
      const r = await updateMembers(
        run,
        meta,
        folder,
        'category',
        category,
        category.add,
        description('Blocked URLs and domains'),
      );
      writes += r.writes;
      for (const m of r.missing)
        fail(
          urlInputs.get(m) ?? m,
          `not in URL category ${category.name}: ${r.error ?? 'missing after update'}`,
        );
      await step(`URL category ${category.name}`);
    };
    await Promise.all([...groupSteps, categoryStep()]);
  });

  // Each managed rule is its own object: created (and moved to the top) side by side.
  await Promise.all(
    plan.rules
      .filter((rule) => rule.create || rule.update)
      .map(async (rule) => {
        const r = await ensureRule(
          run,
          meta,
          folder,
          rule,
          description(
            `Deny ${rule.role === 'urls' ? 'blocked URLs' : `${rule.role} traffic of blocked addresses`}`,
          ),
        );
        writes += r.writes;
        if (r.warning) warnings.push(r.warning);
        if (r.error) {
          const affected = plan.toBlock.filter((i) =>
            rule.role === 'urls' ? !!i.urlEntry && !i.addressField : !!i.addressField,
          );
          for (const i of affected) fail(i.input, `rule ${rule.name}: ${r.error}`);
        }
        await step(`rule ${rule.name}`);
      }),
  );
  return { failed, warnings, writes };
}

interface MemberOutcome {
  writes: number;
  missing: string[];
  error?: string;
}

/** Read-modify-write of a managed group's or the category's members, then a re-read to verify every one is there. */
async function updateMembers(
  run: OpRunner,
  meta: CallMeta,
  folder: string,
  kind: 'group' | 'category',
  set: MemberSet,
  add: string[],
  description: string,
): Promise<MemberOutcome> {
  const keys =
    kind === 'group'
      ? {
          create: 'addressGroup.create',
          list: 'addressGroup.list',
          get: 'addressGroup.get',
          update: 'addressGroup.update',
          field: 'static',
        }
      : {
          create: 'urlCategory.create',
          list: 'urlCategory.list',
          get: 'urlCategory.get',
          update: 'urlCategory.update',
          field: 'list',
        };
  let writes = 0;
  let id = set.id;
  if (!id) {
    const body: J =
      kind === 'group'
        ? { folder, name: set.name, static: add, tag: [MANAGED.tag], description }
        : { folder, name: set.name, list: add, type: 'URL List', description };
    const c = await ensureCreated(run, keys.create, keys.list, folder, body, () => true, meta);
    writes++;
    if (!c.ok) return { writes, missing: add, error: c.error };
    id = String(c.obj.id);
  }
  let current = await run.call(keys.get, { id }, meta);
  if (!current.ok) return { writes, missing: add, error: current.message };
  const have = strings(current.result[keys.field]);
  const merged = [...have, ...add.filter((m) => !have.includes(m))];
  if (merged.length !== have.length) {
    const op = run.op(keys.update);
    const u = await run.call(
      keys.update,
      { ...inputsFrom(op, current.result), id, [keys.field]: merged },
      meta,
    );
    writes++;
    if (!u.ok) {
      // A PUT is idempotent: the re-read below says whether it landed despite the error.
      current = await run.call(keys.get, { id }, meta);
      if (!current.ok) return { writes, missing: add, error: u.message };
      const now = strings(current.result[keys.field]);
      return { writes, missing: add.filter((m) => !now.includes(m)), error: u.message };
    }
    current = await run.call(keys.get, { id }, meta);
  }
  if (!current.ok) return { writes, missing: add, error: current.message };
  const now = strings(current.result[keys.field]);
  return { writes, missing: add.filter((m) => !now.includes(m)) };
}

/** Creates a managed deny rule (then moves it to the top of pre) or adds the missing references to it. */
async function ensureRule(
  run: OpRunner,
  meta: CallMeta,
  folder: string,
  rule: RuleStep,
  description: string,
): Promise<{ writes: number; error?: string; warning?: string }> {
  if (rule.create) {
    const any = ['any'];
    const body = {
      folder,
      position: 'pre',
      name: rule.name,
      action: 'deny',
      from: any,
      to: any,
      source: rule.field === 'source' ? rule.want : any,
      destination: rule.field === 'destination' ? rule.want : any,
      source_user: any,
      application: any,
      service: any,
      category: rule.field === 'category' ? rule.want : any,
      tag: [MANAGED.tag],
      description,
    };
    const c = await ensureCreated(
      run,
      'securityRule.create',
      'securityRule.list',
      folder,
      body,
      () => true,
      meta,
      { position: 'pre' },
    );
    if (!c.ok) return { writes: 1, error: c.error };
    if (!c.created)
      return ensureRule(
        run,
        meta,
        folder,
        { ...rule, create: false, update: true, id: String(c.obj.id) },
        description,
      ).then((r) => ({ ...r, writes: r.writes + 1 }));
    const m = await run.call(
      'securityRule.move',
      { id: String(c.obj.id), folder, destination: 'top', rulebase: 'pre' },
      meta,
    );
    return m.ok
      ? { writes: 2 }
      : {
          writes: 2,
          warning: `rule ${rule.name} was created but not moved to the top of pre (${m.message}): move it with security_rule_move`,
        };
  }
  const got = await run.call('securityRule.get', { id: rule.id }, meta);
  if (!got.ok) return { writes: 0, error: got.message };
  const have = strings(got.result[rule.field]).filter((v) => v !== 'any');
  const merged = [...have, ...rule.want.filter((w) => !have.includes(w))];
  if (merged.length === have.length) return { writes: 0 };
  const u = await run.call(
    'securityRule.update',
    { ...inputsFrom(run.op('securityRule.update'), got.result), id: rule.id, [rule.field]: merged },
    meta,
  );
  return u.ok ? { writes: 1 } : { writes: 1, error: u.message };
}
