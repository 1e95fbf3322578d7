import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { accept, call, createAddress, type Harness, startHarness } from './approval-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('--approval strict', () => {
  it('refuses gated calls from a client that cannot ask the person, confirmed or not, with a clear message', async () => {
    h = await startHarness({ approval: 'strict', clientName: 'desktop' });
    const id = await createAddress(h.client, 'ioc-strict');
    for (const args of [{ id }, { id, confirm: true }]) {
      const { res, data } = await call(h.client, 'address_delete', args);
      expect(res.isError).toBe(true);
      expect(data.status).toBe('approval_unavailable');
      expect(data.error).toMatch(/--approval strict.*\(desktop\) does not support that\. Nothing was sent/);
      expect(data.approval_token).toBeUndefined();
    }
    expect(h.sandbox.state.find('address', id)).toBeDefined();
    expect(
      h
        .audit()
        .filter((l) => l.tool === 'address_delete')
        .map((l) => l.outcome),
    ).toEqual(['refused', 'refused']);
  });

  it('lets an eliciting client through once the person approves', async () => {
    h = await startHarness({ approval: 'strict', elicit: accept });
    const id = await createAddress(h.client, 'ioc-strict-ok');
    const { res } = await call(h.client, 'address_delete', { id, confirm: true });
    expect(res.isError).toBeFalsy();
    expect(h.sandbox.state.find('address', id)).toBeUndefined();
    expect(h.audit().at(-1)).toMatchObject({
      approval_mode: 'strict',
      approved_by: 'elicitation',
      outcome: 'ok',
    });
  });
});

describe('--approval flag', () => {
  it('takes confirm: true alone, and the audit log says no person approved', async () => {
    h = await startHarness({ approval: 'flag', elicit: accept });
    const id = await createAddress(h.client, 'ioc-flag');
    const preview = await call(h.client, 'address_delete', { id });
    expect(preview.data.status).toBe('confirmation_required');
    const { res } = await call(h.client, 'address_delete', { id, confirm: true });
    expect(res.isError).toBeFalsy();
    expect(h.prompts).toHaveLength(0);
    expect(h.sandbox.state.find('address', id)).toBeUndefined();
    expect(h.audit().at(-1)).toMatchObject({
      approval_mode: 'flag',
      approved_by: 'confirm-flag',
      outcome: 'ok',
    });
  });
});

describe('--approval flag previews', () => {
  it('name the object and, for a push, the changes since the last push, as the other modes do', async () => {
    h = await startHarness({ approval: 'flag' });
    const id = await createAddress(h.client, 'ioc-flag-preview');
    const del = await call(h.client, 'address_delete', { id });
    expect(del.data).toMatchObject({
      status: 'confirmation_required',
      executed: false,
      objects: [{ type: 'address', id, name: 'ioc-flag-preview', folder: 'Shared' }],
    });
    expect(del.data.would).toContain('"ioc-flag-preview"');
    const push = await call(h.client, 'config_version_push', { folders: ['Shared'] });
    expect(push.data.changes_since_last_push).toEqual(['created address "ioc-flag-preview" in Shared']);
    expect(h.sandbox.state.find('address', id)).toBeDefined();
  });
});

describe('--read-only', () => {
  it('lists read tools only (folder_list included) and refuses any other call, sending nothing', async () => {
    h = await startHarness({ readOnly: true });
    const { tools } = await h.client.listTools();
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    const reads = loadCatalog().tools.filter((t) => t.safety === 'read');
    expect(reads).toHaveLength(135);
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(reads.map((t) => t.name)));
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['address_list', 'job_get', 'folder_list']),
    );
    expect(tools.map((t) => t.name)).not.toContain('address_create');

    const before = h.sandbox.requests.length;
    const create = await call(h.client, 'address_create', {
      folder: 'Shared',
      name: 'x',
      ip_netmask: '10.0.0.1',
    });
    expect(create.res.isError).toBe(true);
    expect(create.data).toMatchObject({ status: 'read_only', executed: false, error: { code: 'READ_ONLY' } });
    const push = await call(h.client, 'config_version_push', { folders: ['Shared'], confirm: true });
    expect(push.data.status).toBe('read_only');
    expect(h.sandbox.requests.length).toBe(before);

    const read = await call(h.client, 'address_list', { folder: 'Shared', limit: 1 });
    expect(read.res.isError).toBeFalsy();
    expect(h.client.getInstructions()).toMatch(/READ-ONLY/);
    expect(h.audit().map((l) => `${l.tool}:${l.outcome}:${l.error}`)).toEqual([
      'address_create:refused:read-only mode',
      'config_version_push:refused:read-only mode',
    ]);
  });
});
