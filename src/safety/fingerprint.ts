import { createHash } from 'node:crypto';
import { withoutControlArgs } from '../tools/build-request.js';
import { canonicalJson } from './approval-tokens.js';
import type { JournalEntry } from './change-journal.js';

/** Exactly what an approval covers: the tool, its arguments, the tenant and, for a push, what it publishes. */
export interface ApprovalSubject {
  tool: string;
  args: Record<string, unknown>;
  tsgId: string;
  /** Push, discard, load: the pending changes it publishes or loses, each with its before and after. */
  changes?: JournalEntry[];
}

/** A hash of the subject: an approval given for one fingerprint is void for any other. */
export function approvalFingerprint(s: ApprovalSubject): string {
  const changes = s.changes?.map(({ seq: _seq, at: _at, ...e }) => e);
  return createHash('sha256')
    .update(canonicalJson({ tool: s.tool, args: withoutControlArgs(s.args), tsg: s.tsgId, changes }))
    .digest('hex');
}
