import { afterEach, describe, expect, it } from 'vitest';
import { call, type Harness, startHarness } from '../integration/approval-harness.js';
import { resultData } from '../integration/result-data.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const SYSTEM = [
  'Shared',
  'Mobile Users Container',
  'Mobile Users',
  'Mobile Users Explicit Proxy',
  'Remote Networks',
  'Service Connections',
];

async function read(hh: Harness, uri: string): Promise<Record<string, any>> {
  const res = await hh.client.readResource({ uri });
  const content = res.contents[0] as { uri: string; mimeType?: string; text: string };
  expect(content.mimeType).toBe('application/json');
  return JSON.parse(content.text);
}

describe('folders as resources', () => {
  it('scm://folders lists folders and snippets live from the Setup API, and caches them briefly', async () => {
    h = await startHarness();
    const listing = await read(h, 'scm://folders');
    expect(listing.source).toBe('live');
    expect(listing.folders.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining([...SYSTEM, 'Branch Offices']),
    );
    expect(listing.folders.find((f: { name: string }) => f.name === 'Branch Offices')).toMatchObject({
      parent: 'Shared',
      snippets: ['Corporate Baseline'],
    });
    expect(listing.snippets).toEqual([
      expect.objectContaining({ name: 'Corporate Baseline', type: 'snippet' }),
    ]);
    await read(h, 'scm://folders');
    await call(h.client, 'folder_list');
    expect(h.sandbox.requests.filter((r) => r.path === '/config/setup/v1/folders')).toHaveLength(1);
  });

  it('lists one resource per folder, reads a folder with its objects, and completes folder names', async () => {
    h = await startHarness();
    const { resources } = await h.client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(
      expect.arrayContaining([
        'scm://folders',
        'scm://folders/Mobile%20Users',
        'scm://folders/Corporate%20Baseline',
      ]),
    );
    const { resourceTemplates } = await h.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(
      expect.arrayContaining(['scm://folders/{folder}', 'scm://jobs/{id}']),
    );

    const branch = await read(h, 'scm://folders/Branch%20Offices');
    expect(branch).toMatchObject({
      name: 'Branch Offices',
      parent: 'Shared',
      ancestors: ['Shared'],
      description: 'Branch sites with their own rulebase',
      snippets: ['Corporate Baseline'],
    });
    // Own objects and what the folder shows (own plus inherited from Shared).
    expect(branch.objects.addresses.own).toBeGreaterThan(0);
    expect(branch.objects.addresses.visible).toBeGreaterThan(branch.objects.addresses.own);
    expect(branch.objects.security_rules_pre).toEqual({
      own: expect.any(Number),
      visible: expect.any(Number),
    });

    const container = await read(h, 'scm://folders/Mobile%20Users%20Container');
    expect(container.children).toEqual(['Mobile Users', 'Mobile Users Explicit Proxy']);

    const completion = await h.client.complete({
      ref: { type: 'ref/resource', uri: 'scm://folders/{folder}' },
      argument: { name: 'folder', value: 'mob' },
    });
    expect(completion.completion.values).toEqual([
      'Mobile Users Container',
      'Mobile Users',
      'Mobile Users Explicit Proxy',
    ]);
    const inside = await h.client.complete({
      ref: { type: 'ref/resource', uri: 'scm://folders/{folder}' },
      argument: { name: 'folder', value: 'office' },
    });
    expect(inside.completion.values).toEqual(['Branch Offices']);

    await expect(h.client.readResource({ uri: 'scm://folders/Nowhere' })).rejects.toThrow(
      /no folder or snippet named "Nowhere"/,
    );
  });

  it('falls back to the six system folders when the Setup API answers 403, marked source: fallback', async () => {
    h = await startHarness({ sandbox: { foldersForbidden: true } });
    const listing = await read(h, 'scm://folders');
    expect(listing.source).toBe('fallback');
    expect(listing.reason).toMatch(/403/);
    expect(listing.folders.map((f: { name: string }) => f.name)).toEqual(SYSTEM);
    expect(listing.snippets).toEqual([]);

    const tool = await call(h.client, 'folder_list');
    expect(tool.res.isError).toBeFalsy();
    expect(tool.data).toMatchObject({ source: 'fallback', environment: 'scm' });

    // A custom folder still reads by name: the config API knows it.
    const branch = await read(h, 'scm://folders/Branch%20Offices');
    expect(branch).toMatchObject({ name: 'Branch Offices', source: 'fallback' });
    expect(branch.objects.addresses.own).toBeGreaterThan(0);
  });

  it('folder_list mirrors the resources for clients without them, with folder details on request', async () => {
    h = await startHarness();
    const { tools } = await h.client.listTools();
    expect(tools.find((t) => t.name === 'folder_list')?.title).toBe('List folders');
    expect(tools.find((t) => t.name === 'folder_list')?.annotations).toEqual({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    });
    const all = await call(h.client, 'folder_list');
    expect(all.data).toMatchObject({ source: 'live', environment: 'scm' });
    expect(all.data).toEqual(expect.objectContaining({ folders: (await read(h, 'scm://folders')).folders }));
    const one = await call(h.client, 'folder_list', { folder: 'Remote Networks' });
    expect(one.data).toMatchObject({ name: 'Remote Networks', parent: 'Shared' });
    const bad = await call(h.client, 'folder_list', { folder: 'remote networks' });
    expect(bad.res.isError).toBe(true);
    expect(bad.data.known).toContain('Remote Networks');
    const wrong = await call(h.client, 'folder_list', { colour: 'red' });
    expect(wrong.res.isError).toBe(true);
  });

  it('scm://jobs/{id} reads a job; a missing job is a clear error', async () => {
    h = await startHarness({ approval: 'flag' });
    const pushed = await call(h.client, 'config_version_push', { folders: ['Shared'], confirm: true });
    const jobId = pushed.data.result.job_id as string;
    const body = await read(h, `scm://jobs/${jobId}`);
    expect(body.job).toMatchObject({ id: jobId, type: 'CommitAndPush' });
    await expect(h.client.readResource({ uri: 'scm://jobs/999999' })).rejects.toThrow(/job 999999.*404/);
    await expect(h.client.readResource({ uri: 'scm://jobs/abc' })).rejects.toThrow(/job ids are numbers/);
  });
});

describe('folder_list, built like every other tool', () => {
  it('refuses bad arguments in the same INVALID_ARGUMENTS shape as the other tools, naming the field', async () => {
    h = await startHarness();
    const shapes = [];
    for (const [args, field] of [
      [{ folder: 7 }, 'folder'],
      [{ refresh: 'yes' }, 'refresh'],
      [{ colour: 'red' }, 'colour'],
      [{ folder: '' }, 'folder'],
      [{ folder: 'a\uD800' }, 'folder'],
    ] as const) {
      const { res, data } = await call(h.client, 'folder_list', args);
      expect(res.isError).toBe(true);
      expect(data.error).toMatchObject({
        code: 'INVALID_ARGUMENTS',
        message: expect.stringContaining(field),
      });
      expect(data.error.fields).toEqual([expect.objectContaining({ field })]);
      shapes.push(Object.keys(data).sort());
    }
    const other = await call(h.client, 'tool_search', { toolset: 7 });
    expect(shapes.every((s) => JSON.stringify(s) === JSON.stringify(Object.keys(other.data).sort()))).toBe(
      true,
    );
    const asText = await h.client.callTool({ name: 'folder_list', arguments: 'folders please' as never });
    expect((resultData(asText) as Record<string, any>).error.fields).toEqual([
      expect.objectContaining({ field: 'arguments' }),
    ]);
    expect(h.sandbox.requests.filter((r) => r.path === '/config/setup/v1/folders')).toHaveLength(0);
  });

  it('lists its schema as emitted from the zod schema it validates with (strict, described)', async () => {
    h = await startHarness();
    const { tools } = await h.client.listTools();
    const tool = tools.find((t) => t.name === 'folder_list')!;
    expect(tool.inputSchema).toMatchObject({
      type: 'object',
      properties: { folder: { type: 'string', minLength: 1 }, refresh: { type: 'boolean' } },
    });
    const ok = await call(h.client, 'folder_list', { folder: 'Shared', refresh: true });
    expect(ok.res.isError).toBeFalsy();
  });
});
