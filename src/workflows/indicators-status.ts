import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { jsonResult } from '../tools/to-tool-result.js';
import type { CallMeta } from '../tools/types.js';
import { classificationView, MAX_INDICATORS } from './indicators-block.js';
import { classifyIndicators, keyOfAddress } from './indicators.js';
import { capped, checkFolder, errorResult, listOf, parseArgs, type WorkflowDeps } from './kit.js';
import { groupIndex, MANAGED } from './managed.js';
import { readSnapshot } from './snapshot.js';

export const STATUS_TOOL = 'indicators_status';

export const statusSchema = z
  .object({
    indicators: listOf(z.string(), MAX_INDICATORS).describe('The indicators to check.'),
    folder: z.string().min(1).default('Shared').describe('Folder (default Shared).'),
  })
  .strict();

type J = Record<string, any>;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

const RUNNING_NOTE =
  'running: the API cannot read the content of the running configuration. pending_push means a change to one of its objects was made through this server since the last push; pushed_or_unknown means no such change is known here (changes made elsewhere, for example in Strata Cloud Manager, are not seen).';

/** indicators_status: per indicator, blocked in the candidate (by which rule), pushed or not, and earlier allow rules. */
export async function runStatus(w: WorkflowDeps, raw: unknown, meta: CallMeta): Promise<CallToolResult> {
  const parsed = parseArgs(STATUS_TOOL, statusSchema, raw, w.environment);
  if (!parsed.ok) return parsed.result;
  const args = parsed.args;
  const badFolder = await checkFolder(w, STATUS_TOOL, args.folder);
  if (badFolder) return badFolder;
  const c = classifyIndicators(args.indicators, { allowBroad: true });
  try {
    const snap = await readSnapshot(w.run, args.folder, meta);
    const own = (o: J) => o.folder === undefined || o.folder === args.folder;
    const groups = snap.groups.filter((g) => own(g) && groupIndex(String(g.name)) !== undefined);
    const cat = snap.categories.find((x) => own(x) && x.name === MANAGED.category);
    const rules = snap.rules.filter(
      (r) =>
        own(r) && Object.values(MANAGED.rules).includes(r.name) && r.action === 'deny' && r.disabled !== true,
    );
    const byKey = new Map<string, string>();
    for (const a of snap.addresses) {
      const k = keyOfAddress(a);
      if (k && !byKey.has(k)) byKey.set(k, a.name);
    }
    const pending = new Set(
      (w.pendingChanges?.() ?? [])
        .filter((e) => !e.folder || e.folder === args.folder)
        .map((e) => e.name)
        .filter(Boolean),
    );
    // Advisory: the status stands without it.
    const allow = await w.oracle
      .allowRulesBefore(args.folder, c.valid, 'destination')
      .catch((err: Error) => ({
        matches: [],
        not_evaluated: `not evaluated: the policy snapshot could not be read: ${err.message}`,
      }));
    const allowBy = new Map(allow.matches.map((m) => [m.input, m.rules]));

    const rows = c.valid.map((ind) => {
      const address = ind.addressField ? byKey.get(ind.key) : undefined;
      const inGroups = address
        ? groups.filter((g) => strings(g.static).includes(address)).map((g) => String(g.name))
        : [];
      const inCategory = !!ind.urlEntry && !!cat && strings(cat.list).includes(ind.urlEntry);
      const byRules = rules
        .filter(
          (r) =>
            ['source', 'destination'].some((f) => strings(r[f]).some((m) => inGroups.includes(m))) ||
            (inCategory && strings(r.category).includes(MANAGED.category)),
        )
        .map((r) => String(r.name));
      const blocked = byRules.length > 0;
      const touched = [address, ...inGroups, ...(inCategory ? [MANAGED.category] : []), ...byRules].filter(
        (n): n is string => !!n && pending.has(n),
      );
      return {
        input: ind.input,
        value: ind.value,
        candidate: blocked
          ? 'blocked'
          : address || inCategory
            ? 'objects exist, no managed deny rule covers them'
            : 'not blocked',
        ...(byRules.length ? { by_rules: byRules } : {}),
        ...(address ? { address } : {}),
        ...(inGroups.length ? { groups: inGroups } : {}),
        running: touched.length ? 'pending_push' : blocked ? 'pushed_or_unknown' : 'not blocked in candidate',
        ...(touched.length ? { pending_objects: touched } : {}),
        ...(allowBy.get(ind.input)?.length ? { earlier_allow_rules: allowBy.get(ind.input) } : {}),
      };
    });
    const count = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length;
    return jsonResult({
      environment: w.environment,
      workflow: STATUS_TOOL,
      folder: args.folder,
      status: 'ok',
      counts: {
        valid: rows.length,
        blocked: count((r) => r.candidate === 'blocked'),
        pending_push: count((r) => r.running === 'pending_push'),
        still_allowed_by_earlier_rule: count((r) => 'earlier_allow_rules' in r),
      },
      indicators: capped(rows, 100),
      ...classificationView(c),
      notes: { running: RUNNING_NOTE, policy: allow.not_evaluated },
    });
  } catch (err) {
    return errorResult(w, STATUS_TOOL, `reading the folder failed: ${(err as Error).message}`);
  }
}
