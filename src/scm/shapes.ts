import { ScmUnexpectedResponseError } from './errors.js';

/** One page of a list, whatever shape the endpoint answered with. */
export interface ListPage {
  data: unknown[];
  total?: number;
  limit?: number;
  offset?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function toCount(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function onlyItem(list: unknown[], what: string): Record<string, unknown> {
  const [item] = list;
  if (list.length !== 1 || !isRecord(item)) {
    throw new ScmUnexpectedResponseError(`expected one object in ${what}, got ${list.length} item(s)`);
  }
  return item;
}

/**
 * The object of a GET by id, which SCM returns as the object, as `{data: [obj]}` or as `[obj]`.
 */
export function unwrapObject(body: unknown): Record<string, unknown> {
  if (Array.isArray(body)) return onlyItem(body, 'the response list');
  if (isRecord(body)) {
    // A real object carries its `id`; a wrapper such as the jobs answer does not.
    if (Array.isArray(body.data) && !('id' in body)) return onlyItem(body.data, 'the response data');
    return body;
  }
  throw new ScmUnexpectedResponseError(
    `expected an object, got ${body === undefined ? 'an empty body' : typeof body}`,
  );
}

/**
 * A list page from `{data, total, limit, offset}`, a bare array, or a bare object
 * (`?name=` answers with the one match, not a list).
 */
export function toListPage(body: unknown): ListPage {
  if (body === undefined) return { data: [], total: 0, offset: 0 };
  if (Array.isArray(body)) return { data: body, total: body.length, offset: 0 };
  if (!isRecord(body)) {
    throw new ScmUnexpectedResponseError(`expected a list, got ${typeof body}`);
  }
  if (!Array.isArray(body.data)) return { data: [body], total: 1, offset: 0 };
  const page: ListPage = { data: body.data };
  const total = toCount(body.total);
  const limit = toCount(body.limit);
  const offset = toCount(body.offset);
  if (total !== undefined) page.total = total;
  if (limit !== undefined) page.limit = limit;
  if (offset !== undefined) page.offset = offset;
  return page;
}
