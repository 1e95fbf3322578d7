import { listInputsFor } from '../catalog/control-inputs.js';
import { LIST_ALL_MAX_ITEMS } from '../facts.js';
import { ScmApiError } from '../scm/errors.js';
import { paginate } from '../scm/paginate.js';
import { toListPage } from '../scm/shapes.js';
import type { IrOperation } from '../openapi/ir.js';
import type { ScmRequestSpec } from './build-request.js';
import { pickFields, RESULT_BUDGET_TOKENS } from './shape-result.js';
import type { ScmAnswer, ScmTransport } from './types.js';

// all: true starts with a small page to learn the items' size, then asks for what the result budget still holds.
const FIRST_PAGE = 100;
// SCM clamps limit to 5000 without saying so.
const MAX_PAGE = 5000;
// Room the result keeps for its own fields (head, next_offset, hint) besides the items.
const RESULT_ROOM_CHARS = 2000;
// The items' average size last seen per list and fields: a continuation (next_offset) starts with the page that fills
// the result instead of learning the size again from a small first page, so it costs one request, not two.
const itemChars = new Map<string, number>();
const ITEM_SIZES_KEPT = 512;
// Under the average, so a page of items a little larger than those seen before still fits.
const FILL = 0.9;

/**
 * A list filtered by `name` that matches nothing answers 404 E005 (SCM-NOTES): that is an empty list, not an
 * error. The status stays 404 so the result still shows what the API said.
 */
async function nameMiss(
  op: IrOperation,
  req: ScmRequestSpec,
  answer: Promise<ScmAnswer>,
): Promise<ScmAnswer> {
  try {
    return await answer;
  } catch (err) {
    const filtered = op.action === 'list' && req.query.name !== undefined;
    if (!filtered || !(err instanceof ScmApiError) || err.status !== 404) throw err;
    if (err.scmCode !== undefined && err.scmCode !== 'E005') throw err;
    const offset = typeof req.query.offset === 'number' ? req.query.offset : 0;
    return {
      status: 404,
      headers: {},
      body: {
        data: [],
        total: 0,
        offset,
        ...(req.query.limit !== undefined ? { limit: req.query.limit } : {}),
      },
      ...(err.requestId ? { requestId: err.requestId } : {}),
    };
  }
}

/**
 * The SCM answer for a call: one request, or for a list called with `all: true` every page from `offset` on, up
 * to LIST_ALL_MAX_ITEMS items, as one `{data, total, offset}` page (the result budget may cut it later).
 */
export async function requestFor(
  op: IrOperation,
  req: ScmRequestSpec,
  args: Record<string, unknown>,
  transport: ScmTransport,
  signal?: AbortSignal,
): Promise<ScmAnswer> {
  return nameMiss(op, req, answerFor(op, req, args, transport, signal));
}

async function answerFor(
  op: IrOperation,
  req: ScmRequestSpec,
  args: Record<string, unknown>,
  transport: ScmTransport,
  signal?: AbortSignal,
): Promise<ScmAnswer> {
  if (args.scope === 'folder' && listInputsFor(op).includes('scope'))
    return ownItems(req, args, transport, signal);
  if (args.all !== true || !listInputsFor(op).includes('all')) return transport.request({ ...req, signal });
  return pagesWithinBudget(req, args, transport, signal);
}

/**
 * `all: true`: pages from `offset` on until the result budget is full (or the list ends, or LIST_ALL_MAX_ITEMS),
 * each page sized from the items seen so far (with `fields` applied), so a list read to its end through
 * `next_offset` costs about as many upstream items as it returns, not a re-read of the same pages per call.
 */
async function pagesWithinBudget(
  req: ScmRequestSpec,
  args: Record<string, unknown>,
  transport: ScmTransport,
  signal?: AbortSignal,
): Promise<ScmAnswer> {
  const start = typeof args.offset === 'number' ? args.offset : 0;
  const fields = Array.isArray(args.fields) ? (args.fields as string[]) : undefined;
  const budget = RESULT_BUDGET_TOKENS * 4 - RESULT_ROOM_CHARS;
  const data: unknown[] = [];
  let total: number | undefined;
  let last: ScmAnswer | undefined;
  let used = 0;
  let offset = start;
  const sizeKey = `${req.path}|${fields?.join(',') ?? ''}`;
  const known = itemChars.get(sizeKey);
  let pageSize = known ? Math.max(1, Math.floor((budget / known) * FILL)) : FIRST_PAGE;
  while (data.length < LIST_ALL_MAX_ITEMS) {
    const limit = Math.min(pageSize, MAX_PAGE, LIST_ALL_MAX_ITEMS - data.length);
    last = await transport.request({ ...req, query: { ...req.query, limit, offset }, signal });
    const page = toListPage(last.body);
    if (page.total !== undefined) total = page.total;
    data.push(...page.data);
    // The page as the result will show it: its JSON length is the items' plus a comma each, in one native call.
    const shown = fields?.length ? pickFields(page.data, fields) : page.data;
    if (page.data.length) used += JSON.stringify(shown).length - 1;
    offset += page.data.length;
    if (page.data.length < limit || (total !== undefined && offset >= total)) break;
    const average = used / Math.max(1, data.length);
    // Full enough: another request would bring an item or two, or only top up a page sized to FILL the result.
    if (budget - used < Math.max(2 * average, budget * (1 - FILL) * 1.5)) break;
    // What is still free, in items of the average size seen so far (a little under, so the last page fits).
    pageSize = Math.max(1, Math.floor(((budget - used) / average) * 0.95));
  }
  if (data.length) {
    if (itemChars.size >= ITEM_SIZES_KEPT && !itemChars.has(sizeKey)) itemChars.clear();
    itemChars.set(sizeKey, used / data.length);
  }
  return {
    status: last?.status ?? 200,
    headers: last?.headers ?? {},
    body: { data, ...(total !== undefined ? { total } : {}), offset: start },
    ...(last?.requestId ? { requestId: last.requestId } : {}),
  };
}

// Inherited objects can outnumber a folder's own by far: read this many to find them (a bound, not a page size).
const SCOPE_FOLDER_MAX_READ = 200_000;

/**
 * `scope: "folder"`: only the items the folder defines itself (its `folder` or `snippet` field names it). The API
 * has no such filter, so every page is read and filtered here; `offset`, `limit` and `all` then apply to what is
 * left, so `total` and `next_offset` count the folder's own items.
 */
async function ownItems(
  req: ScmRequestSpec,
  args: Record<string, unknown>,
  transport: ScmTransport,
  signal?: AbortSignal,
): Promise<ScmAnswer> {
  const folder = req.query.folder;
  let last: ScmAnswer | undefined;
  const client = {
    request: async (r: { query?: Record<string, unknown> }) => {
      last = await transport.request({ ...req, query: { ...req.query, ...r.query }, signal });
      return last;
    },
  };
  const list = await paginate(
    client,
    { method: req.method, path: req.path, query: req.query },
    { pageSize: 5000, max: SCOPE_FOLDER_MAX_READ },
  );
  const own = list.data.filter((o) => {
    const r = o as { folder?: unknown; snippet?: unknown } | null;
    return (r?.folder ?? r?.snippet) === folder;
  });
  const offset = typeof args.offset === 'number' ? args.offset : 0;
  const limit = args.all === true ? LIST_ALL_MAX_ITEMS : typeof args.limit === 'number' ? args.limit : 200;
  return {
    status: last?.status ?? 200,
    headers: last?.headers ?? {},
    body: { data: own.slice(offset, offset + limit), total: own.length, limit, offset },
    ...(last?.requestId ? { requestId: last.requestId } : {}),
  };
}
