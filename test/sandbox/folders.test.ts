import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type TestSandbox } from './helpers.js';

describe('sandbox folders API', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await start();
  });
  afterAll(() => sb.close());

  it('lists the six system folders, a custom folder and a snippet', async () => {
    const { status, body } = await sb.api('GET', '/config/setup/v1/folders');
    expect(status).toBe(200);
    expect(body).toMatchObject({ offset: 0, limit: 200 });
    const names = body.data.map((f: { name: string }) => f.name);
    for (const system of [
      'Shared',
      'Mobile Users',
      'Remote Networks',
      'Service Connections',
      'Mobile Users Container',
      'Mobile Users Explicit Proxy',
    ])
      expect(names).toContain(system);
    expect(body.data.find((f: { name: string }) => f.name === 'Branch Offices')).toMatchObject({
      parent: 'Shared',
    });
    // As the Setup API's schema has them: every folder row has `parent`; snippets are not folders.
    for (const f of body.data) expect(f, f.name).toHaveProperty('parent');
    expect(names).not.toContain('Corporate Baseline');
    const snippets = await sb.api('GET', '/config/setup/v1/snippets');
    expect(snippets.status).toBe(200);
    expect(snippets.body.data).toEqual([
      expect.objectContaining({ name: 'Corporate Baseline', type: 'custom' }),
    ]);
    expect(snippets.body.data[0]).not.toHaveProperty('parent');
    const one = await sb.api('GET', `/config/setup/v1/folders/${body.data[0].id}`);
    expect(one.body.name).toBe(body.data[0].name);
  });

  it('answers 403 while the switch is on, and recovers when it is off', async () => {
    sb.setFoldersForbidden(true);
    const denied = await sb.api('GET', '/config/setup/v1/folders');
    expect(denied.status).toBe(403);
    expect(denied.body._errors[0].code).toBe('E007');
    // The config API is unaffected.
    expect((await sb.api('GET', 'tags?folder=Shared')).status).toBe(200);
    sb.setFoldersForbidden(false);
    expect((await sb.api('GET', '/config/setup/v1/folders')).status).toBe(200);
  });

  it('accepts any existing folder name, case-sensitive, in the config API', async () => {
    expect((await sb.api('GET', 'tags?folder=Branch%20Offices')).status).toBe(200);
    expect((await sb.api('GET', 'tags?folder=branch%20offices')).status).toBe(400);
  });

  it('starts with foldersForbidden when asked', async () => {
    const locked = await start({ foldersForbidden: true, seedDemo: false });
    try {
      expect((await locked.api('GET', '/config/setup/v1/folders')).status).toBe(403);
    } finally {
      await locked.close();
    }
  });
});
