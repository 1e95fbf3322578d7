import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { z, ZodTypeAny } from 'zod';
import { toClientJsonSchema } from '../catalog/json-schema.js';
import { checkArguments } from './check-arguments.js';
import { fromZodIssues, InvalidArguments } from './invalid-arguments.js';
import { jsonResult } from './to-tool-result.js';
import type { Environment } from './types.js';

/** A hand-written tool's definition: its JSON Schema emitted from the zod schema it validates with. */
export function compositeDefinition(
  name: string,
  title: string,
  description: string,
  schema: ZodTypeAny,
  annotations: Tool['annotations'],
): Tool {
  return {
    name,
    title,
    description,
    inputSchema: toClientJsonSchema(schema) as Tool['inputSchema'],
    ...(annotations ? { annotations } : {}),
  };
}

/**
 * A hand-written tool's arguments, checked as a generated tool's are (checkArguments, then zod); or the
 * INVALID_ARGUMENTS result naming each field.
 */
export function parseArguments<T>(
  tool: string,
  schema: z.ZodType<T>,
  environment: Environment,
  raw: unknown,
  /** Top-level arguments passed on unchecked to another tool, which checks them (tool_call's `arguments`). */
  opaque: readonly string[] = [],
): T | CallToolResult {
  let err: InvalidArguments;
  try {
    const parsed = schema.safeParse(checkArguments(tool, raw, opaque));
    if (parsed.success) return parsed.data;
    err = fromZodIssues(tool, parsed.error.issues);
  } catch (e) {
    if (!(e instanceof InvalidArguments)) throw e;
    err = e;
  }
  return jsonResult(
    {
      environment,
      operation: tool,
      error: { code: err.code, message: err.message, fields: err.problems },
      hint: 'Fix the named fields and call again.',
    },
    true,
  );
}

export const isToolResult = (v: unknown): v is CallToolResult =>
  !!v && typeof v === 'object' && 'content' in v && 'structuredContent' in v;
