import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rule, start, type TestSandbox } from './helpers.js';

/** What the live API refuses at create and update (400 E003, the field named), the sandbox refuses too. */
describe('sandbox validates values as the live API does', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await start({ seedDemo: false });
  });
  afterAll(() => sb.close());

  const refused = async (path: string, body: unknown, field: string, method = 'POST') => {
    const res = await sb.api(method, path, body);
    expect(res.status).toBe(400);
    expect(res.body._errors[0].code).toBe('E003');
    expect(res.body._request_id).toEqual(expect.any(String));
    const fields = (res.body._errors[0].details.errors as Array<{ field: string }>).map((e) => e.field);
    expect(fields).toContain(field);
    return res.body._errors[0].details as {
      message: string[];
      errors: Array<{ field: string; message: string }>;
    };
  };

  it('refuses a security rule action outside allow, deny, drop and the resets', async () => {
    const details = await refused(
      'security-rules?folder=Shared&position=pre',
      rule('r-block', { action: 'block' }),
      'action',
    );
    expect(details.message.join(' ')).toMatch(/reset-both/);
    for (const action of ['allow', 'deny', 'drop', 'reset-client', 'reset-server', 'reset-both']) {
      const ok = await sb.api(
        'POST',
        'security-rules?folder=Shared&position=pre',
        rule(`r-${action}`, { action }),
      );
      expect(ok.status).toBe(201);
    }
  });

  it('refuses the same action on update', async () => {
    const created = await sb.api('POST', 'security-rules?folder=Shared&position=pre', rule('r-upd'));
    await refused(
      `security-rules/${created.body.id}?folder=Shared&position=pre`,
      rule('r-upd', { action: 'block' }),
      'action',
      'PUT',
    );
  });

  it.each([
    ['ip_netmask', 'not-an-ip'],
    ['ip_netmask', '10.0.0.0/33'],
    ['ip_netmask', '2001:db8::/129'],
    ['ip_netmask', '10.0.0.256'],
    ['ip_range', '10.0.0.9-10.0.0.1'],
    ['ip_range', '10.0.0.1'],
    ['ip_range', '10.0.0.1-2001:db8::1'],
    ['ip_wildcard', '10.0.0.1'],
    ['ip_wildcard', '10.0.0.1/0.0.0.300'],
    ['fqdn', 'a..example.com'],
    ['fqdn', '-bad.example.com'],
    ['fqdn', `${'a'.repeat(64)}.example.com`],
  ])('refuses an address %s of %s', async (field, value) => {
    const details = await refused('addresses?folder=Shared', { name: `bad-${field}`, [field]: value }, field);
    expect(details.message.join(' ')).toContain(value);
  });

  it.each([
    ['ip_netmask', '10.0.0.0/24'],
    ['ip_netmask', '192.0.2.7'],
    ['ip_netmask', '2001:db8::/32'],
    ['ip_range', '10.0.0.1-10.0.0.20'],
    ['ip_range', '10.0.0.1-10.0.0.1'],
    ['ip_range', '2001:db8::1-2001:db8::ff'],
    ['ip_wildcard', '10.132.1.2/0.0.255.255'],
    ['fqdn', 'www.example.com'],
    ['fqdn', 'host_1.corp.example'],
  ])('accepts an address %s of %s', async (field, value) => {
    const res = await sb.api('POST', 'addresses?folder=Shared', {
      name: `ok-${field}-${value}`,
      [field]: value,
    });
    expect(res.status).toBe(201);
  });

  it('refuses an ip_range whose end is before its start on update too', async () => {
    const created = await sb.api('POST', 'addresses?folder=Shared', {
      name: 'range-upd',
      ip_range: '10.0.0.1-10.0.0.5',
    });
    const details = await refused(
      `addresses/${created.body.id}`,
      { name: 'range-upd', ip_range: '10.0.0.5-10.0.0.1' },
      'ip_range',
      'PUT',
    );
    expect(details.message.join(' ')).toMatch(/before/);
  });

  it('refuses a URL category entry with a scheme, naming the entry', async () => {
    await refused(
      'url-categories?folder=Shared',
      { name: 'with-scheme', type: 'URL List', list: ['example.com', 'http://bad.example.com/x'] },
      'list[1]',
    );
    const ok = await sb.api('POST', 'url-categories?folder=Shared', {
      name: 'no-scheme',
      type: 'URL List',
      list: ['example.com', '*.example.org/path'],
    });
    expect(ok.status).toBe(201);
  });

  it('still allows a dangling reference at create (the push reports it)', async () => {
    const res = await sb.api('POST', 'address-groups?folder=Shared', {
      name: 'dangling',
      static: ['not-there'],
    });
    expect(res.status).toBe(201);
  });
});
