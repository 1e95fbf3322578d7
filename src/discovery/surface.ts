import { LIST_ALL_MAX_ITEMS } from '../facts.js';
import { ABBREVIATED_TOOL_NOTE } from '../catalog/build.js';
import { DISCOVERY, type Selection, type SelectionFlags, selectTools } from '../catalog/toolsets.js';
import { RESULT_BUDGET_TOKENS } from '../tools/shape-result.js';
import type { ServedTool } from '../tools/served-tool.js';
import type { Environment } from '../tools/types.js';
import { type DiscoveryContext, discoveryTools, TOOL_DESCRIBE } from './tools.js';

/** What the server serves: the tools to route (listed ones, and hidden ones kept to refuse), and what to say. */
export interface Surface {
  /** For createServer: every tool callable by name; those not `hidden` are listed. */
  tools: ServedTool[];
  /** The listed tools, in order. */
  listed: ServedTool[];
  selection: Selection;
  /** Lines for the server instructions: lists, abbreviated schemas, discovery. */
  instructions: string;
}

const isAbbreviated = (t: ServedTool) => t.definition.description?.includes(ABBREVIATED_TOOL_NOTE) === true;

/**
 * The served surface from every tool (generated and composite, already wrapped by the safety layer) and the
 * selection flags: adds the discovery tools, selects what is listed, and says how to reach the rest.
 * Throws ConfigError for unknown toolset or tool names.
 */
export function buildSurface(
  all: ServedTool[],
  flags: SelectionFlags & { environment: Environment },
): Surface {
  const ctx: DiscoveryContext = {
    environment: flags.environment,
    readOnly: flags.readOnly === true,
    byName: new Map(),
    toolsets: [...new Set(all.map((t) => t.toolset))],
    listed: new Set(),
    allowed: new Set(),
    excluded: new Set(),
  };
  const everything = [...all, ...discoveryTools(ctx)];
  const selection = selectTools(
    everything.map((t) => ({ name: t.definition.name, toolset: t.toolset, safety: t.safety })),
    flags,
  );
  const listed = new Set(selection.listed);
  // Abbreviated schemas point at tool_describe: serve it whenever one is listed (unless excluded).
  if (
    selection.allowed.has(TOOL_DESCRIBE) &&
    everything.some((t) => listed.has(t.definition.name) && isAbbreviated(t))
  )
    listed.add(TOOL_DESCRIBE);

  Object.assign(ctx, {
    byName: new Map(everything.map((t) => [t.definition.name, t])),
    listed,
    allowed: selection.allowed,
    excluded: new Set(flags.excludeTools ?? []),
  });
  const listedTools = everything.filter((t) => listed.has(t.definition.name) && !t.hidden);
  // Unlisted but allowed tools stay callable by name (a client that found one through tool_search may call it
  // directly), and so do tools the read-only layer hid, so a direct call gets its clear refusal.
  const tools = everything
    .filter((t) => {
      const name = t.definition.name;
      return (
        listed.has(name) || selection.allowed.has(name) || (t.hidden === true && !ctx.excluded.has(name))
      );
    })
    .map((t) => (listed.has(t.definition.name) || t.hidden ? t : { ...t, hidden: true }));
  return {
    tools,
    listed: listedTools,
    selection: { ...selection, listed },
    instructions: surfaceInstructions(listedTools, everything, ctx),
  };
}

function surfaceInstructions(listed: ServedTool[], everything: ServedTool[], ctx: DiscoveryContext): string {
  const lines = [
    `Lists: list tools return {data, total, limit, offset} and next_offset when more remain; name filters by exact name; fields returns only those fields of each item (id always kept); all: true reads pages until the result is full (up to ${LIST_ALL_MAX_ITEMS} items); scope: "folder" keeps only the folder's own objects (default effective: inherited too). A result over about ${RESULT_BUDGET_TOKENS / 1000}k tokens is cut at an item boundary: call again with offset: next_offset.`,
  ];
  if (listed.some(isAbbreviated))
    lines.push(
      'Some tools list a shortened schema (large nested objects shown as free-form objects): call tool_describe for the whole schema before filling them in. Arguments are always checked against the whole schema.',
    );
  const reachable = everything.filter((t) => ctx.allowed.has(t.definition.name) && t.toolset !== DISCOVERY);
  const unlisted = reachable.filter((t) => !ctx.listed.has(t.definition.name)).length;
  if (ctx.listed.has('tool_call') && unlisted > 0)
    lines.push(
      `Discovery: ${listed.length} tools are listed; ${unlisted} more are reachable. tool_search finds them (by words or toolset), tool_describe shows one's schema, tool_call runs it by name with the same validation, confirmation and audit as a direct call.`,
    );
  return lines.join('\n');
}
