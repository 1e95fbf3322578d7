import { randomUUID } from 'node:crypto';
import type { IrOperation } from '../openapi/ir.js';
import type { ServedTool } from '../tools/served-tool.js';
import type { ChangeJournal } from './change-journal.js';
import { gettersByPath, itemPath, type LookupClient, readObject } from './describe-change.js';

const CAPTURED = new Set(['update', 'delete', 'move']);

/**
 * Records before and after of each change for the journal, so a push's approval shows (and its fingerprint
 * covers) field-level diffs: the object is read through the IR get operation just before an update, delete
 * or move, and the after comes from the call's result. A failed read only leaves the before out.
 */
export function withChangeCapture(
  tool: ServedTool,
  opts: { client: LookupClient; journal: ChangeJournal; getters: Map<string, IrOperation> },
): ServedTool {
  const op = tool.operation;
  const getter = op && CAPTURED.has(op.action) ? opts.getters.get(itemPath(op.path)) : undefined;
  if (!op || !getter) return tool;
  return {
    ...tool,
    run: async (rawArgs, meta) => {
      const args = rawArgs && typeof rawArgs === 'object' ? (rawArgs as Record<string, unknown>) : {};
      const id = typeof args.id === 'string' ? args.id : undefined;
      // A gated call without confirm is only a preview: nothing to capture.
      const previewOnly = op.safety !== 'write' && args.confirm !== true;
      if (!id || previewOnly) return tool.run(rawArgs, meta);
      const callId = meta.callId ?? randomUUID();
      const before = await readObject(opts.client, getter, id, meta.signal);
      if (before) opts.journal.captureBefore(callId, before);
      const res = await tool.run(rawArgs, { ...meta, callId });
      const result = (res.structuredContent as { result?: unknown } | undefined)?.result;
      if (!res.isError && op.action === 'update') opts.journal.recordAfter(callId, result);
      return res;
    },
  };
}

export const captureGetters = (operations: IrOperation[]) => gettersByPath(operations);
