import type { ZodTypeAny } from 'zod';
import { zodForInputs } from '../catalog/zod-from-field.js';
import type { IrOperation } from '../openapi/ir.js';
import { checkArguments } from './check-arguments.js';
import { fromZodIssues } from './invalid-arguments.js';

// Keyed by the operation itself: two catalogues (or IRs in tests) may share a tool name.
const validators = new WeakMap<IrOperation, ZodTypeAny>();

/** Built on first use: most tools are never called in a session, and start-up stays fast. */
function validatorFor(op: IrOperation): ZodTypeAny {
  let v = validators.get(op);
  if (!v) {
    v = zodForInputs(op, { descriptions: 'none' });
    validators.set(op, v);
  }
  return v;
}

/** An update given the object as get returned it: the fields it cannot send (read-only, container) left out. */
function withoutDropped(op: IrOperation, args: Record<string, unknown>): Record<string, unknown> {
  if (!op.droppedInputs?.length) return args;
  const drop = new Set(op.droppedInputs);
  return Object.fromEntries(Object.entries(args).filter(([k]) => !drop.has(k)));
}

/** Parses tool arguments against the operation's full schema; throws InvalidArguments naming each field. */
export function validateArgs(op: IrOperation, args: unknown): Record<string, unknown> {
  const parsed = validatorFor(op).safeParse(withoutDropped(op, checkArguments(op.tool, args)));
  if (!parsed.success) throw fromZodIssues(op.tool, parsed.error.issues);
  return parsed.data as Record<string, unknown>;
}
