import { describe, expect, it } from 'vitest';
import { FolderDirectory, SYSTEM_FOLDERS, toFolderInfo } from '../../src/resources/folder-directory.js';
import { completeNames } from '../../src/resources/register.js';
import { ScmApiError, ScmNetworkError } from '../../src/scm/errors.js';
import type { ScmRequest, ScmResponse } from '../../src/scm/http-client.js';

function fakeClient(answer: (req: ScmRequest) => ScmResponse) {
  const sent: ScmRequest[] = [];
  return {
    sent,
    client: {
      request: async (req: ScmRequest) => {
        sent.push(req);
        return answer(req);
      },
    },
  };
}

const folder = (name: string, extra: Record<string, unknown> = {}) => ({ id: `id-${name}`, name, ...extra });

describe('FolderDirectory', () => {
  it('reads the Setup API (paged) and derives snippets named by folders', async () => {
    const all = [
      folder('Shared', { parent: '' }),
      folder('Remote Networks', { parent: 'Shared' }),
      folder('Branch', { parent: 'Shared', snippets: ['Baseline', { name: 'Extra' }], labels: ['x'] }),
      folder('Baseline', { type: 'snippet', description: 'objects' }),
    ];
    const { client, sent } = fakeClient((req) => {
      const { limit, offset } = req.query as { limit: number; offset: number };
      return {
        status: 200,
        headers: {},
        body: { data: all.slice(offset, offset + limit), total: all.length, limit, offset },
      };
    });
    const dir = new FolderDirectory({ client });
    const listing = await dir.list();
    expect(sent).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/config/setup/v1/folders',
        base: 'setup',
        query: { limit: 200, offset: 0 },
      }),
    ]);
    expect(listing.source).toBe('live');
    expect(listing.folders.map((f) => f.name)).toEqual(['Shared', 'Remote Networks', 'Branch']);
    expect(listing.folders[2]).toEqual({
      name: 'Branch',
      type: 'folder',
      id: 'id-Branch',
      parent: 'Shared',
      labels: ['x'],
      snippets: ['Baseline', 'Extra'],
    });
    expect(listing.snippets.map((s) => s.name)).toEqual(['Baseline', 'Extra']);
    expect(await dir.names()).toEqual(['Shared', 'Remote Networks', 'Branch', 'Baseline', 'Extra']);
  });

  it('caches for a while (injected clock), shares one request between concurrent readers, refreshes on demand', async () => {
    let now = 0;
    const { client, sent } = fakeClient(() => ({
      status: 200,
      headers: {},
      body: { data: [folder('Shared')], total: 1 },
    }));
    const dir = new FolderDirectory({ client, ttlMs: 45_000, now: () => now });
    await Promise.all([dir.list(), dir.list(), dir.names()]);
    expect(sent).toHaveLength(1);
    now = 44_999;
    await dir.list();
    expect(sent).toHaveLength(1);
    now = 45_000;
    await dir.list();
    expect(sent).toHaveLength(2);
    await dir.list({ refresh: true });
    expect(sent).toHaveLength(3);
  });

  it.each([401, 403, 404])('falls back to the system folders on %i, marked as such', async (status) => {
    const { client } = fakeClient(() => {
      throw new ScmApiError({ status, text: 'nope' });
    });
    const listing = await new FolderDirectory({ client }).list();
    expect(listing).toMatchObject({
      source: 'fallback',
      snippets: [],
      reason: expect.stringContaining(String(status)),
    });
    expect(listing.folders).toEqual(SYSTEM_FOLDERS);
  });

  it('lets other failures through (they are not a refusal)', async () => {
    const { client } = fakeClient(() => {
      throw new ScmApiError({ status: 500, text: 'boom' });
    });
    await expect(new FolderDirectory({ client }).list()).rejects.toThrow(/500/);
    const { client: down } = fakeClient(() => {
      throw new ScmNetworkError({ operation: 'folder.list', attempts: 3, cause: new Error('ECONNREFUSED') });
    });
    await expect(new FolderDirectory({ client: down }).list()).rejects.toThrow(/network error/);
  });

  it('toFolderInfo skips nameless records and empty fields', () => {
    expect(toFolderInfo({ id: 'x' })).toBeUndefined();
    expect(toFolderInfo({ name: 'A', parent: '', description: '', labels: [], snippets: [] })).toEqual({
      name: 'A',
      type: 'folder',
    });
  });
});

describe('completeNames', () => {
  it('prefix matches first, then substring, case-insensitive', () => {
    const names = ['Shared', 'Mobile Users', 'Remote Networks', 'Branch Mobile'];
    expect(completeNames(names, 'mo')).toEqual(['Mobile Users', 'Remote Networks', 'Branch Mobile']);
    expect(completeNames(names, '')).toEqual(names);
    expect(completeNames(names, 'zzz')).toEqual([]);
  });
});
