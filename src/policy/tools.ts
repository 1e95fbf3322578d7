import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { toClientJsonSchema } from '../catalog/json-schema.js';
import { fromJsonText } from '../catalog/json-text.js';
import { ScmError } from '../scm/errors.js';
import { isToolResult, parseArguments } from '../tools/composite-tool.js';
import type { ServedTool } from '../tools/served-tool.js';
import { jsonResult } from '../tools/to-tool-result.js';
import type { Environment } from '../tools/types.js';
import { analyze } from './analyze.js';
import { capped, matchAnswer, snapshotInfo } from './answers.js';
import { type Endpoint, parseEndpoint } from './endpoint.js';
import { FIND_KINDS, findObjects } from './find.js';
import type { PolicyIndex } from './index-build.js';
import { isFqdn, parseIpSet } from './ip.js';
import { PolicyLoadError } from './load.js';
import { type Flow, matchFlow } from './match.js';
import { whereUsed } from './references.js';
import { type PolicyService, UnknownFolderError } from './service.js';

export const POLICY_TOOLSET = 'policy';
const HINTS = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };

const common = {
  folder: z.string().min(1).optional().describe('default Shared; ancestors included'),
  refresh: z.boolean().optional().describe('reload, not the cached snapshot'),
};

/**
 * What answers hold. Only the head is required: error results (isError, with `error`) carry structured content
 * too, and clients validate it against this schema as well.
 */
const output = (objects: string[], arrays: string[]): Tool['outputSchema'] => ({
  type: 'object',
  properties: {
    environment: { type: 'string' },
    operation: { type: 'string' },
    snapshot: { type: 'object' },
    ...Object.fromEntries(objects.map((o) => [o, { type: 'object' }])),
    ...Object.fromEntries(arrays.map((a) => [a, { type: 'array', items: { type: 'object' } }])),
  },
  required: ['environment', 'operation'],
});

type Bad = { field: string; message: string };

function invalid(env: Environment, operation: string, problems: Bad[]): CallToolResult {
  return jsonResult(
    {
      environment: env,
      operation,
      error: {
        code: 'INVALID_ARGUMENTS',
        message: problems.map((p) => `${p.field}: ${p.message}`).join('; '),
        fields: problems,
      },
      hint: 'Fix the named fields and call again (these tools only read).',
    },
    true,
  );
}

interface Spec<S extends z.ZodTypeAny> {
  name: string;
  title: string;
  description: string;
  schema: S;
  outputSchema: Tool['outputSchema'];
  answer(index: PolicyIndex, args: z.infer<S>): Record<string, unknown> | Bad[];
}

function policyTool<S extends z.ZodTypeAny>(
  spec: Spec<S>,
  policy: PolicyService,
  env: Environment,
): ServedTool {
  return {
    definition: {
      name: spec.name,
      title: spec.title,
      description: spec.description,
      inputSchema: toClientJsonSchema(spec.schema) as Tool['inputSchema'],
      outputSchema: spec.outputSchema,
      annotations: HINTS,
    },
    safety: 'read',
    toolset: POLICY_TOOLSET,
    async run(raw) {
      const head = { environment: env, operation: spec.name };
      const parsed = parseArguments(spec.name, spec.schema as z.ZodType<z.infer<S>>, env, raw);
      if (isToolResult(parsed)) return parsed;
      const args = parsed as { folder?: string; refresh?: boolean };
      let index: PolicyIndex;
      try {
        index = await policy.index(args.folder ?? 'Shared', { refresh: args.refresh === true });
      } catch (err) {
        if (err instanceof UnknownFolderError)
          return jsonResult(
            { ...head, error: { code: err.code, message: err.message }, known: err.known },
            true,
          );
        if (err instanceof PolicyLoadError)
          return jsonResult(
            {
              ...head,
              error: { code: err.code, message: err.message },
              hint: err.hint ?? 'Nothing was cached; call again, or check the role of the service account.',
            },
            true,
          );
        if (err instanceof ScmError)
          return jsonResult({ ...head, error: { code: err.code, message: err.message } }, true);
        throw err;
      }
      const out = spec.answer(index, parsed);
      if (Array.isArray(out)) return invalid(env, spec.name, out);
      return jsonResult({ ...head, ...out, snapshot: snapshotInfo(index, policy.now) });
    },
  };
}

const endpointOf = (
  index: PolicyIndex,
  field: string,
  v: string | undefined,
  bad: Bad[],
): Endpoint | undefined => {
  if (v === undefined) return undefined;
  const ep = parseEndpoint(index, v);
  if (!ep) bad.push({ field, message: `not an IP, CIDR, range, FQDN or object name: ${JSON.stringify(v)}` });
  return ep;
};

const matchSchema = z
  .object({
    ...common,
    source: z.string().optional().describe('IP, CIDR, a-b range, FQDN or address/group name'),
    destination: z.string().optional().describe('as source; one of the two required'),
    from_zone: z.string().optional(),
    to_zone: z.string().optional(),
    protocol: z.string().optional().describe('tcp, udp, icmp...'),
    port: z.number().int().min(0).max(65535).optional(),
    application: z.string().optional(),
    source_user: z.string().optional(),
    url: z.string().optional(),
    category: z.string().optional(),
    include_disabled: z.boolean().optional(),
  })
  .strict();

const refsSchema = z
  .object({
    ...common,
    name: z.string().min(1).optional().describe('object name, any kind'),
    value: z.string().min(1).optional().describe('IP, CIDR, range, FQDN or URL'),
  })
  .strict();

const findSchema = z
  .object({
    ...common,
    text: z.string().min(1).optional(),
    value: z.string().min(1).optional(),
    kinds: z
      .preprocess(fromJsonText, z.array(z.enum(FIND_KINDS as unknown as [string, ...string[]])))
      .optional(),
  })
  .strict();

const analyzeSchema = z.object({ ...common }).strict();

/** policy_match, object_references, object_find, policy_analyze over the policy service. */
export function policyTools(policy: PolicyService, env: Environment): ServedTool[] {
  const match: Spec<typeof matchSchema> = {
    name: 'policy_match',
    title: 'Which rule matches this traffic',
    description:
      'Which security rule matches traffic: the deciding rule (or default), every rule that matches or may, a reason per field. Pre rules Shared down, post back up, first match. What is not given or not in the configuration (EDLs, user groups, HIP, FQDN vs IP) shows as "depends".',
    schema: matchSchema,
    outputSchema: output(['decision'], ['matches']),
    answer(index, a) {
      const bad: Bad[] = [];
      if (a.source === undefined && a.destination === undefined)
        return [{ field: 'source', message: 'give source or destination (or both)' }];
      const source = endpointOf(index, 'source', a.source, bad);
      const destination = endpointOf(index, 'destination', a.destination, bad);
      if (bad.length) return bad;
      const flow: Flow = {
        ...(source ? { source } : {}),
        ...(destination ? { destination } : {}),
        ...(a.from_zone !== undefined ? { fromZone: a.from_zone } : {}),
        ...(a.to_zone !== undefined ? { toZone: a.to_zone } : {}),
        ...(a.protocol !== undefined ? { protocol: a.protocol.toLowerCase() } : {}),
        ...(a.port !== undefined ? { port: a.port } : {}),
        ...(a.application !== undefined ? { application: a.application } : {}),
        ...(a.source_user !== undefined ? { sourceUser: a.source_user } : {}),
        ...(a.url !== undefined ? { url: a.url } : {}),
        ...(a.category !== undefined ? { category: a.category } : {}),
      };
      const { folder: _f, refresh: _r, include_disabled: _i, ...given } = a;
      return {
        folder: index.folder,
        flow: given,
        ...matchAnswer(matchFlow(index, flow, { includeDisabled: a.include_disabled === true })),
      };
    },
  };
  const refs: Spec<typeof refsSchema> = {
    name: 'object_references',
    title: 'Where is this object or value used',
    description:
      'Where an object (any kind, by name) or a value (IP, CIDR, range, FQDN, URL) is used: addresses holding the value, groups (with path), rules (fields named), other objects. For a group also its members.',
    schema: refsSchema,
    outputSchema: output([], ['objects', 'groups', 'rules', 'others']),
    answer(index, a) {
      if ((a.name === undefined) === (a.value === undefined))
        return [{ field: 'name', message: 'give exactly one of name or value' }];
      if (
        a.value !== undefined &&
        !parseIpSet(a.value) &&
        !isFqdn(a.value.split('/')[0]!.replace(/^[a-z]+:$/i, '')) &&
        !/^[a-z][a-z0-9+.-]*:\/\//i.test(a.value)
      )
        return [
          { field: 'value', message: `not an IP, CIDR, range, FQDN or URL: ${JSON.stringify(a.value)}` },
        ];
      const w = whereUsed(index, a.name !== undefined ? { name: a.name } : { value: a.value! });
      return {
        folder: index.folder,
        query: a.name !== undefined ? { name: a.name } : { value: a.value },
        found: w.objects.length > 0 || w.rules.length > 0,
        ...capped('objects', w.objects, 100),
        ...(a.name !== undefined && index.groups.has(a.name)
          ? capped(
              'members',
              index.leavesOf(a.name).map((l) => l.path.join(' > ')),
              100,
            )
          : {}),
        ...capped('groups', w.groups, 100),
        ...capped('rules', w.rules, 100),
        ...capped('others', w.others, 100),
        ...(w.notes.length ? { notes: w.notes } : {}),
      };
    },
  };
  const find: Spec<typeof findSchema> = {
    name: 'object_find',
    title: 'Find objects by name or value',
    description:
      'Find objects of any kind (or security rules) by part of a name, any case, and/or by value (IP containment either way, part of an FQDN or URL). None found: an empty list.',
    schema: findSchema,
    outputSchema: output([], ['results']),
    answer(index, a) {
      if (a.text === undefined && a.value === undefined)
        return [{ field: 'text', message: 'give text or value (or both)' }];
      const results = findObjects(index, {
        ...(a.text !== undefined ? { text: a.text } : {}),
        ...(a.value !== undefined ? { value: a.value } : {}),
        ...(a.kinds ? { kinds: a.kinds as string[] } : {}),
      });
      return { folder: index.folder, total: results.length, ...capped('results', results, 100) };
    },
  };
  const analysis: Spec<typeof analyzeSchema> = {
    name: 'policy_analyze',
    title: 'Find problems in a rulebase',
    description:
      'Rulebase problems in a folder: rules shadowed or redundant (covering rule named), allow-any rules, disabled rules, references to missing objects, objects no rule or group uses, empty groups.',
    schema: analyzeSchema,
    outputSchema: output(['findings'], []),
    answer(index) {
      const f = analyze(index);
      const findings = Object.fromEntries(
        Object.entries(f).map(([k, v]) => [k, { count: v.length, ...capped('items', v as unknown[]) }]),
      );
      return {
        folder: index.folder,
        findings,
        notes: [
          'Configuration-level only: the API has no hit counts, so "unused" means no rule or group of this folder\'s view refers to it.',
          'Rules of descendant folders and other rule types are not read.',
        ],
      };
    },
  };
  return [
    policyTool(match, policy, env),
    policyTool(refs, policy, env),
    policyTool(find, policy, env),
    policyTool(analysis, policy, env),
  ];
}
