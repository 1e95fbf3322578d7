import { createHash } from 'node:crypto';
import type { IrOperation } from '../spec/ir.js';
import { describeOperation, titleFor } from './describe.js';
import { toClientJsonSchema } from './json-schema.js';
import type { ToolAnnotations, ToolDefinition } from './types.js';
import { type ZodOptions, zodForInputs } from './zod-from-field.js';

export function annotationsFor(op: IrOperation): ToolAnnotations {
  return {
    title: titleFor(op),
    readOnlyHint: op.safety === 'read',
    destructiveHint: op.safety === 'destructive' || op.safety === 'deploy',
    // PUT and DELETE by id land in the same state when repeated; creates, moves and pushes do not.
    idempotentHint: op.method === 'GET' || op.method === 'PUT' || op.method === 'DELETE',
    openWorldHint: true,
  };
}

export function toolDefinition(
  op: IrOperation,
  descriptions: ZodOptions['descriptions'] = 'full',
): ToolDefinition {
  return {
    name: op.tool,
    key: op.key,
    title: titleFor(op),
    description: describeOperation(op),
    inputSchema: toClientJsonSchema(zodForInputs(op, { descriptions })),
    annotations: annotationsFor(op),
    safety: op.safety,
    toolset: op.toolset,
  };
}

export const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
