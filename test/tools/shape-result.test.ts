import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { LIST_ALL_MAX_ITEMS } from '../../src/facts.js';
import { ConfirmFlagGate } from '../../src/safety/confirm-gate.js';
import type { IrOperation } from '../../src/openapi/ir.js';
import { callOperation, type PipelineDeps } from '../../src/tools/call-operation.js';
import { fitToBudget, pickFields, shapeListPage } from '../../src/tools/shape-result.js';
import { jsonResult } from '../../src/tools/to-tool-result.js';
import type { ScmAnswer, ScmTransport } from '../../src/tools/types.js';

type Sent = Parameters<ScmTransport['request']>[0];
type J = Record<string, any>;

let ops: Map<string, IrOperation>;
const op = (tool: string) => ops.get(tool)!;
beforeAll(() => {
  ops = new Map(loadCatalog().operations.map((o) => [o.tool, o]));
});

/** A list endpoint over `count` items that honours limit and offset (and clamps limit like SCM). */
function listServer(
  count: number,
  item: (i: number) => J = (i) => ({ id: `id-${i}`, name: `obj-${i}`, folder: 'Shared' }),
) {
  const sent: Sent[] = [];
  const transport: ScmTransport = {
    async request(req): Promise<ScmAnswer> {
      sent.push(req);
      const limit = Math.min(Number(req.query.limit ?? 200), 5000);
      const offset = Number(req.query.offset ?? 0);
      const data = [];
      for (let i = offset; i < Math.min(count, offset + limit); i++) data.push(item(i));
      return { status: 200, headers: {}, body: { data, total: count, limit, offset } };
    },
  };
  return { sent, transport };
}

const deps = (transport: ScmTransport): PipelineDeps => ({
  transport,
  environment: 'sandbox',
  gate: new ConfirmFlagGate(),
});

const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;

describe('list inputs', () => {
  it('list tools take fields; those with limit and offset take all; nothing else takes either', () => {
    const props = (tool: string) =>
      (loadCatalog().tools.find((t) => t.name === tool)!.inputSchema.properties ?? {}) as J;
    expect(props('address_list')).toHaveProperty('fields');
    expect(props('address_list')).toHaveProperty('all');
    expect(props('decryption_exclusion_list')).toHaveProperty('fields');
    expect(props('decryption_exclusion_list')).not.toHaveProperty('all');
    expect(props('address_get')).not.toHaveProperty('fields');
    expect(props('address_create')).not.toHaveProperty('all');
  });
});

describe('fields', () => {
  it('keeps only the named fields of each item, and always id', () => {
    expect(pickFields([{ id: '1', name: 'a', ip_netmask: '10.0.0.1', tag: ['x'] }, 'odd'], ['name'])).toEqual(
      [{ id: '1', name: 'a' }, 'odd'],
    );
  });

  it('is applied by the pipeline and never sent upstream', async () => {
    const { sent, transport } = listServer(3);
    const res = await callOperation(
      op('address_list'),
      { folder: 'Shared', fields: ['name'] },
      deps(transport),
    );
    expect(res.structuredContent).toMatchObject({
      data: [
        { id: 'id-0', name: 'obj-0' },
        { id: 'id-1', name: 'obj-1' },
        { id: 'id-2', name: 'obj-2' },
      ],
      total: 3,
    });
    expect((res.structuredContent as J).data[0]).not.toHaveProperty('folder');
    expect(sent[0]?.query).toEqual({ folder: 'Shared' });
  });

  it('accepts the list as JSON text, and refuses a non-list', async () => {
    const { transport } = listServer(1);
    const ok = await callOperation(
      op('address_list'),
      { folder: 'Shared', fields: '["name"]' },
      deps(transport),
    );
    expect((ok.structuredContent as J).data).toEqual([{ id: 'id-0', name: 'obj-0' }]);
    const bad = await callOperation(op('address_list'), { folder: 'Shared', fields: 7 }, deps(transport));
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.structuredContent)).toContain('fields');
  });
});

describe('next_offset on a page', () => {
  it('is there when the server has more, and not on the last page', () => {
    expect(shapeListPage({ data: [1, 2], total: 5, limit: 2, offset: 2 })).toMatchObject({ next_offset: 4 });
    expect(shapeListPage({ data: [1], total: 5, limit: 2, offset: 4 })).not.toHaveProperty('next_offset');
    expect(shapeListPage({ data: [1] })).not.toHaveProperty('next_offset');
  });
});

describe('all: true', () => {
  it('reads every page with limit and offset and answers with one list', async () => {
    const { sent, transport } = listServer(1234);
    const res = await callOperation(op('address_list'), { folder: 'Shared', all: true }, deps(transport));
    const sc = res.structuredContent as J;
    expect(sc.data).toHaveLength(1234);
    expect(sc.data.at(-1)).toMatchObject({ id: 'id-1233' });
    expect(sc).toMatchObject({ total: 1234, offset: 0 });
    expect(sc).not.toHaveProperty('next_offset');
    // A first page of 100 gives the items' size; the next asks for what the result budget still holds.
    expect(sent.map((r) => r.query.offset)).toEqual([0, 100]);
    expect(sent[0]!.query.limit).toBe(100);
    expect(Number(sent[1]!.query.limit)).toBeGreaterThanOrEqual(1134);
    // all is ours: never a query parameter.
    expect(sent.every((r) => !('all' in r.query))).toBe(true);
  });

  it('starts at offset, and stops at the cap with next_offset to go on from', async () => {
    const { transport } = listServer(12_000, (i) => ({ id: `${i}` }));
    const from = await callOperation(
      op('tag_list'),
      { folder: 'Shared', all: true, offset: 11_900 },
      deps(transport),
    );
    expect((from.structuredContent as J).data).toHaveLength(100);
    expect((from.structuredContent as J).data[0]).toEqual({ id: '11900' });
    const capped = await callOperation(op('tag_list'), { folder: 'Shared', all: true }, deps(transport));
    expect((capped.structuredContent as J).data).toHaveLength(LIST_ALL_MAX_ITEMS);
    expect(capped.structuredContent).toMatchObject({ total: 12_000, next_offset: LIST_ALL_MAX_ITEMS });
  });
});

describe('fitToBudget', () => {
  const bigList = (n: number, offset = 0) =>
    jsonResult({
      environment: 'sandbox',
      operation: 'address.list',
      status: 200,
      data: Array.from({ length: n }, (_, i) => ({ id: `${offset + i}`, description: 'x'.repeat(200) })),
      total: 10_000,
      offset,
    });

  it('leaves a result within the budget as it is', () => {
    const r = bigList(3);
    expect(fitToBudget(r, 1000)).toBe(r);
  });

  it('cuts a list at an item boundary, with next_offset and a hint, within the budget', () => {
    const r = fitToBudget(bigList(500, 40), 2000);
    const sc = r.structuredContent as J;
    expect(text(r).length).toBeLessThanOrEqual(2000 * 4);
    expect(JSON.parse(text(r))).toEqual(sc);
    expect(sc.data.length).toBeGreaterThan(10);
    expect(sc.data.length).toBeLessThan(500);
    expect(sc).toMatchObject({ truncated: true, returned: sc.data.length, next_offset: 40 + sc.data.length });
    expect(sc.data.at(-1)).toEqual({ id: `${40 + sc.data.length - 1}`, description: 'x'.repeat(200) });
    expect(sc.hint).toContain(`offset: ${40 + sc.data.length}`);
  });

  it('skips one item larger than the budget instead of sending the same offset back', () => {
    const r = jsonResult({ data: [{ id: 'huge', blob: 'y'.repeat(50_000) }, { id: 'next' }], offset: 7 });
    const sc = fitToBudget(r, 1000).structuredContent as J;
    expect(sc).toMatchObject({ data: [], next_offset: 8, truncated: true });
    expect(sc.hint).toMatch(/offset 7 alone/);
  });

  it('cuts other results at the items of their largest array, else to a prefix', () => {
    const members = Array.from({ length: 2000 }, (_, i) => `member-${i}`);
    const arr = fitToBudget(jsonResult({ status: 200, result: { name: 'g', static: members } }), 1000);
    const sc = arr.structuredContent as J;
    expect(text(arr).length).toBeLessThanOrEqual(4000);
    expect(sc.result.name).toBe('g');
    expect(sc.truncated).toMatchObject({ field: 'result.static', of: 2000 });
    expect(sc.result.static).toEqual(members.slice(0, sc.truncated.kept));

    const blob = fitToBudget(jsonResult({ status: 200, result: { text: 'z'.repeat(20_000) } }), 1000);
    expect(text(blob).length).toBeLessThanOrEqual(4000);
    expect(blob.structuredContent).toMatchObject({
      truncated: true,
      result_text: expect.stringMatching(/^\{"text":"zzz/),
    });
  });

  it('holds the budget when the bulk sits outside result (error details, push-wait jobs)', () => {
    const details = jsonResult(
      { environment: 'scm', operation: 'x.get', error: { details: 'x'.repeat(200_000) } },
      true,
    );
    const cut = fitToBudget(details, 1000);
    expect(text(cut).length).toBeLessThanOrEqual(4000);
    expect(cut.isError).toBe(true);
    expect(cut.structuredContent).toMatchObject({
      environment: 'scm',
      operation: 'x.get',
      truncated: true,
      result_text: expect.stringMatching(/^\{"environment":"scm"/),
    });

    const jobs = Array.from({ length: 500 }, (_, i) => ({ id: String(i), details: 'y'.repeat(500) }));
    const wait = jsonResult({ environment: 'scm', operation: 'p', result: { job_id: '1' }, wait: { jobs } });
    expect(text(fitToBudget(wait, 1000)).length).toBeLessThanOrEqual(4000);
  });

  it('cuts plain text', () => {
    const r = fitToBudget({ content: [{ type: 'text', text: 'w'.repeat(10_000) }] }, 100);
    expect((r.content[0] as { text: string }).text).toMatch(/^w{400}\n\[cut at about 100 tokens\]$/);
  });
});
