import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rule, start, type TestSandbox } from './helpers.js';

describe('sandbox references: E009 Reference Not Zero', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await start();
  });
  afterAll(() => sb.close());

  const expectInUse = async (path: string, where: RegExp) => {
    const res = await sb.api('DELETE', path);
    expect(res.status, path).toBe(409);
    const err = res.body._errors[0];
    expect(err).toMatchObject({ code: 'E009', message: 'Reference Not Zero' });
    expect(err.details.errorType).toBe('Reference Not Zero');
    expect(err.details.message.join('\n')).toMatch(where);
  };

  it('refuses to delete an address still in a group, and names the group', async () => {
    await expectInUse(
      `addresses/${sb.idOf('address', 'db-srv-01')}`,
      /address-group -> db-servers -> static/,
    );
  });

  it('refuses to delete a tag still on an object', async () => {
    await expectInUse(`tags/${sb.idOf('tag', 'PCI')}`, /address -> db-srv-01 -> tag/);
  });

  it('refuses to delete what a security rule uses: group, service, profile group, URL category, app group', async () => {
    await expectInUse(
      `address-groups/${sb.idOf('addressGroup', 'dns-servers')}`,
      /security-rule -> Allow-DNS -> destination/,
    );
    await expectInUse(
      `services/${sb.idOf('service', 'ms-sql')}`,
      /security-rule -> Allow-App-To-DB -> service/,
    );
    await expectInUse(
      `profile-groups/${sb.idOf('profileGroup', 'Corp-Standard')}`,
      /security-rule -> .* -> profile_setting.group/,
    );
    await expectInUse(
      `url-categories/${sb.idOf('urlCategory', 'Blocked-Sites')}`,
      /security-rule -> Block-Malicious-URLs -> category/,
    );
    await expectInUse(
      `application-groups/${sb.idOf('applicationGroup', 'collaboration')}`,
      /security-rule -> Allow-Collaboration -> application/,
    );
    await expectInUse(
      `external-dynamic-lists/${sb.idOf('externalDynamicList', 'Threat-Intel-IPs')}`,
      /security-rule -> Block-Threat-Intel -> source/,
    );
  });

  it('sees references from custom folders to Shared objects', async () => {
    await expectInUse(
      `address-groups/${sb.idOf('addressGroup', 'datacenter')}`,
      /Branch Offices -> security-rule -> Branch-To-Datacenter/,
    );
  });

  it('allows the delete once nothing uses the object', async () => {
    const addr = await sb.api('POST', 'addresses?folder=Shared', { name: 'ref-a', ip_netmask: '192.0.2.10' });
    const grp = await sb.api('POST', 'address-groups?folder=Shared', { name: 'ref-g', static: ['ref-a'] });
    const r = await sb.api(
      'POST',
      'security-rules?folder=Shared&position=pre',
      rule('ref-rule', { destination: ['ref-g'] }),
    );
    expect(r.status).toBe(201);
    await expectInUse(`address-groups/${grp.body.id}`, /ref-rule/);
    expect((await sb.api('DELETE', `security-rules/${r.body.id}`)).status).toBe(200);
    expect((await sb.api('DELETE', `address-groups/${grp.body.id}`)).status).toBe(200);
    expect((await sb.api('DELETE', `addresses/${addr.body.id}`)).status).toBe(200);
  });

  it('resolves names through the folder chain: a shadowed Shared object is free to go', async () => {
    const shared = await sb.api('POST', 'addresses?folder=Shared', {
      name: 'shadowed',
      ip_netmask: '192.0.2.20',
    });
    await sb.api('POST', 'addresses?folder=Branch%20Offices', { name: 'shadowed', ip_netmask: '10.50.0.20' });
    await sb.api('POST', 'address-groups?folder=Branch%20Offices', {
      name: 'uses-shadowed',
      static: ['shadowed'],
    });
    expect((await sb.api('DELETE', `addresses/${shared.body.id}`)).status).toBe(200);
  });

  it('carries a rename over to the objects that use the old name', async () => {
    const addr = await sb.api('POST', 'addresses?folder=Shared', {
      name: 'old-name',
      ip_netmask: '192.0.2.30',
    });
    const grp = await sb.api('POST', 'address-groups?folder=Shared', {
      name: 'rename-g',
      static: ['old-name'],
    });
    const put = await sb.api('PUT', `addresses/${addr.body.id}`, {
      name: 'new-name',
      ip_netmask: '192.0.2.30',
    });
    expect(put.status).toBe(200);
    expect((await sb.api('GET', `address-groups/${grp.body.id}`)).body.static).toEqual(['new-name']);
  });
});
