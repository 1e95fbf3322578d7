import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { fakeScm, type Served, serve } from './harness.js';

type J = Record<string, any>;

let s: Served | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const withoutCallIds = (records: J[]) => records.map(({ callId: _c, ...r }) => r);

describe('tool_search', () => {
  it('ranks tools for free text: names, one line each, and whether each is listed', async () => {
    s = await serve({});
    const { res, data } = await s.call('tool_search', { query: 'decryption rule' });
    expect(res.isError).toBeFalsy();
    expect(data.results[0]).toEqual({
      name: 'decryption_rule_list',
      toolset: 'policy',
      safety: 'read',
      listed: false,
      description: 'List decryption rules → {data[{id,name}],total,next_offset}.',
    });
    expect(data.results).toHaveLength(10);
    expect(data.total_matches).toBeGreaterThan(10);
    const push = await s.call('tool_search', { query: 'push', limit: 1 });
    expect(push.data.results).toEqual([
      expect.objectContaining({ name: 'config_version_push', listed: true }),
    ]);
  });

  it('filters by toolset, and lists the toolsets when asked nothing', async () => {
    s = await serve({ toolsets: ['discovery'] });
    const network = await s.call('tool_search', { toolset: 'network' });
    const expected = loadCatalog().tools.filter((t) => t.toolset === 'network');
    expect(network.data.total_matches).toBe(expected.length);
    expect(network.data.results.map((r: J) => r.name)).toEqual(expected.map((t) => t.name).sort());
    const both = await s.call('tool_search', { toolset: 'policy', query: 'move' });
    expect(new Set(both.data.results.map((r: J) => r.toolset))).toEqual(new Set(['policy']));
    const sets = await s.call('tool_search', {});
    expect(sets.data.toolsets.reduce((n: number, t: J) => n + t.tools, 0)).toBe(344);
    expect(sets.data.toolsets.find((t: J) => t.name === 'objects')).toMatchObject({ listed: 0, tools: 82 });
  });

  it('refuses bad arguments naming the field', async () => {
    s = await serve({});
    const { res, data } = await s.call('tool_search', { toolset: 'nope' });
    expect(res.isError).toBe(true);
    expect(data.error.fields[0].field).toBe('toolset');
  });
});

describe('tool_describe', () => {
  it('gives the whole schema (with field prose) and safety, where tools/list shows a shortened one', async () => {
    s = await serve({ toolsets: ['all'] });
    const { tools } = await s.client.listTools();
    const listed = tools.find((t) => t.name === 'hip_object_create')!;
    expect(listed.description).toMatch(/Whole schema: tool_describe/);
    expect((listed.inputSchema.properties as J).anti_malware).toMatchObject({
      type: 'object',
      properties: {},
    });

    const { data } = await s.call('tool_describe', { name: 'hip_object_create' });
    expect(data).toMatchObject({
      name: 'hip_object_create',
      toolset: 'objects',
      safety: 'write',
      gated: false,
      listed: true,
      http: 'POST /sse/config/v1/hip-objects',
    });
    expect(Object.keys(data.input_schema.properties.anti_malware.properties).length).toBeGreaterThan(2);
    expect(JSON.stringify(data.input_schema).length).toBeGreaterThan(
      JSON.stringify(listed.inputSchema).length * 5,
    );
    const del = await s.call('tool_describe', { name: 'address_delete' });
    expect(del.data).toMatchObject({ safety: 'destructive', gated: true });
    expect(del.data.input_schema.properties).toHaveProperty('confirm');
  });

  it('says how to call a tool that is not listed, and names near misses', async () => {
    s = await serve({ toolsets: ['discovery'] });
    const { data } = await s.call('tool_describe', { name: 'ike_gateway_list' });
    expect(data.listed).toBe(false);
    expect(data.how_to_call).toMatch(/tool_call/);
    const miss = await s.call('tool_describe', { name: 'ike_gateway_lst' });
    expect(miss.res.isError).toBe(true);
    expect(miss.data.did_you_mean).toContain('ike_gateway_list');
  });
});

describe('tool_call', () => {
  it('runs an unlisted tool through the same pipeline as a direct call', async () => {
    const args = { folder: 'Shared', name: 'ioc-1', ip_netmask: '192.0.2.1/32' };
    s = await serve({ toolsets: ['all'] });
    const direct = await s.call('address_create', args);
    const directAudit = withoutCallIds(s.audit.splice(0));
    await s.close();

    s = await serve({ toolsets: ['discovery'] });
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name)).not.toContain('address_create');
    const via = await s.call('tool_call', { name: 'address_create', arguments: args });
    expect(via.res).toEqual(direct.res);
    expect(withoutCallIds(s.audit)).toEqual(directAudit);
    expect(s.sent).toHaveLength(1);
    expect(s.sent[0]).toMatchObject({ method: 'POST', query: { folder: 'Shared' }, body: { name: 'ioc-1' } });
  });

  it('keeps a gated call gated: no confirm, a preview and nothing sent; confirm sends it', async () => {
    s = await serve({ toolsets: ['discovery'] });
    const preview = await s.call('tool_call', { name: 'address_delete', arguments: { id: 'abc' } });
    expect(preview.res.isError).toBeFalsy();
    expect(preview.data).toMatchObject({
      status: 'confirmation_required',
      executed: false,
      environment: 'sandbox',
    });
    expect(s.sent).toHaveLength(0);
    const push = await s.call('tool_call', {
      name: 'config_version_push',
      arguments: { folders: ['Shared'] },
    });
    expect(push.data).toMatchObject({ status: 'confirmation_required', executed: false });
    expect(s.sent).toHaveLength(0);
    expect(s.audit.map((a) => `${a.tool}:${a.outcome}`)).toEqual([
      'address_delete:preview',
      'config_version_push:preview',
    ]);

    const done = await s.call('tool_call', {
      name: 'address_delete',
      arguments: { id: 'abc', confirm: true },
    });
    expect(done.res.isError).toBeFalsy();
    expect(s.sent).toEqual([expect.objectContaining({ method: 'DELETE', pathParams: { id: 'abc' } })]);
  });

  it('validates the target arguments against the whole schema, naming the field, sending nothing', async () => {
    s = await serve({ toolsets: ['discovery'] });
    const bad = await s.call('tool_call', {
      name: 'hip_object_create',
      arguments: { folder: 'Shared', name: 'h', anti_malware: { criteria: { is_installed: 'yes' } } },
    });
    expect(bad.res.isError).toBe(true);
    expect(JSON.stringify(bad.data.error.fields)).toContain('anti_malware.criteria.is_installed');
    expect(s.sent).toHaveLength(0);
  });

  it('takes arguments sent as JSON text', async () => {
    s = await serve({ toolsets: ['discovery'] });
    const { data } = await s.call('tool_call', {
      name: 'tag_list',
      arguments: '{"folder":"Shared","fields":["name"]}',
    });
    expect(data.data[0]).toEqual({ id: 'id-0', name: 'obj-0' });
  });

  it('refuses unknown tools, and the discovery tools themselves', async () => {
    s = await serve({});
    const unknown = await s.call('tool_call', { name: 'adress_create', arguments: {} });
    expect(unknown.res.isError).toBe(true);
    expect(unknown.data).toMatchObject({ error: { code: 'UNKNOWN_TOOL' } });
    expect(unknown.data.did_you_mean).toContain('address_create');
    const nested = await s.call('tool_call', { name: 'tool_call', arguments: { name: 'tag_list' } });
    expect(nested.data.error.code).toBe('NOT_THROUGH_TOOL_CALL');
    expect(s.sent).toHaveLength(0);
  });

  it('reaches every one of the 344 operations with --toolsets discovery', async () => {
    s = await serve({ toolsets: ['discovery'] });
    const misses: string[] = [];
    for (const t of loadCatalog().tools) {
      const found = await s.call('tool_search', { query: t.name, limit: 1 });
      const described = await s.call('tool_describe', { name: t.name });
      if (found.data.results[0]?.name !== t.name || described.res.isError) misses.push(t.name);
    }
    expect(misses).toEqual([]);
    // And runs them: a read with no required input.
    const jobs = await s.call('tool_call', { name: 'job_list', arguments: {} });
    expect(jobs.res.isError).toBeFalsy();
  });
});

describe('selection rules in discovery', () => {
  it('read-only: tool_call refuses every non-read tool, sending nothing; search and describe hide them', async () => {
    s = await serve({ readOnly: true, toolsets: ['discovery'] });
    const create = await s.call('tool_call', {
      name: 'address_create',
      arguments: { folder: 'Shared', name: 'x', ip_netmask: '10.0.0.1' },
    });
    expect(create.res.isError).toBe(true);
    expect(create.data).toMatchObject({ status: 'read_only', executed: false, error: { code: 'READ_ONLY' } });
    const push = await s.call('tool_call', {
      name: 'config_version_push',
      arguments: { folders: ['Shared'], confirm: true },
    });
    expect(push.data.error.code).toBe('READ_ONLY');
    expect(s.sent).toHaveLength(0);
    const found = await s.call('tool_search', { query: 'address', limit: 100 });
    expect(found.data.results.every((r: J) => r.safety === 'read')).toBe(true);
    const described = await s.call('tool_describe', { name: 'address_create' });
    expect(described.data.error.code).toBe('READ_ONLY');
    const read = await s.call('tool_call', { name: 'address_list', arguments: { folder: 'Shared' } });
    expect(read.res.isError).toBeFalsy();
    expect(s.sent).toHaveLength(1);
    const { tools } = await s.client.listTools();
    expect(tools.find((t) => t.name === 'tool_call')?.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
    });
  });

  it('--exclude-tools: not listed, not found, not run', async () => {
    s = await serve({ excludeTools: ['address_delete'] });
    const res = await s.call('tool_call', { name: 'address_delete', arguments: { id: 'a', confirm: true } });
    expect(res.data.error.code).toBe('EXCLUDED');
    const found = await s.call('tool_search', { query: 'delete address', limit: 50 });
    expect(found.data.results.map((r: J) => r.name)).not.toContain('address_delete');
    expect(s.sent).toHaveLength(0);
  });

  it('a tool that is not listed is still callable by name, but an excluded one is not', async () => {
    s = await serve({ toolsets: ['discovery'], excludeTools: ['address_delete'] });
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name)).not.toContain('tag_list');
    const res = await s.call('tag_list', { folder: 'Shared' });
    expect(res.res.isError).toBeFalsy();
    expect(s.sent.at(-1)).toMatchObject({ method: 'GET', path: '/sse/config/v1/tags' });
    await expect(s.client.callTool({ name: 'address_delete', arguments: { id: 'a' } })).rejects.toThrow(
      /Unknown tool: address_delete/,
    );
  });
});

describe('the instructions', () => {
  it('say how to reach the unlisted tools, and about shortened schemas only when one is listed', async () => {
    s = await serve({});
    const listed = s.surface.listed.length;
    // No folder_list here: generated tools only (344), of which listed minus the three discovery tools.
    expect(s.surface.instructions).toContain(
      `Discovery: ${listed} tools are listed; ${344 - (listed - 3)} more are reachable.`,
    );
    expect(s.surface.instructions).toMatch(/next_offset/);
    await s.close();
    s = await serve({ toolsets: ['objects'] });
    expect(s.surface.instructions).toMatch(/shortened schema/); // external_dynamic_list_create is abbreviated
    await s.close();
    s = await serve({ toolsets: ['policy'] });
    expect(s.surface.instructions).not.toMatch(/Discovery/);
    expect(s.surface.listed.map((t) => t.definition.name)).not.toContain('tool_call');
  });

  it('tool_describe is served with any tool whose listed schema is shortened', async () => {
    s = await serve({ toolsets: ['objects'] });
    const names = s.surface.listed.map((t) => t.definition.name);
    expect(names).toContain('tool_describe');
    expect(names).not.toContain('tool_call');
  });
});

describe('paging through a large list', () => {
  it('cuts each result to the budget at an item boundary; next_offset walks the whole list', async () => {
    const scm = fakeScm(3000, (i) => ({ id: `id-${i}`, name: `obj-${i}`, description: 'd'.repeat(100) }));
    s = await serve({ toolsets: ['discovery'] }, scm, { resultBudgetTokens: 10_000 });
    const seen: string[] = [];
    let offset: number | undefined = 0;
    let calls = 0;
    while (offset !== undefined && calls++ < 20) {
      const { res, data } = await s.call('tool_call', {
        name: 'address_list',
        arguments: { folder: 'Shared', all: true, offset },
      });
      expect((res.content[0] as { text: string }).text.length).toBeLessThanOrEqual(40_000);
      expect(data.offset).toBe(offset);
      seen.push(...data.data.map((d: J) => d.id));
      offset = data.next_offset;
    }
    expect(calls).toBeGreaterThan(3);
    expect(seen).toEqual(Array.from({ length: 3000 }, (_, i) => `id-${i}`));
  });
});
