import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Harness, startHarness } from './approval-harness.js';

type J = Record<string, any>;

// The real app on its own sandbox, driven by the SDK client: what an assistant sees.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('update with what get or list returned', () => {
  it('address_update takes the object exactly as address_list returned it', async () => {
    const created = await call(h.client, 'address_create', {
      folder: 'Shared',
      name: 'roundtrip-1',
      ip_netmask: '198.51.100.9/32',
      tag: [],
    });
    expect(created.res.isError).toBeFalsy();
    const listed = await call(h.client, 'address_list', { folder: 'Shared', name: 'roundtrip-1' });
    const obj = listed.data.data[0] as J;
    expect(obj).toMatchObject({ id: created.data.result.id, folder: 'Shared' });

    const { res, data } = await call(h.client, 'address_update', { ...obj, description: 'changed' });
    expect(data.error).toBeUndefined();
    expect(res.isError).toBeFalsy();
    expect(data.result).toMatchObject({ id: obj.id, description: 'changed', ip_netmask: '198.51.100.9/32' });
    const got = await call(h.client, 'address_get', { id: obj.id });
    expect(got.data.result).toMatchObject({ folder: 'Shared', description: 'changed' });
  });

  it('security_rule_update takes the rule as security_rule_get returned it (read-only and container fields dropped)', async () => {
    const listed = await call(h.client, 'security_rule_list', {
      folder: 'Shared',
      position: 'pre',
      limit: 1,
    });
    const rule = listed.data.data[0] as J;
    const got = await call(h.client, 'security_rule_get', { id: rule.id });
    const { res, data } = await call(h.client, 'security_rule_update', {
      ...got.data.result,
      description: 'rt',
    });
    expect(data.error).toBeUndefined();
    expect(res.isError).toBeFalsy();
    expect(data.result).toMatchObject({ id: rule.id, description: 'rt', name: rule.name });
  });

  it('the update tool says so in its instruction text, and a truly unknown field is still refused', async () => {
    const { tools } = await h.client.listTools();
    const update = tools.find((t) => t.name === 'address_update')!;
    expect(update.description).toMatch(/as get returns it/);
    // Which fields are ignored is said once, in the server instructions.
    expect(h.client.getInstructions()).toMatch(/container fields \(folder, snippet, device\)/);
    const { res, data } = await call(h.client, 'address_update', {
      id: 'x',
      name: 'y',
      fqdn: 'a.example.com',
      colour: 'red',
    });
    expect(res.isError).toBe(true);
    expect(data.error.fields).toEqual([expect.objectContaining({ field: 'colour' })]);
  });
});

describe('a name filter that finds nothing', () => {
  it('is an empty list, not an error, with the raw status kept', async () => {
    const { res, data } = await call(h.client, 'address_list', {
      folder: 'Shared',
      name: 'no-such-address-anywhere',
    });
    expect(res.isError).toBeFalsy();
    expect(data).toMatchObject({ operation: 'address.list', status: 404, data: [], total: 0 });
    expect(JSON.stringify(data)).not.toMatch(/check the id/i);
    const all = await call(h.client, 'address_list', {
      folder: 'Shared',
      name: 'no-such-address-anywhere',
      all: true,
    });
    expect(all.res.isError).toBeFalsy();
    expect(all.data).toMatchObject({ status: 404, data: [], total: 0 });
    // A name that exists still comes back as a one-item list.
    const found = await call(h.client, 'address_list', { folder: 'Shared', name: 'mail-relay' });
    expect(found.data).toMatchObject({
      status: 200,
      total: 1,
      data: [expect.objectContaining({ name: 'mail-relay' })],
    });
  });

  it('other 404s stay errors', async () => {
    const { res, data } = await call(h.client, 'address_get', { id: '00000000-0000-0000-0000-000000000000' });
    expect(res.isError).toBe(true);
    expect(data.error.status).toBe(404);
  });
});

describe('a field with a default', () => {
  it('position is optional on security_rule_list, and pre is sent when it is left out', async () => {
    const { tools } = await h.client.listTools();
    const list = tools.find((t) => t.name === 'security_rule_list')!;
    expect(list.inputSchema.required ?? []).not.toContain('position');
    const without = await call(h.client, 'security_rule_list', { folder: 'Shared' });
    expect(without.data.error).toBeUndefined();
    const pre = await call(h.client, 'security_rule_list', { folder: 'Shared', position: 'pre' });
    expect(without.data.data.map((r: J) => r.id)).toEqual(pre.data.data.map((r: J) => r.id));
    expect(without.data.total).toBeGreaterThan(0);
  });
});
