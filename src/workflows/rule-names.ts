import type { ServedTool } from '../tools/served-tool.js';
import { jsonResult } from '../tools/to-tool-result.js';
import type { CallMeta } from '../tools/types.js';
import type { OpRunner } from './pipeline.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const RULE_NAME_NOTE =
  ' id and destination_rule also take the rule name (looked up in folder and rulebase).';

type J = Record<string, unknown>;

/** The id of the rule of that name in the folder and rulebase, or why there is none. */
async function idOf(
  run: OpRunner,
  listKey: string,
  folder: string,
  rulebase: string | undefined,
  name: string,
  meta: CallMeta,
) {
  for (const position of rulebase ? [rulebase] : ['pre', 'post']) {
    const found = await run.findByName(listKey, folder, name, { position }, meta);
    if (found?.id) return String(found.id);
  }
  return undefined;
}

/**
 * A `*Rule.move` tool that also takes rule names: names in `id` and `destination_rule` are resolved to ids (reads
 * through the pipeline) before the call's own validation, gate and audit; anything else passes through unchanged.
 */
export function withRuleNames(tool: ServedTool, run: OpRunner): ServedTool {
  const op = tool.operation!;
  const listKey = `${op.resource}.list`;
  const noun = op.resource.replace(/([A-Z])/g, ' $1').toLowerCase();
  return {
    ...tool,
    definition: { ...tool.definition, description: `${tool.definition.description ?? ''}${RULE_NAME_NOTE}` },
    run: async (raw, meta) => {
      const args = raw && typeof raw === 'object' ? { ...(raw as J) } : raw;
      if (!args || typeof args !== 'object' || !run.has(listKey) || typeof (args as J).folder !== 'string')
        return tool.run(raw, meta);
      const a = args as J;
      const folder = a.folder as string;
      const rulebase = typeof a.rulebase === 'string' ? a.rulebase : undefined;
      const problems: { field: string; message: string }[] = [];
      for (const field of ['id', 'destination_rule']) {
        const v = a[field];
        if (typeof v !== 'string' || v === '' || UUID.test(v)) continue;
        try {
          const id = await idOf(run, listKey, folder, rulebase, v, meta);
          if (id) a[field] = id;
          else
            problems.push({
              field,
              message: `no ${noun} named "${v}" in folder ${folder}${rulebase ? ` (${rulebase})` : ''}`,
            });
        } catch (err) {
          problems.push({ field, message: `could not look up "${v}": ${(err as Error).message}` });
        }
      }
      if (problems.length)
        return jsonResult(
          {
            environment: run.deps.environment,
            operation: op.key,
            error: {
              code: 'INVALID_ARGUMENTS',
              message: problems.map((p) => `${p.field}: ${p.message}`).join('; '),
              fields: problems,
            },
            hint: 'Nothing was sent. Give an existing rule name or id.',
          },
          true,
        );
      return tool.run(a, meta);
    },
  };
}
