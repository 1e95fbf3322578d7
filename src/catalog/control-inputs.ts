import { z } from 'zod';
import { LIST_ALL_MAX_ITEMS } from '../facts.js';
import type { InputField } from '../openapi/ir.js';
import { fromJsonText } from './json-text.js';

/**
 * Arguments the pipeline adds to gated tools. Short on purpose: 70 tools carry them, and the server instructions
 * say once how confirmation works.
 */
export const GATE_INPUTS = {
  confirm: z.boolean().describe('true only once the user approved this exact change'),
  approval_token: z.string().describe('from the preview, if it asks for one'),
};

/** Tools the server follows up after the call (config_version_push with wait): consumed, never sent. */
export const WAIT_INPUT = z
  .boolean()
  .describe('wait until the push and its child jobs finish (progress, max 30 min); result: every job status');

/** Arguments the pipeline adds to list tools, consumed by it (result shaping), never sent upstream. */
export const LIST_INPUTS = {
  fields: z.preprocess(fromJsonText, z.array(z.string()).describe('item fields to return (id always kept)')),
  all: z.boolean().describe(`read all pages (max ${LIST_ALL_MAX_ITEMS} items)`),
  // Said once in the server instructions: 130 list tools carry it.
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
