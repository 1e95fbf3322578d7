import { z } from 'zod';
import type { InputField } from '../openapi/ir.js';
import { fromJsonText } from './json-text.js';

/**
 * Arguments the pipeline adds to gated tools. Short on purpose: 70 tools carry them, and the server instructions
 * say once how confirmation works.
 */
export const GATE_INPUTS = {
  confirm: z.boolean().describe('user approved'),
  // Where the token comes from (the preview, or the inbox's approval_id) is said once in the server instructions.
  approval_token: z.string(),
};

/** Tools the server follows up after the call (config_version_push with wait): consumed, never sent. */
export const WAIT_INPUT = z
  .boolean()
  .describe('wait until the push and its child jobs finish (progress, max 30 min); result: every job status');

/**
 * Arguments the pipeline adds to list tools, consumed by it (result shaping), never sent upstream. Said once in the
 * server instructions (with the ${LIST_ALL_MAX_ITEMS}-item limit of `all`), not on each of the 130 list tools.
 */
export const LIST_INPUTS = {
  fields: z.preprocess(fromJsonText, z.array(z.string())),
  all: z.boolean(),
  scope: z.enum(['effective', 'folder']),
};

/** A list tool takes `fields`; one with limit and offset also takes `all`, and with a folder too `scope`. */
export function listInputsFor(op: {
  action?: string;
  inputs: InputField[];
}): Array<keyof typeof LIST_INPUTS> {
  if (op.action !== 'list') return [];
  const has = (name: string) => op.inputs.some((i) => i.name === name);
  const out: Array<keyof typeof LIST_INPUTS> = [];
  if (!has('fields')) out.push('fields');
  if (has('limit') && has('offset') && !has('all')) out.push('all');
  if (has('folder') && has('limit') && has('offset') && !has('scope')) out.push('scope');
  return out;
}

/** tsg_id on every generated tool's listing when several tenants are served (--tenants); the pipeline routes it. */
export const TENANT_INPUT_SCHEMA = {
  type: 'string',
  description: 'TSG id or alias; default the configured TSG',
};
