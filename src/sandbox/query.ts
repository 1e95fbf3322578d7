import { invalidQuery, missingQuery } from './errors.js';
import type { Call } from './context.js';
import type { Position } from './store.js';

const DEFAULT_LIMIT = 200;
// SCM clamps limit to 5000 without saying so.
const MAX_LIMIT = 5000;

function intParam(q: URLSearchParams, name: string, fallback: number, min: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw invalidQuery(name, raw, `${name} must be an integer >= ${min}`);
  return n;
}

/** One page of `items`; `show` is applied to that page only. */
export function page<T, U = T>(
  items: readonly T[],
  q: URLSearchParams,
  show: (item: T) => U = (item) => item as unknown as U,
): { data: U[]; limit: number; offset: number; total: number } {
  const limit = Math.min(intParam(q, 'limit', DEFAULT_LIMIT, 1), MAX_LIMIT);
  const offset = intParam(q, 'offset', 0, 0);
  return { data: items.slice(offset, offset + limit).map(show), limit, offset, total: items.length };
}

/** Required query parameters of the operation, except those resolved elsewhere (container, position, list `name`). */
export function checkRequiredQuery(call: Call): void {
  const skip = new Set(['folder', 'snippet', 'device', 'position']);
  if (call.route.kind === 'list' || call.route.kind === 'catalogue') skip.add('name');
  for (const input of call.route.op.inputs) {
    if (input.source !== 'query' || !input.required || skip.has(input.apiName)) continue;
    if (!call.query.get(input.apiName)) throw missingQuery(input.apiName);
  }
}

/** The rulebase of a rule request. */
export function positionOf(q: URLSearchParams): Position {
  const raw = q.get('position');
  if (raw === null || raw === '') throw missingQuery('position');
  if (raw !== 'pre' && raw !== 'post') throw invalidQuery('position', raw, 'position must be pre or post');
  return raw;
}
