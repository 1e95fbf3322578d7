import type { ScmClient, ScmRequest } from './http-client.js';
import { toListPage } from './shapes.js';

export interface PaginateOptions {
  /** Items per request (default 200, at most 5000). */
  pageSize?: number;
  /** Stop after this many items. */
  max?: number;
  /** Start here instead of at the first item. */
  offset?: number;
}

export interface PaginatedList {
  data: unknown[];
  /** As reported by the server, when it did. */
  total?: number;
  /** True when `max` cut the list short. */
  truncated: boolean;
}

// SCM clamps limit to 5000 without saying so; asking more would make a full page look short.
const MAX_PAGE_SIZE = 5000;

/** Reads every page of a list with limit/offset, stopping on a short page or at `total`. */
export async function paginate(
  client: Pick<ScmClient, 'request'>,
  req: ScmRequest,
  opts: PaginateOptions = {},
): Promise<PaginatedList> {
  const pageSize = Math.max(1, Math.min(Math.floor(opts.pageSize ?? 200), MAX_PAGE_SIZE));
  const max = opts.max ?? Number.POSITIVE_INFINITY;
  const data: unknown[] = [];
  let total: number | undefined;
  const start = Math.max(0, Math.floor(opts.offset ?? 0));
  let offset = start;
  while (data.length < max) {
    const limit = Math.min(pageSize, max - data.length);
    const res = await client.request({ ...req, query: { ...req.query, limit, offset } });
    const page = toListPage(res.body);
    if (page.total !== undefined) total = page.total;
    data.push(...page.data.slice(0, max - data.length));
    offset += page.data.length;
    if (page.data.length < limit || (total !== undefined && offset >= total)) {
      return { data, ...(total !== undefined ? { total } : {}), truncated: false };
    }
  }
  return {
    data,
    ...(total !== undefined ? { total } : {}),
    truncated: total === undefined || total > start + data.length,
  };
}
