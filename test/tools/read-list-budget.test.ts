import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { requestFor } from '../../src/tools/read-list.js';
import { fitToBudget } from '../../src/tools/shape-result.js';
import { toToolResult } from '../../src/tools/to-tool-result.js';
import type { ScmTransport } from '../../src/tools/types.js';

const op = loadCatalog().operations.find((o) => o.key === 'address.list')!;

/** A tenant of n addresses of uneven size; counts every item it serves (SCM clamps limit at 5000). */
function tenant(n: number) {
  const items = Array.from({ length: n }, (_, i) => ({
    id: `id-${i}`,
    name: `host-${i}`,
    ip_netmask: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`,
    description: 'x'.repeat(50 + ((i * 37) % 400)),
    folder: 'Shared',
  }));
  const served = { items: 0, requests: 0 };
  const transport: ScmTransport = {
    request: async (req) => {
      const limit = Math.min(Number(req.query.limit ?? 200), 5000);
      const offset = Number(req.query.offset ?? 0);
      const data = items.slice(offset, offset + limit);
      served.items += data.length;
      served.requests++;
      return { status: 200, headers: {}, body: { data, total: n, limit, offset } };
    },
  };
  return { transport, served };
}

/** Reads the whole list as an assistant would: all: true, then next_offset until there is none. */
async function readAll(n: number, fields?: string[]) {
  const { transport, served } = tenant(n);
  const seen: string[] = [];
  let offset = 0;
  for (let calls = 0; calls < 1000; calls++) {
    const args = { folder: 'Shared', all: true, offset, ...(fields ? { fields } : {}) };
    const req = {
      method: op.method,
      path: op.path,
      pathParams: {},
      query: { folder: 'Shared', offset },
      operation: op.key,
    };
    const res = fitToBudget(
      toToolResult(op, await requestFor(op, req, args, transport), 'sandbox', fields ? { fields } : {}),
    );
    const sc = res.structuredContent as { data: Array<{ id: string }>; next_offset?: number };
    seen.push(...sc.data.map((d) => d.id));
    if (sc.next_offset === undefined) return { seen, served, calls: calls + 1 };
    offset = sc.next_offset;
  }
  throw new Error('did not finish');
}

describe('all: true stops at the result budget', () => {
  it('reads 10,000 objects with about as many upstream items as it returns, each once and in order', async () => {
    const { seen, served, calls } = await readAll(10_000);
    expect(seen).toEqual(Array.from({ length: 10_000 }, (_, i) => `id-${i}`));
    expect(served.items).toBeLessThanOrEqual(1.1 * 10_000);
    // A small first page to learn the items' size, then what the budget holds; continuations start from the size
    // seen, so about one request a call.
    expect(served.requests).toBeLessThanOrEqual(Math.ceil(1.2 * calls) + 1);
  });

  it('sizes pages for the fields asked for: fewer, fuller results, still within 1.1x', async () => {
    const all = await readAll(10_000);
    const slim = await readAll(10_000, ['name']);
    expect(slim.seen).toEqual(all.seen);
    expect(slim.calls).toBeLessThan(all.calls / 3);
    expect(slim.served.items).toBeLessThanOrEqual(1.1 * 10_000);
  });
});
