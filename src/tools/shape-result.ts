import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ListPage } from '../scm/shapes.js';
import { jsonContent } from './json-content.js';

/** Results above this are cut (Claude Code warns past 10k tokens a result and refuses past 25k). */
export const RESULT_BUDGET_TOKENS = 20_000;

/** Tokens as characters / 4: cheap enough for every result, and close to real tokenizers on JSON. */
export const tokensOf = (chars: number) => Math.ceil(chars / 4);

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => !!v && typeof v === 'object' && !Array.isArray(v);

/** Only the given fields of each item; `id` is always kept, so the item can be read or changed next. */
export function pickFields(items: unknown[], fields: string[]): unknown[] {
  const keep = new Set(['id', ...fields]);
  return items.map((item) =>
    isObj(item) ? Object.fromEntries(Object.entries(item).filter(([k]) => keep.has(k))) : item,
  );
}

/**
 * A list page as a result: `fields` applied, and `next_offset` when the server has more than this page holds.
 */
export function shapeListPage(page: ListPage, opts: { fields?: string[] } = {}): J {
  const data = opts.fields?.length ? pickFields(page.data, opts.fields) : page.data;
  const out: J = { ...page, data };
  const offset = page.offset ?? 0;
  if (page.total !== undefined && offset + data.length < page.total) out.next_offset = offset + data.length;
  return out;
}

const textLength = (r: CallToolResult) =>
  r.content.reduce((n, c) => n + (c.type === 'text' ? c.text.length : 0), 0);

function withStructured(r: CallToolResult, structured: J): CallToolResult {
  return {
    ...r,
    content: [jsonContent(structured)],
    structuredContent: structured,
  };
}

/** How many leading items fit in `room` characters, as JSON array members. */
function itemsThatFit(items: unknown[], room: number): number {
  let used = 2;
  let n = 0;
  for (const item of items) {
    used += JSON.stringify(item ?? null).length + 1;
    if (used > room) break;
    n++;
  }
  return n;
}

// Room for the fields the cut adds (next_offset, returned, hint), so the cut result stays within the budget.
const CUT_OVERHEAD = 400;

function cutList(r: CallToolResult, sc: J & { data: unknown[] }, budgetChars: number): CallToolResult {
  const offset = typeof sc.offset === 'number' ? sc.offset : 0;
  const room = budgetChars - JSON.stringify({ ...sc, data: [] }).length - CUT_OVERHEAD;
  const kept = itemsThatFit(sc.data, room);
  const tokens = tokensOf(budgetChars);
  if (kept === 0) {
    // One item alone is over the budget: skip it rather than send the same offset back forever.
    return withStructured(r, {
      ...sc,
      data: [],
      returned: 0,
      next_offset: offset + 1,
      truncated: true,
      hint: `The item at offset ${offset} alone is larger than about ${tokens} tokens and was left out: pass fields to return fewer of its fields, or read it with the get tool. Call again with offset: ${offset + 1} for the items after it.`,
    });
  }
  const next = offset + kept;
  return withStructured(r, {
    ...sc,
    data: sc.data.slice(0, kept),
    returned: kept,
    next_offset: next,
    truncated: true,
    hint: `Cut to about ${tokens} tokens after ${kept} items. Call again with the same arguments and offset: ${next} for the rest (pass fields to return less per item).`,
  });
}

/** The largest array directly in `result` (or `result` itself): where a big non-list answer can be cut. */
function largestArray(result: unknown): { key?: string; items: unknown[] } | undefined {
  if (Array.isArray(result)) return { items: result };
  if (!isObj(result)) return undefined;
  let best: { key: string; items: unknown[]; size: number } | undefined;
  for (const [key, v] of Object.entries(result)) {
    if (!Array.isArray(v)) continue;
    const size = JSON.stringify(v).length;
    if (!best || size > best.size) best = { key, items: v, size };
  }
  return best;
}

function cutOther(r: CallToolResult, sc: J, budgetChars: number): CallToolResult {
  const tokens = tokensOf(budgetChars);
  const hint = `This result was larger than about ${tokens} tokens and was cut; ask for less (a filter, fields, or one object at a time).`;
  const arr = largestArray(sc.result);
  if (arr) {
    const without = arr.key === undefined ? [] : { ...(sc.result as J), [arr.key]: [] };
    const room = budgetChars - JSON.stringify({ ...sc, result: without }).length - CUT_OVERHEAD;
    const kept = itemsThatFit(arr.items, room);
    const cut = arr.items.slice(0, kept);
    const result = arr.key === undefined ? cut : { ...(sc.result as J), [arr.key]: cut };
    const shaped = withStructured(r, {
      ...sc,
      result,
      truncated: {
        field: arr.key === undefined ? 'result' : `result.${arr.key}`,
        kept,
        of: arr.items.length,
      },
      hint,
    });
    if (textLength(shaped) <= budgetChars) return shaped;
  }
  const { result, ...rest } = sc;
  // The bulk can sit outside `result` too (error details, push-wait jobs): then keep only the head fields.
  const restFits = JSON.stringify(rest).length + CUT_OVERHEAD < budgetChars;
  const kept = restFits ? rest : headOf(sc);
  const room = Math.max(0, budgetChars - JSON.stringify(kept).length - CUT_OVERHEAD);
  return withStructured(r, {
    ...kept,
    result_text: JSON.stringify(restFits ? (result ?? null) : sc).slice(0, room),
    truncated: true,
    hint,
  });
}

const HEAD_FIELDS = ['environment', 'operation', 'status'];
const headOf = (sc: J): J => Object.fromEntries(HEAD_FIELDS.filter((k) => k in sc).map((k) => [k, sc[k]]));

/**
 * Every result within the budget: a list is cut at an item boundary with `next_offset` to continue from; any
 * other structured result at the items of its largest array, else to a prefix of its JSON; plain text is cut.
 */
export function fitToBudget(r: CallToolResult, budgetTokens = RESULT_BUDGET_TOKENS): CallToolResult {
  const budgetChars = budgetTokens * 4;
  if (textLength(r) <= budgetChars) return r;
  const sc = r.structuredContent;
  if (isObj(sc) && Array.isArray(sc.data)) return cutList(r, sc as J & { data: unknown[] }, budgetChars);
  if (isObj(sc)) return cutOther(r, sc, budgetChars);
  let room = budgetChars;
  const content = r.content.map((c) => {
    if (c.type !== 'text') return c;
    const text = c.text.slice(0, Math.max(0, room));
    room -= text.length;
    return {
      ...c,
      text: text.length < c.text.length ? `${text}\n[cut at about ${budgetTokens} tokens]` : text,
    };
  });
  return { ...r, content };
}
