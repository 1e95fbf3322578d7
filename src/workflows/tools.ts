import { setMaxListeners } from 'node:events';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { ServedTool } from '../tools/served-tool.js';
import type { CallMeta } from '../tools/types.js';
import { BLOCK_TOOL, blockSchema, runBlock } from './indicators-block.js';
import { ISOLATE_TOOL, isolateSchema, runIsolate } from './host-isolate.js';
import { CHECK_TOOL, checkSchema, runCheck } from './config-check.js';
import { runStatus, STATUS_TOOL, statusSchema } from './indicators-status.js';
import { runUnblock, UNBLOCK_TOOL, unblockSchema } from './indicators-unblock.js';
import { outputSchemaOf, type WorkflowDeps } from './kit.js';
import { toClientJsonSchema } from '../catalog/json-schema.js';

export const WORKFLOWS_TOOLSET = 'workflows';

interface Spec {
  name: string;
  title: string;
  description: string;
  schema: z.ZodTypeAny;
  safety: ServedTool['safety'];
  output: Record<string, unknown>;
  run: (w: WorkflowDeps, args: unknown, meta: CallMeta) => Promise<CallToolResult>;
}

const obj = { type: 'object' };
const num = { type: 'number' };

const SPECS: Spec[] = [
  {
    name: BLOCK_TOOL,
    title: 'Block indicators',
    description:
      'Block IPs, CIDRs, ranges, FQDNs and URLs in one call: address objects (reused when one holds the value), a managed group and URL category, one managed deny rule per direction at the top of pre. First call: a preview, nothing sent. Then confirm: true: one approval by the user for the whole batch. Idempotent: a re-run sends nothing new. Optional push.',
    schema: blockSchema,
    safety: 'destructive',
    output: { counts: obj, changes: obj, policy: obj, not_done: obj, writes: num, push: obj },
    run: runBlock,
  },
  {
    name: UNBLOCK_TOOL,
    title: 'Unblock indicators',
    description:
      'Reverse of indicators_block: remove from the managed group and URL category, delete the address objects it made that nothing else uses; the managed rules stay. Preview first, then confirm: true for one approval.',
    schema: unblockSchema,
    safety: 'destructive',
    output: { counts: obj, changes: obj, not_done: obj, writes: num, push: obj },
    run: runUnblock,
  },
  {
    name: STATUS_TOOL,
    title: 'Indicator status',
    description:
      'Per indicator: blocked in the candidate and by which rule, pending a push or not, and whether an earlier allow rule would still match. Read-only.',
    schema: statusSchema,
    safety: 'read',
    output: { counts: obj, indicators: obj, notes: obj },
    run: runStatus,
  },
  {
    name: CHECK_TOOL,
    title: 'Check the candidate before a push',
    description:
      'Static checks of the candidate of the folders a push would publish: references to addresses, groups, services, URL categories, tags and profile groups that do not exist, invalid actions and address values. The push preview runs it too. Read-only.',
    schema: checkSchema,
    safety: 'read',
    output: { summary: { type: 'string' }, counts: obj, problems: obj },
    run: runCheck,
  },
  {
    name: ISOLATE_TOOL,
    title: 'Isolate a host',
    description:
      "Incident response for an IP, FQDN or address object: where it is used, then isolate it both ways (tagged into the folder's quarantine group when it has one with a deny rule, else the managed deny rules), plus a mobile user's device into the quarantined devices. Preview first, then confirm: true for one approval.",
    schema: isolateSchema,
    safety: 'destructive',
    output: {
      where_used: obj,
      isolation: obj,
      problems: { type: 'array', items: { type: 'string' } },
      push: obj,
    },
    run: runIsolate,
  },
];

/** The workflow tools, each running through the one pipeline with one approval per batch. */
export function workflowTools(w: WorkflowDeps): ServedTool[] {
  return SPECS.map((s) => ({
    definition: {
      name: s.name,
      title: s.title,
      description: s.description,
      inputSchema: toClientJsonSchema(s.schema) as Tool['inputSchema'],
      outputSchema: outputSchemaOf(s.output),
      annotations: {
        readOnlyHint: s.safety === 'read',
        destructiveHint: s.safety === 'destructive' || s.safety === 'deploy',
        idempotentHint: true,
        openWorldHint: true,
      },
    },
    safety: s.safety,
    toolset: WORKFLOWS_TOOLSET,
    run: (args, meta) => {
      // A batch runs many requests at once on the call's one signal: each adds an abort listener.
      if (meta.signal) setMaxListeners(256, meta.signal);
      return s.run(w, args, meta);
    },
  }));
}
