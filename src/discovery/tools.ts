import { fromJsonText } from '../catalog/json-text.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { toolDefinition } from '../catalog/build.js';
import { DISCOVERY, TOOLSETS, toolsetLine } from '../catalog/toolsets.js';
import { isGated } from '../openapi/ir.js';
import { compositeDefinition, isToolResult, parseArguments } from '../tools/composite-tool.js';
import type { ServedTool } from '../tools/served-tool.js';
import { jsonResult } from '../tools/to-tool-result.js';
import type { Environment } from '../tools/types.js';
import { rankTools, type SearchEntry } from './search.js';

/** What the discovery tools see of the server: filled in once the selection is made. */
export interface DiscoveryContext {
  environment: Environment;
  readOnly: boolean;
  /** Every served tool by name, discovery tools included. */
  byName: Map<string, ServedTool>;
  /** The toolsets of the served tools (known before the discovery tools are made). */
  toolsets?: string[];
  listed: Set<string>;
  /** Not excluded, and read-only when the server is: what discovery shows and runs. */
  allowed: Set<string>;
  excluded: Set<string>;
}

export const TOOL_SEARCH = 'tool_search';
export const TOOL_DESCRIBE = 'tool_describe';
export const TOOL_CALL = 'tool_call';

const READ_HINTS = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function entryOf(t: ServedTool): SearchEntry {
  return {
    name: t.definition.name,
    toolset: t.toolset,
    safety: t.safety,
    description: t.definition.description ?? '',
    ...(t.definition.title ? { title: t.definition.title } : {}),
    ...(toolsetLine(t.toolset) ? { toolsetLine: toolsetLine(t.toolset) } : {}),
  };
}

/** Tools discovery may show: allowed, and not the discovery tools themselves. */
function searchable(ctx: DiscoveryContext): ServedTool[] {
  return [...ctx.byName.values()].filter(
    (t) => ctx.allowed.has(t.definition.name) && t.toolset !== DISCOVERY,
  );
}

function unknownTool(ctx: DiscoveryContext, tool: string, name: string): CallToolResult {
  const near = rankTools(searchable(ctx).map(entryOf), name.replace(/_/g, ' '))
    .slice(0, 5)
    .map((h) => h.entry.name);
  return jsonResult(
    {
      environment: ctx.environment,
      operation: tool,
      error: { code: 'UNKNOWN_TOOL', message: `No tool named ${name} on this server. Nothing was sent.` },
      ...(near.length ? { did_you_mean: near } : {}),
      hint: 'tool_search finds tools by words or toolset.',
    },
    true,
  );
}

/** Why a known tool cannot be used here, or undefined when it can. */
function refusal(ctx: DiscoveryContext, tool: string, name: string): CallToolResult | undefined {
  if (ctx.allowed.has(name)) return undefined;
  const why = ctx.excluded.has(name)
    ? `${name} is excluded on this server (--exclude-tools).`
    : `This server runs in read-only mode (--read-only): ${name} is not a read tool and was refused.`;
  return jsonResult(
    {
      environment: ctx.environment,
      operation: tool,
      status: ctx.excluded.has(name) ? 'excluded' : 'read_only',
      executed: false,
      error: { code: ctx.excluded.has(name) ? 'EXCLUDED' : 'READ_ONLY', message: `${why} Nothing was sent.` },
    },
    true,
  );
}

function searchTool(ctx: DiscoveryContext): ServedTool {
  // The served set's own toolsets too (the unified API has a few more), after the shared ones.
  const toolsets = [...new Set([...Object.keys(TOOLSETS), ...(ctx.toolsets ?? [])])].filter(
    (t) => t !== DISCOVERY,
  ) as [string, ...string[]];
  const schema = z
    .object({
      query: z.string().optional().describe('words, e.g. "block ip", "decryption rule", "push"'),
      toolset: z.enum(toolsets).optional().describe('only this toolset; alone: every tool in it'),
      limit: z.number().int().min(1).max(100).optional().describe('default 10 (100 with toolset alone)'),
    })
    .strict();
  return {
    definition: compositeDefinition(
      TOOL_SEARCH,
      'Search tools',
      'Find tools by words and/or toolset: names with one line each, best first. No arguments: the toolsets.',
      schema,
      READ_HINTS,
    ),
    safety: 'read',
    toolset: DISCOVERY,
    async run(raw) {
      const args = parseArguments(TOOL_SEARCH, schema, ctx.environment, raw);
      if (isToolResult(args)) return args;
      const pool = searchable(ctx).filter((t) => !args.toolset || t.toolset === args.toolset);
      const head = { environment: ctx.environment, operation: TOOL_SEARCH };
      if (!args.query?.trim() && !args.toolset) {
        const counts = new Map<string, { tools: number; listed: number }>();
        for (const t of pool) {
          const c = counts.get(t.toolset) ?? { tools: 0, listed: 0 };
          c.tools++;
          if (ctx.listed.has(t.definition.name)) c.listed++;
          counts.set(t.toolset, c);
        }
        return jsonResult({
          ...head,
          toolsets: [...counts]
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([name, c]) => ({ name, ...c, description: toolsetLine(name) ?? '' })),
          hint: 'Search with query and/or toolset.',
        });
      }
      const ranked = args.query?.trim()
        ? rankTools(pool.map(entryOf), args.query).map((h) => h.entry)
        : pool.map(entryOf).sort((a, b) => (a.name < b.name ? -1 : 1));
      const limit = args.limit ?? (args.query?.trim() ? 10 : 100);
      return jsonResult({
        ...head,
        total_matches: ranked.length,
        results: ranked.slice(0, limit).map((e) => ({
          name: e.name,
          toolset: e.toolset,
          safety: e.safety,
          listed: ctx.listed.has(e.name),
          description: e.description,
        })),
        hint: 'Listed tools can be called directly; any other through tool_call. tool_describe gives a schema.',
      });
    },
  };
}

function describeTool(ctx: DiscoveryContext): ServedTool {
  const schema = z.object({ name: z.string().min(1).describe('tool name, e.g. address_create') }).strict();
  return {
    definition: compositeDefinition(
      TOOL_DESCRIBE,
      'Describe a tool',
      "One tool's full input schema (with field descriptions), safety and HTTP call.",
      schema,
      READ_HINTS,
    ),
    safety: 'read',
    toolset: DISCOVERY,
    async run(raw) {
      const args = parseArguments(TOOL_DESCRIBE, schema, ctx.environment, raw);
      if (isToolResult(args)) return args;
      const target = ctx.byName.get(args.name);
      if (!target) return unknownTool(ctx, TOOL_DESCRIBE, args.name);
      const refused = refusal(ctx, TOOL_DESCRIBE, args.name);
      if (refused) return refused;
      const op = target.operation;
      // The whole schema with upstream field prose: tools/list may show a shortened one.
      const inputSchema = op ? toolDefinition(op, 'full', Number.POSITIVE_INFINITY).inputSchema : undefined;
      const listed = ctx.listed.has(args.name);
      return jsonResult({
        environment: ctx.environment,
        operation: TOOL_DESCRIBE,
        name: args.name,
        title: target.definition.title,
        description: target.definition.description,
        toolset: target.toolset,
        safety: target.safety,
        gated: isGated(target),
        listed,
        ...(op ? { http: `${op.method} ${op.path}` } : {}),
        annotations: target.definition.annotations,
        input_schema: inputSchema ?? target.definition.inputSchema,
        how_to_call: listed
          ? `Call ${args.name} directly.`
          : `Call tool_call with {"name": "${args.name}", "arguments": {...}}.`,
      });
    },
  };
}

function callTool(ctx: DiscoveryContext): ServedTool {
  const name = z.string().min(1).describe('tool name, e.g. address_create');
  const schema = z
    .object({
      name,
      arguments: z
        .preprocess(fromJsonText, z.record(z.string(), z.unknown()))
        .optional()
        .describe("the tool's own arguments (see tool_describe)"),
    })
    .strict();
  // `arguments` is passed on as given (a zod record would drop a `__proto__` key): the target checks it whole.
  const passOn = z
    .object({
      name,
      arguments: z
        .preprocess(
          fromJsonText,
          z.custom<Record<string, unknown>>(isPlainObject, 'expected an object of named arguments'),
        )
        .optional(),
    })
    .strict();
  const readOnly = ctx.readOnly;
  return {
    definition: compositeDefinition(
      TOOL_CALL,
      'Call a tool',
      'Run any tool of this server by name, listed or not: same validation, confirmation and audit as calling it directly.',
      schema,
      // What it may do is what the tools it reaches may do.
      { readOnlyHint: readOnly, destructiveHint: !readOnly, idempotentHint: false, openWorldHint: true },
    ),
    safety: readOnly ? 'read' : 'write',
    toolset: DISCOVERY,
    async run(raw, meta) {
      const args = parseArguments(TOOL_CALL, passOn, ctx.environment, raw, ['arguments']);
      if (isToolResult(args)) return args;
      const target = ctx.byName.get(args.name);
      if (!target) return unknownTool(ctx, TOOL_CALL, args.name);
      if (target.toolset === DISCOVERY) {
        return jsonResult(
          {
            environment: ctx.environment,
            operation: TOOL_CALL,
            error: {
              code: 'NOT_THROUGH_TOOL_CALL',
              message: `Call ${args.name} directly, not through tool_call.`,
            },
          },
          true,
        );
      }
      if (!ctx.allowed.has(args.name) && target.hidden && !ctx.excluded.has(args.name)) {
        // Kept by the read-only layer only to refuse it (audited, nothing sent): the same answer as a direct call.
        return target.run(args.arguments ?? {}, meta);
      }
      const refused = refusal(ctx, TOOL_CALL, args.name);
      if (refused) return refused;
      // The target's own run: the one pipeline, so validation, gate, approval and audit are those of a direct call.
      return target.run(args.arguments ?? {}, meta);
    },
  };
}

/** tool_search, tool_describe, tool_call over the context (filled in after the selection). */
export function discoveryTools(ctx: DiscoveryContext): ServedTool[] {
  return [searchTool(ctx), describeTool(ctx), callTool(ctx)];
}
