import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { jsonResult } from '../tools/to-tool-result.js';
import type { CallMeta } from '../tools/types.js';
import { approveBatch } from './approval.js';
import { executeBlock } from './block-execute.js';
import { planBlock, type Snapshot } from './block-plan.js';
import { planView } from './indicators-block.js';
import { classifyIndicators, type Indicator, keyOfAddress } from './indicators.js';
import { checkFolder, errorResult, parseArgs, type WorkflowDeps } from './kit.js';
import { describeManaged, GROUP_MEMBER_LIMIT } from './managed.js';
import { ensureCreated } from './ensure.js';
import { inputsFrom } from './pipeline.js';
import { pushAndWait } from './push.js';
import { readSnapshot } from './snapshot.js';

export const ISOLATE_TOOL = 'host_isolate';

export const isolateSchema = z
  .object({
    host: z.string().min(1).describe('An IP, an FQDN or the name of an address object.'),
    folder: z.string().min(1).default('Shared').describe('Folder (default Shared).'),
    device_host_id: z
      .string()
      .optional()
      .describe("A mobile user's device host id: also add it to the quarantined devices list."),
    device_serial_number: z.string().optional().describe('With device_host_id: the device serial number.'),
    reason: z.string().max(200).optional(),
    ticket: z.string().max(100).optional(),
    push: z.boolean().optional().describe('Also push the folder (covered by the same approval).'),
    wait: z.boolean().optional(),
    dry_run: z.boolean().optional(),
    confirm: z.boolean().optional(),
    approval_token: z.string().optional(),
  })
  .strict();

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** A dynamic group selecting a quarantine tag, with a deny rule using it: isolate by tagging, as the folder already does. */
export function quarantineOf(snap: Snapshot): { group: string; tag: string; rule: string } | undefined {
  for (const g of snap.groups) {
    const filter = typeof g.dynamic?.filter === 'string' ? (g.dynamic.filter as string) : undefined;
    if (!filter || !/quarantin/i.test(`${g.name} ${filter}`)) continue;
    const tag = /'([^']+)'|"([^"]+)"|([A-Za-z0-9_.-]+)/.exec(filter);
    const name = tag?.[1] ?? tag?.[2] ?? tag?.[3];
    const rule = snap.rules.find(
      (r) =>
        r.action !== 'allow' &&
        r.disabled !== true &&
        [...strings(r.source), ...strings(r.destination)].includes(g.name),
    );
    if (name && rule) return { group: String(g.name), tag: name, rule: String(rule.name) };
  }
  return undefined;
}

/** host_isolate: where the host is used, then block it both ways (or tag it into the folder's quarantine), one approval. */
export async function runIsolate(w: WorkflowDeps, raw: unknown, meta: CallMeta): Promise<CallToolResult> {
  const parsed = parseArgs(ISOLATE_TOOL, isolateSchema, raw, w.environment);
  if (!parsed.ok) return parsed.result;
  const args = parsed.args;
  const badFolder = await checkFolder(w, ISOLATE_TOOL, args.folder);
  if (badFolder) return badFolder;
  const head = { environment: w.environment, workflow: ISOLATE_TOOL, folder: args.folder, host: args.host };
  let snap: Snapshot;
  try {
    snap = await readSnapshot(w.run, args.folder, meta);
  } catch (err) {
    return errorResult(
      w,
      ISOLATE_TOOL,
      `reading the folder failed: ${(err as Error).message}`,
      'Nothing was sent.',
    );
  }
  // The host: an IP or FQDN as given, or the value of the address object of that name.
  let indicator: Indicator | undefined = classifyIndicators([args.host]).valid.find(
    (i) => i.kind === 'ip' || i.kind === 'fqdn',
  );
  const object = snap.addresses.find((a) => a.name === args.host);
  if (!indicator && object) {
    const value = object.ip_netmask ?? object.fqdn ?? object.ip_range;
    indicator =
      typeof value === 'string' ? classifyIndicators([value], { allowBroad: true }).valid[0] : undefined;
  }
  if (!indicator)
    return jsonResult(
      {
        ...head,
        error: {
          code: 'INVALID_ARGUMENTS',
          message: `host "${args.host}" is not an IP, an FQDN or an address object in ${args.folder}`,
          fields: [{ field: 'host', message: 'expected an IP, an FQDN or an address object name' }],
        },
        hint: 'Nothing was sent.',
      },
      true,
    );
  const holder = object ?? snap.addresses.find((a) => keyOfAddress(a) === indicator.key);

  let references;
  try {
    references = await w.oracle.referencesOf(args.folder, holder ? { name: String(holder.name) } : indicator);
  } catch (err) {
    return errorResult(
      w,
      ISOLATE_TOOL,
      `looking up where the host is used failed: ${(err as Error).message}`,
      'Nothing was sent.',
    );
  }
  const quarantine = quarantineOf(snap);
  const plan = quarantine
    ? undefined
    : planBlock([indicator], snap, 'both', { groupLimit: w.groupLimit ?? GROUP_MEMBER_LIMIT });
  const tagged = quarantine && holder ? strings(holder.tag).includes(quarantine.tag) : false;
  const device = args.device_host_id
    ? {
        host_id: args.device_host_id,
        ...(args.device_serial_number ? { serial_number: args.device_serial_number } : {}),
      }
    : undefined;
  const mode = quarantine
    ? {
        mode: 'quarantine_tag',
        ...quarantine,
        address: holder ? String(holder.name) : indicator.name,
        action: tagged
          ? 'already tagged'
          : holder
            ? `add tag ${quarantine.tag}`
            : `create address ${indicator.name} tagged ${quarantine.tag}`,
      }
    : { mode: 'managed_block', changes: planView(plan!) };
  const preview = {
    ...head,
    value: indicator.value,
    where_used: references,
    isolation: mode,
    ...(device ? { quarantined_device: device } : {}),
  };
  if (args.dry_run) return jsonResult({ ...preview, status: 'dry_run', executed: false });
  const writes = (quarantine ? (tagged ? 0 : 1) : plan!.writes) + (device ? 1 : 0);
  if (!writes && !args.push)
    return jsonResult({ ...preview, status: 'nothing_to_do', executed: false, writes: 0 });

  const approval = await approveBatch(
    w,
    {
      tool: ISOLATE_TOOL,
      key: 'workflow.hostIsolate',
      safety: args.push ? 'deploy' : 'destructive',
      verb: 'isolate',
      noun: `host ${indicator.value}`,
      folder: args.folder,
      batch: {
        workflow: ISOLATE_TOOL,
        folder: args.folder,
        host: indicator.key,
        ...(device ? { device } : {}),
        ...(args.push ? { push: true } : {}),
      },
      details: [
        `Isolate ${indicator.value} in folder ${args.folder}: ${quarantine ? `tag it ${quarantine.tag} (group ${quarantine.group}, denied by rule ${quarantine.rule})` : 'block it both ways with the managed deny rules'}.`,
        `Used by: ${references.groups.length} group(s), ${references.rules.length} rule(s).`,
        ...(device ? [`Add device ${device.host_id} to the quarantined devices (mobile users).`] : []),
        args.push ? `Then push folder ${args.folder}.` : 'Candidate only: takes effect at the next push.',
      ],
      caller: args,
      auditArgs: {
        folder: args.folder,
        host: indicator.value,
        ...(args.reason ? { reason: args.reason } : {}),
        ...(args.ticket ? { ticket: args.ticket } : {}),
      },
    },
    meta,
  );
  if (!approval.approved)
    return jsonResult({ ...preview, ...approval.structured, executed: false }, approval.isError);
  const run = approval.run;
  const problems: string[] = [];
  const description = describeManaged('Isolated host', args.reason, args.ticket);
  if (quarantine && !tagged) {
    if (holder) {
      const got = await run.call('address.get', { id: holder.id }, meta);
      const u = got.ok
        ? await run.call(
            'address.update',
            {
              ...inputsFrom(run.op('address.update'), got.result),
              id: holder.id,
              tag: [...strings(got.result.tag), quarantine.tag],
            },
            meta,
          )
        : got;
      if (!u.ok) problems.push(`tagging ${holder.name} failed: ${u.message}`);
    } else {
      const c = await ensureCreated(
        run,
        'address.create',
        'address.list',
        args.folder,
        {
          folder: args.folder,
          name: indicator.name,
          [indicator.addressField!]: indicator.value,
          tag: [quarantine.tag],
          description,
        },
        () => true,
        meta,
      );
      if (!c.ok) problems.push(`creating ${indicator.name} failed: ${c.error}`);
    }
  } else if (plan) {
    const exec = await executeBlock(plan, {
      run,
      meta,
      lock: w.lock,
      lockKey: w.tsgId,
      concurrency: 4,
      ...(args.reason ? { reason: args.reason } : {}),
      ...(args.ticket ? { ticket: args.ticket } : {}),
    });
    problems.push(...exec.failed.values(), ...exec.warnings);
  }
  if (device) {
    const d = await run.call('quarantinedDevice.create', device, meta);
    if (!d.ok && d.status !== 409)
      problems.push(`quarantining device ${device.host_id} failed: ${d.message}`);
  }
  const pushed =
    args.push && !problems.length
      ? await pushAndWait(w, run, args.folder, args.wait === true, meta)
      : undefined;
  return jsonResult(
    {
      ...preview,
      status: problems.length ? 'partial' : 'done',
      executed: true,
      approved_by: approval.approvedBy,
      ...(problems.length ? { problems } : {}),
      ...(pushed ? { push: pushed } : {}),
      hint: problems.length
        ? 'Call host_isolate again to finish.'
        : args.push
          ? 'Isolated and pushed.'
          : 'Isolated in the candidate. Push the folder for it to take effect.',
    },
    problems.length > 0,
  );
}
