import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { PipelineDeps } from '../tools/call-operation.js';
import { isToolResult, parseArguments } from '../tools/composite-tool.js';
import { jsonResult } from '../tools/to-tool-result.js';
import type { CallMeta, Environment } from '../tools/types.js';
import type { JobReader } from '../scm/jobs.js';
import type { KeyedLock } from './lock.js';
import type { OpRunner } from './pipeline.js';
import type { PolicyOracle } from './policy-oracle.js';

/** What every workflow needs: operations by key through the pipeline, folders, jobs, the lock. */
export interface WorkflowDeps {
  run: OpRunner;
  deps: PipelineDeps;
  environment: Environment;
  tsgId: string;
  folders: { names(): Promise<string[]> };
  jobs?: JobReader;
  lock: KeyedLock;
  oracle: PolicyOracle;
  /** Candidate changes made through this server since the last push (the change journal). */
  pendingChanges?: () => { name?: string; folder?: string; resource: string; action: string }[];
  /** Writes in flight at once (default WRITE_CONCURRENCY). */
  concurrency?: number;
  /** Members per managed group (default GROUP_MEMBER_LIMIT; tests lower it to see the spill). */
  groupLimit?: number;
}

/** Writes in flight at once, as many as the connection pool holds (64): SCM answers 429 with Retry-After when it wants fewer, and the client honours it. */
export const WRITE_CONCURRENCY = 64;

/** Accepts arrays and objects sent as JSON text (some clients do), as generated tools do. */
const jsonText = (v: unknown) => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
};
export const listOf = <T extends z.ZodTypeAny>(item: T, max: number) =>
  z.preprocess(jsonText, z.array(item).min(1).max(max));

export type Parsed<T> = { ok: true; args: T } | { ok: false; result: CallToolResult };

/** The arguments, checked as every hand-written tool's are (composite-tool.ts); or the INVALID_ARGUMENTS result. */
export function parseArgs<T extends z.ZodTypeAny>(
  tool: string,
  schema: T,
  raw: unknown,
  environment: Environment,
): Parsed<z.infer<T>> {
  const r = parseArguments(tool, schema as z.ZodType<z.infer<T>>, environment, raw);
  return isToolResult(r) ? { ok: false, result: r } : { ok: true, args: r };
}

/** An unknown folder is named with the known ones (nothing is sent). */
export async function checkFolder(
  w: WorkflowDeps,
  tool: string,
  folder: string,
): Promise<CallToolResult | undefined> {
  const known = await w.folders.names();
  if (known.includes(folder)) return undefined;
  return jsonResult(
    {
      environment: w.environment,
      workflow: tool,
      error: {
        code: 'UNKNOWN_FOLDER',
        message: `folder "${folder}" does not exist`,
        fields: [{ field: 'folder', message: `unknown folder; known: ${known.join(', ')}` }],
      },
      hint: `Nothing was sent. Use one of: ${known.join(', ')} (names are case-sensitive).`,
    },
    true,
  );
}

/** At most `max` items, with how many more there were: keeps results within the budget for 5,000 indicators. */
export function capped<T>(items: T[], max = 50): { items: T[]; more?: number } {
  return items.length > max ? { items: items.slice(0, max), more: items.length - max } : { items };
}

export function errorResult(
  w: Pick<WorkflowDeps, 'environment'>,
  tool: string,
  message: string,
  hint?: string,
): CallToolResult {
  return jsonResult(
    {
      environment: w.environment,
      workflow: tool,
      error: { code: 'WORKFLOW_FAILED', message },
      ...(hint ? { hint } : {}),
    },
    true,
  );
}

/** Output schema every workflow declares: the environment and status always, the rest per workflow. */
export function outputSchemaOf(props: Record<string, unknown>): NonNullable<Tool['outputSchema']> {
  return {
    type: 'object',
    properties: {
      environment: { type: 'string' },
      workflow: { type: 'string' },
      status: { type: 'string' },
      ...props,
    },
    required: ['environment'],
  };
}

export type RunMeta = CallMeta;
