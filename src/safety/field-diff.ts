import { shownValue } from './safe-text.js';

/** One field that a change sets differently. */
export interface FieldChange {
  field: string;
  before?: unknown;
  after?: unknown;
  /** Why a person should look twice (allow widened, rule disabled, deny removed). */
  risk?: string;
}

// Server-side bookkeeping, not configuration a person judges.
const IGNORED = new Set(['id', 'folder', 'snippet', 'device', 'position']);
// Rule fields where `any` means everything: a change to `any` widens the rule.
const MATCH_FIELDS = new Set([
  'source',
  'destination',
  'application',
  'service',
  'source_user',
  'from',
  'to',
  'category',
]);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const hasAny = (v: unknown) => Array.isArray(v) && v.includes('any');

function riskOf(field: string, before: unknown, after: unknown): string | undefined {
  if (field === 'action' && after === 'allow' && before !== 'allow') return 'now allows traffic';
  if (field === 'action' && before === 'deny') return 'deny removed';
  if (field === 'disabled' && after === true) return 'rule disabled';
  if (MATCH_FIELDS.has(field) && hasAny(after) && !hasAny(before)) return 'widened to any';
  if ((field === 'negate_source' || field === 'negate_destination') && !same(before, after))
    return 'match inverted';
  return undefined;
}

/** Field-level differences between two versions of an object, risky ones first. */
export function diffObjects(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): FieldChange[] {
  const b = before ?? {};
  const a = after ?? {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !IGNORED.has(k)).sort();
  const changes: FieldChange[] = [];
  for (const field of keys) {
    if (same(b[field], a[field])) continue;
    const risk = riskOf(field, b[field], a[field]);
    changes.push({
      field,
      ...(field in b ? { before: b[field] } : {}),
      ...(field in a ? { after: a[field] } : {}),
      ...(risk ? { risk } : {}),
    });
  }
  return sortByRisk(changes);
}

/** Risky changes first, each group in field order. */
export function sortByRisk<T extends { risk?: string }>(changes: T[]): T[] {
  return [...changes.filter((c) => c.risk), ...changes.filter((c) => !c.risk)];
}

/** `action: deny -> allow`, `source: [10.0.0.0/8] -> [any] (RISK: widened to any)`. */
export function diffLine(c: FieldChange): string {
  const text = `${c.field}: ${shownValue(c.before)} -> ${shownValue(c.after)}`;
  return c.risk ? `${text} (RISK: ${c.risk})` : text;
}

/** A deleted object is risky when it was a deny rule: its traffic may now be allowed. */
export function deleteRisk(before: Record<string, unknown> | undefined): string | undefined {
  return before && (before.action === 'deny' || before.action === 'drop') ? 'deny removed' : undefined;
}
