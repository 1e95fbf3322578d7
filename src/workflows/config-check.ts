import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { jsonResult } from '../tools/to-tool-result.js';
import type { CallMeta } from '../tools/types.js';
import { classifyIndicators } from './indicators.js';
import { capped, errorResult, listOf, parseArgs, type WorkflowDeps } from './kit.js';
import type { OpRunner } from './pipeline.js';

export const CHECK_TOOL = 'config_check';

export const checkSchema = z
  .object({
    folders: listOf(z.string().min(1), 20)
      .optional()
      .describe(
        'Folders to check (default Shared), as a push names them; their own objects and rules are checked, names resolve through ancestors.',
      ),
  })
  .strict();

type J = Record<string, any>;

export interface Problem {
  /** error: the push would fail; warning: it would go through but likely not do what is meant. */
  severity: 'error' | 'warning';
  folder: string;
  object: string;
  field: string;
  message: string;
}

export const NOT_CHECKED =
  'zones, predefined applications (the API lists only custom ones), users, HIP profiles and security profiles inside profile groups are not checked';

const RULE_ACTIONS = new Set(['allow', 'deny', 'drop', 'reset-client', 'reset-server', 'reset-both']);
const PREDEFINED_SERVICES = new Set(['any', 'application-default', 'service-http', 'service-https']);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
const isAddressLiteral = (v: string) =>
  v === 'any' ||
  /^[A-Z]{2}$/.test(v) ||
  v.startsWith('panw-') ||
  classifyIndicators([v], { allowBroad: true }).valid[0]?.addressField === 'ip_netmask' ||
  /^[0-9a-f.:]+-[0-9a-f.:]+$/i.test(v);

const names = (xs: J[]) => new Set(xs.map((x) => String(x.name)));

/** Static checks of a folder's candidate: references to objects that do not exist, bad enums and formats. */
export async function checkFolderConfig(
  run: OpRunner,
  folder: string,
  meta: CallMeta = {},
): Promise<Problem[]> {
  const list = (key: string, extra: J = {}) =>
    run.has(key) ? run.list(key, { folder, ...extra }, meta) : Promise.resolve([] as J[]);
  const [
    addresses,
    groups,
    edls,
    regions,
    services,
    serviceGroups,
    categories,
    tags,
    profileGroups,
    pre,
    post,
  ] = await Promise.all([
    list('address.list'),
    list('addressGroup.list'),
    list('externalDynamicList.list'),
    list('region.list'),
    list('service.list'),
    list('serviceGroup.list'),
    list('urlCategory.list'),
    list('tag.list'),
    list('profileGroup.list'),
    list('securityRule.list', { position: 'pre' }),
    list('securityRule.list', { position: 'post' }),
  ]);
  const own = (o: J) => o.folder === undefined || o.folder === folder;
  const addressNames = new Set([...names(addresses), ...names(groups), ...names(edls), ...names(regions)]);
  const serviceNames = new Set([...names(services), ...names(serviceGroups), ...PREDEFINED_SERVICES]);
  const categoryNames = new Set([...names(categories), ...names(edls), 'any']);
  const predefined = await predefinedCategories(
    run,
    folder,
    [...pre, ...post]
      .filter(own)
      .flatMap((r) => strings(r.category))
      .filter((c) => !categoryNames.has(c)),
    meta,
  );
  const tagNames = names(tags);
  const profileNames = new Set([...names(profileGroups), 'best-practice']);
  const emptyGroups = new Set(
    groups.filter((g) => Array.isArray(g.static) && g.static.length === 0).map((g) => String(g.name)),
  );
  const problems: Problem[] = [];
  const add = (severity: Problem['severity'], object: string, field: string, message: string) =>
    problems.push({ severity, folder, object, field, message });

  for (const a of addresses.filter(own)) {
    const what = `address "${a.name}"`;
    for (const t of strings(a.tag))
      if (!tagNames.has(t)) add('error', what, 'tag', `tag "${t}" does not exist`);
    for (const field of ['ip_netmask', 'ip_range', 'fqdn'] as const) {
      if (typeof a[field] !== 'string') continue;
      const c = classifyIndicators([a[field]], { allowBroad: true }).valid[0];
      if (!c || c.addressField !== field) add('error', what, field, `"${a[field]}" is not a valid ${field}`);
    }
  }
  for (const g of groups.filter(own)) {
    const what = `address group "${g.name}"`;
    for (const t of strings(g.tag))
      if (!tagNames.has(t)) add('error', what, 'tag', `tag "${t}" does not exist`);
    for (const m of strings(g.static))
      if (!addressNames.has(m)) add('error', what, 'static', `member "${m}" does not exist`);
  }
  for (const [position, rules] of [
    ['pre', pre],
    ['post', post],
  ] as const) {
    for (const r of rules.filter(own)) {
      const what = `security rule "${r.name}" (${position})`;
      if (r.action !== undefined && !RULE_ACTIONS.has(String(r.action)))
        add('error', what, 'action', `"${r.action}" is not one of ${[...RULE_ACTIONS].join(', ')}`);
      for (const field of ['source', 'destination'])
        for (const v of strings(r[field])) {
          if (isAddressLiteral(v)) continue;
          if (!addressNames.has(v))
            add('error', what, field, `"${v}" is not an address, group, EDL, region or IP`);
          else if (emptyGroups.has(v)) add('warning', what, field, `group "${v}" is empty`);
        }
      for (const v of strings(r.service))
        if (!serviceNames.has(v)) add('error', what, 'service', `service "${v}" does not exist`);
      for (const v of strings(r.category)) {
        if (categoryNames.has(v) || predefined.get(v) === true) continue;
        if (predefined.get(v) === false) add('error', what, 'category', `URL category "${v}" does not exist`);
        else
          add(
            'warning',
            what,
            'category',
            `URL category "${v}" is not custom and the predefined list could not be read: not checked`,
          );
      }
      for (const t of strings(r.tag))
        if (!tagNames.has(t)) add('error', what, 'tag', `tag "${t}" does not exist`);
      const pg = r.profile_setting?.group;
      for (const v of strings(pg))
        if (!profileNames.has(v))
          add('error', what, 'profile_setting.group', `profile group "${v}" does not exist`);
    }
  }
  return problems;
}

/** Which of these names are predefined URL categories: the list answers one name at a time (404: not one). */
async function predefinedCategories(
  run: OpRunner,
  folder: string,
  wanted: string[],
  meta: CallMeta,
): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  if (!run.has('urlFilteringCategory.list')) return out;
  for (const name of new Set(wanted)) {
    const a = await run.call('urlFilteringCategory.list', { folder, name }, meta);
    if (a.ok)
      out.set(
        name,
        a.data.some((c) => c.value === name || c.name === name),
      );
    else if (a.status === 404) out.set(name, false);
  }
  return out;
}

/** Problems of every folder a push names, for the push preview: "2 problems would make this push fail". */
export async function checkFolders(run: OpRunner, folders: string[], meta: CallMeta = {}) {
  const problems = (await Promise.all(folders.map((f) => checkFolderConfig(run, f, meta)))).flat();
  const errors = problems.filter((p) => p.severity === 'error').length;
  const summary = errors
    ? `${errors} problem(s) would make this push fail`
    : problems.length
      ? `no problem that would fail the push; ${problems.length} warning(s)`
      : 'no problems found';
  return { summary, errors, warnings: problems.length - errors, problems, not_checked: NOT_CHECKED };
}

export async function runCheck(w: WorkflowDeps, raw: unknown, meta: CallMeta): Promise<CallToolResult> {
  const parsed = parseArgs(CHECK_TOOL, checkSchema, raw, w.environment);
  if (!parsed.ok) return parsed.result;
  const folders = parsed.args.folders ?? ['Shared'];
  const known = await w.folders.names();
  const unknown = folders.filter((f) => !known.includes(f));
  if (unknown.length)
    return jsonResult(
      {
        environment: w.environment,
        workflow: CHECK_TOOL,
        error: {
          code: 'UNKNOWN_FOLDER',
          message: `unknown folder(s): ${unknown.join(', ')}`,
          fields: [{ field: 'folders', message: `known: ${known.join(', ')}` }],
        },
      },
      true,
    );
  try {
    const r = await checkFolders(w.run, folders, meta);
    return jsonResult({
      environment: w.environment,
      workflow: CHECK_TOOL,
      status: r.errors ? 'problems' : 'ok',
      folders,
      summary: r.summary,
      counts: { errors: r.errors, warnings: r.warnings },
      problems: capped(r.problems, 100),
      not_checked: r.not_checked,
    });
  } catch (err) {
    return errorResult(w, CHECK_TOOL, `reading the configuration failed: ${(err as Error).message}`);
  }
}
