import { describe, expect, it } from 'vitest';
import { fakeScm, serve } from '../discovery/harness.js';

// scope is the server's own argument: read every page, filter on the owner, never sent upstream.
describe('scope: "folder" through the pipeline', () => {
  it('filters on the owning folder, pages at the clamp, and sends no scope', async () => {
    const scm = fakeScm(7_000, (i) => ({
      id: `id-${i}`,
      name: `obj-${i}`,
      folder: i % 1000 === 0 ? 'Branch' : 'Shared',
    }));
    const s = await serve({ toolsets: ['all'] }, scm);
    try {
      const { res, data } = await s.call('address_list', { folder: 'Branch', scope: 'folder' });
      expect(res.isError).toBeFalsy();
      expect(data.data.map((o: { name: string }) => o.name)).toEqual([
        'obj-0',
        'obj-1000',
        'obj-2000',
        'obj-3000',
        'obj-4000',
        'obj-5000',
        'obj-6000',
      ]);
      expect(data.total).toBe(7);
      expect(scm.sent.map((r) => [r.query.limit, r.query.offset])).toEqual([
        [5000, 0],
        [5000, 5000],
      ]);
      expect(scm.sent.every((r) => !('scope' in r.query))).toBe(true);
    } finally {
      await s.close();
    }
  });
});
