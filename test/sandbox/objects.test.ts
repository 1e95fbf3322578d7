import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rule, start, type TestSandbox } from './helpers.js';

describe('sandbox objects: create, read, update, delete, validation', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await start();
  });
  afterAll(() => sb.close());

  it('creates with 201, the new id and folder, and reads it back by id', async () => {
    const created = await sb.api('POST', 'addresses?folder=Shared', {
      name: 'crud-a',
      ip_netmask: '192.0.2.1/32',
      tag: ['Web'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'crud-a',
      folder: 'Shared',
      ip_netmask: '192.0.2.1/32',
      tag: ['Web'],
    });
    const got = await sb.api('GET', `addresses/${created.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
  });

  it('takes the folder from the body when the query has none, but not two different ones', async () => {
    const ok = await sb.api('POST', 'tags', { name: 'crud-body-folder', folder: 'Shared' });
    expect(ok.status).toBe(201);
    expect(ok.body.folder).toBe('Shared');
    const clash = await sb.api('POST', 'tags?folder=Shared', { name: 'crud-x', folder: 'Mobile Users' });
    expect(clash.status).toBe(400);
  });

  it('updates with a full PUT: fields not sent are gone', async () => {
    const created = await sb.api('POST', 'addresses?folder=Shared', {
      name: 'crud-b',
      ip_netmask: '192.0.2.2',
      description: 'old',
    });
    const put = await sb.api('PUT', `addresses/${created.body.id}`, {
      name: 'crud-b',
      fqdn: 'b.example.com',
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      id: created.body.id,
      name: 'crud-b',
      folder: 'Shared',
      fqdn: 'b.example.com',
    });
  });

  it('rejects read-only id in the body, and unknown fields, with E003 naming them', async () => {
    const created = await sb.api('POST', 'tags?folder=Shared', { name: 'crud-tag' });
    const put = await sb.api('PUT', `tags/${created.body.id}`, {
      id: created.body.id,
      name: 'crud-tag',
      colour: 'Red',
    });
    expect(put.status).toBe(400);
    const err = put.body._errors[0];
    expect(err.code).toBe('E003');
    expect(err.details.errors.map((e: { field: string }) => e.field).sort()).toEqual(['colour', 'id']);
  });

  it('validates bodies against the spec: missing, wrong type, enum, one-of, null', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['addresses?folder=Shared', { ip_netmask: '10.0.0.1' }, 'name'],
      ['addresses?folder=Shared', { name: 'v1', ip_netmask: 10 }, 'ip_netmask'],
      ['tags?folder=Shared', { name: 'v2', color: 'Pink' }, 'color'],
      ['tags?folder=Shared', { name: 'v3', color: null }, 'color'],
      ['services?folder=Shared', { name: 'v4', protocol: { tcp: { port: 80 } } }, 'protocol.tcp.port'],
    ];
    for (const [path, body, field] of cases) {
      const res = await sb.api('POST', path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body._errors[0].code).toBe('E003');
      expect(res.body._errors[0].details.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const both = await sb.api('POST', 'addresses?folder=Shared', {
      name: 'v5',
      ip_netmask: '10.0.0.1',
      fqdn: 'x.example.com',
    });
    expect(both.status).toBe(400);
    expect(both.body._errors[0].details.message.join()).toMatch(/only one of ip_netmask/);
    const none = await sb.api('POST', 'addresses?folder=Shared', { name: 'v6' });
    expect(none.body._errors[0].details.message.join()).toMatch(
      /one of ip_netmask, ip_range, ip_wildcard, fqdn is required/,
    );
  });

  it('wants source_user and category on a security rule, as the live API does', async () => {
    const { source_user, category, ...body } = rule('needs-user');
    expect(source_user && category).toBeTruthy();
    const res = await sb.api('POST', 'security-rules?folder=Shared&position=pre', body);
    expect(res.status).toBe(400);
    expect(res.body._errors[0].details.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'category',
      'source_user',
    ]);
  });

  it('answers 400 for a missing body, bad JSON, a missing or unknown folder', async () => {
    expect((await sb.api('POST', 'tags?folder=Shared')).status).toBe(400);
    const bad = await fetch(`${sb.url}/sse/config/v1/tags?folder=Shared`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await sb.token()}`, 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(bad.status).toBe(400);
    const noFolder = await sb.api('GET', 'tags');
    expect(noFolder.status).toBe(400);
    expect(noFolder.body._errors[0].message).toBe('Missing Query Parameter: folder');
    const unknown = await sb.api('GET', 'tags?folder=shared');
    expect(unknown.status).toBe(400);
    expect(unknown.body._errors[0].message).toBe('Invalid Query Parameter: folder=shared');
  });

  it('answers 400 to a request target that is not a URL, and keeps serving', async () => {
    const { port } = new URL(sb.url);
    const status = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.write('GET http://a:b:c/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (d) => (text += String(d)));
      socket.on('close', () => resolve(text.split('\r\n')[0] ?? ''));
      setTimeout(() => socket.destroy(), 2000);
    });
    expect(status).toBe('HTTP/1.1 400 Bad Request');
    expect((await sb.api('GET', 'tags?folder=Shared')).status).toBe(200);
  });

  it('keeps names unique per folder and resource: 409 E006', async () => {
    expect(
      (await sb.api('POST', 'addresses?folder=Shared', { name: 'dup', fqdn: 'a.example.com' })).status,
    ).toBe(201);
    const again = await sb.api('POST', 'addresses?folder=Shared', { name: 'dup', fqdn: 'b.example.com' });
    expect(again.status).toBe(409);
    expect(again.body._errors[0]).toMatchObject({ code: 'E006', message: 'Name Not Unique' });
    // Another folder, or another resource, may reuse the name.
    expect(
      (await sb.api('POST', 'addresses?folder=Branch%20Offices', { name: 'dup', fqdn: 'c.example.com' }))
        .status,
    ).toBe(201);
    expect((await sb.api('POST', 'tags?folder=Shared', { name: 'dup' })).status).toBe(201);
    // A rename onto a taken name is refused too.
    const other = await sb.api('POST', 'addresses?folder=Shared', { name: 'dup-2', fqdn: 'd.example.com' });
    const rename = await sb.api('PUT', `addresses/${other.body.id}`, { name: 'dup', fqdn: 'd.example.com' });
    expect(rename.status).toBe(409);
  });

  it('answers 404 E005 for unknown ids on get, update and delete', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const [method, body] of [
      ['GET'],
      ['PUT', { name: 'x', fqdn: 'x.example.com' }],
      ['DELETE'],
    ] as const) {
      const res = await sb.api(method, `addresses/${id}`, body);
      expect(res.status, method).toBe(404);
      expect(res.body._errors[0]).toMatchObject({ code: 'E005', message: 'Object Not Present' });
    }
    // An id of another resource is unknown here too.
    expect((await sb.api('GET', `tags/${sb.idOf('address', 'web-srv-01')}`)).status).toBe(404);
  });

  it('deletes with 200 and the object is gone', async () => {
    const created = await sb.api('POST', 'tags?folder=Shared', { name: 'to-delete' });
    const del = await sb.api('DELETE', `tags/${created.body.id}`);
    expect(del.status).toBe(200);
    expect(del.body.name).toBe('to-delete');
    expect((await sb.api('GET', `tags/${created.body.id}`)).status).toBe(404);
  });

  it('keeps remote networks in their system folder', async () => {
    const body = { name: 'rn-x', region: 'us-east-1', license_type: 'FWAAS-AGGREGATE' };
    const wrong = await sb.api('POST', 'remote-networks?folder=Shared', body);
    expect(wrong.status).toBe(400);
    expect(wrong.body._errors[0].details.message.join()).toMatch(/Remote Networks/);
    expect((await sb.api('POST', 'remote-networks?folder=Remote%20Networks', body)).status).toBe(201);
  });

  it('never echoes secrets: they come back encrypted', async () => {
    const res = await sb.api('POST', 'local-users?folder=Mobile%20Users', {
      name: 'alice',
      password: 'hunter2',
    });
    expect(res.status).toBe(201);
    expect(res.body.password).toMatch(/^-AQ==/);
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
  });

  it('serves name-keyed and tenant-wide resources too', async () => {
    const created = await sb.api('POST', 'auto-tag-actions', {
      name: 'tag-bad',
      filter: '(severity eq critical)',
    });
    expect(created.status).toBe(201);
    expect((await sb.api('GET', 'auto-tag-actions?name=tag-bad')).body.name).toBe('tag-bad');
    const put = await sb.api('PUT', 'auto-tag-actions', { name: 'tag-bad', filter: '(severity eq high)' });
    expect(put.body.filter).toBe('(severity eq high)');
    expect((await sb.api('DELETE', 'auto-tag-actions?name=tag-bad')).status).toBe(200);
    expect((await sb.api('DELETE', 'auto-tag-actions?name=tag-bad')).status).toBe(404);

    const bgp = await sb.api('PUT', 'bgp-routing', { backbone_routing: 'asymmetric-routing-only' });
    expect(bgp.status).toBe(200);
    const got = await sb.api('GET', 'bgp-routing');
    expect(got.body.data[0]).toEqual({ backbone_routing: 'asymmetric-routing-only' });
  });
});
