import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogFor } from '../../src/catalog/load.js';
import type { IrOperation } from '../../src/openapi/ir.js';
import { buildRoutes } from '../../src/sandbox/routes.js';
import { notServed, start, type TestSandbox } from './helpers.js';

const ops: IrOperation[] = loadCatalogFor('scm').operations;

describe('sandbox serves every operation of the unified SCM API', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await start({ operations: ops });
  });
  afterAll(() => sb?.close());

  it('classifies all 762 from the IR, none left unsupported', () => {
    const { routes } = buildRoutes(ops);
    expect(routes).toHaveLength(762);
    expect(routes.filter((r) => r.kind === 'unsupported').map((r) => r.op.key)).toEqual([]);
  });

  it('routes each of them to a real answer (never 405, 500, 501 or an unknown path)', async () => {
    const failures: string[] = [];
    // Reads first, then writes, destructive last: each call sees the demo tenant mostly intact.
    const order = { GET: 0, PUT: 1, PATCH: 1, POST: 2, DELETE: 3 } as const;
    for (const op of [...ops].sort((a, b) => order[a.method] - order[b.method])) {
      const existing = sb.state.objects(op.resource)[0]?.id ?? randomUUID();
      const path = op.path.replace(/\{[^}]*\}/g, existing);
      const q = new URLSearchParams();
      for (const i of op.inputs) {
        if (i.source !== 'query') continue;
        if (i.apiName === 'folder') q.set('folder', 'Shared');
        else if (i.apiName === 'position') q.set('position', 'pre');
        else if (i.required && !['snippet', 'device'].includes(i.apiName)) q.set(i.apiName, 'coverage');
      }
      const res = await sb.api(
        op.method,
        `${path}${q.size ? `?${q.toString()}` : ''}`,
        op.body ? {} : undefined,
      );
      const failure = notServed(op.key, op.method, path, res);
      if (failure) failures.push(failure);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

describe('Setup API writes: folders and snippets', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await start({ operations: ops });
  });
  afterAll(() => sb?.close());

  it('creates a folder under an existing parent, holds objects in it, and refuses to delete it while used', async () => {
    const made = await sb.api('POST', '/config/setup/v1/folders', { name: 'Lab', parent: 'Shared' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name: 'Lab', parent: 'Shared' });
    const listed = await sb.api('GET', '/config/setup/v1/folders?name=Lab');
    expect(listed.body.data).toEqual([expect.objectContaining({ id: made.body.id, parent: 'Shared' })]);
    const tag = await sb.api('POST', '/config/objects/v1/tags', { name: 'lab-tag', folder: 'Lab' });
    expect(tag.status, JSON.stringify(tag.body)).toBe(201);
    const refused = await sb.api('DELETE', `/config/setup/v1/folders/${made.body.id}`);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain(tag.body.id);
    await sb.api('DELETE', `/config/objects/v1/tags/${tag.body.id}`);
    expect((await sb.api('DELETE', `/config/setup/v1/folders/${made.body.id}`)).status).toBe(200);
  });

  it('refuses a folder without an existing parent, a taken name, and deleting a system folder', async () => {
    const noParent = await sb.api('POST', '/config/setup/v1/folders', { name: 'Orphan', parent: 'Nowhere' });
    expect(noParent.status).toBe(400);
    expect(JSON.stringify(noParent.body)).toContain('parent');
    expect(
      (await sb.api('POST', '/config/setup/v1/folders', { name: 'Shared', parent: 'Shared' })).status,
    ).toBe(409);
    const shared = (await sb.api('GET', '/config/setup/v1/folders?name=Shared')).body.data[0];
    expect((await sb.api('DELETE', `/config/setup/v1/folders/${shared.id}`)).status).toBe(400);
  });

  it('creates a snippet in its own list, with its type', async () => {
    const made = await sb.api('POST', '/config/setup/v1/snippets', {
      name: 'Lab Snippet',
      description: 'lab',
    });
    expect(made.status).toBe(201);
    const listed = await sb.api('GET', '/config/setup/v1/snippets?name=Lab%20Snippet');
    expect(listed.body.data).toEqual([expect.objectContaining({ name: 'Lab Snippet', type: 'custom' })]);
    const folders = await sb.api('GET', '/config/setup/v1/folders?name=Lab%20Snippet');
    expect(folders.body.data).toEqual([]);
  });
});
