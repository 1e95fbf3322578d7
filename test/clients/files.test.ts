import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addClient, ClientRegistry, readClientsFile } from '../../src/clients/clients-file.js';
import { readTenantsFile } from '../../src/tenants/tenants-file.js';

const dir = mkdtempSync(join(tmpdir(), 'pa-files-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('clients file', () => {
  it('names the client and field at fault', () => {
    expect(() =>
      readClientsFile(
        write('a.json', '{"clients":[{"name":"x","token_sha256":"abc","scopes":["config:read"]}]}'),
      ),
    ).toThrow(/clients\[0\]\.token_sha256 must be 64 hex characters/);
    expect(() =>
      readClientsFile(
        write(
          'b.json',
          `{"clients":[{"name":"x","token_sha256":"${'a'.repeat(64)}","scopes":["config:all"]}]}`,
        ),
      ),
    ).toThrow(/clients\[0\]\.scopes: unknown scope config:all/);
    expect(() => readClientsFile(write('c.json', 'not json'))).toThrow(/not JSON/);
  });

  it('finds a client by its token and nothing by a near miss', () => {
    const file = join(dir, 'reg.json');
    const t1 = addClient(file, { name: 'one', scopes: ['config:read'] });
    const t2 = addClient(file, { name: 'two', scopes: ['config:read', 'config:deploy'], tsgs: ['1'] });
    const reg = ClientRegistry.fromFile(file);
    expect(reg.authenticate(t1)).toEqual({ name: 'one', scopes: ['config:read'] });
    expect(reg.authenticate(t2)).toEqual({
      name: 'two',
      scopes: ['config:read', 'config:deploy'],
      tsgs: ['1'],
    });
    expect(reg.authenticate(t1.slice(0, -1))).toBeUndefined();
    // Re-adding a name replaces it: the old token stops working.
    addClient(file, { name: 'one', scopes: ['config:read'] });
    expect(ClientRegistry.fromFile(file).authenticate(t1)).toBeUndefined();
  });
});

describe('tenants file', () => {
  it('reads aliases, descendants and per-tenant service accounts with secrets from the environment', () => {
    const file = write(
      't.yaml',
      'tenants:\n  - { tsg_id: "1234567890", alias: mssp, descendants: true }\n  - { tsg_id: 2000000001, alias: other, client_id: sa@x, client_secret_env: OTHER }\n',
    );
    expect(readTenantsFile(file, { OTHER: 's3cret' })).toEqual([
      { tsgId: '1234567890', alias: 'mssp', descendants: true },
      {
        tsgId: '2000000001',
        alias: 'other',
        descendants: false,
        credentials: { clientId: 'sa@x', clientSecret: 's3cret' },
      },
    ]);
  });

  it('refuses secrets in the file, unset variables and bad ids, naming the entry', () => {
    expect(() =>
      readTenantsFile(write('s.yaml', 'tenants:\n  - { tsg_id: "1", client_id: a, client_secret: b }\n')),
    ).toThrow(/tenants\[0\]\.client_secret: keep secrets out of the file/);
    expect(() =>
      readTenantsFile(
        write('e.yaml', 'tenants:\n  - { tsg_id: "1", client_id: a, client_secret_env: NOPE }\n'),
        {},
      ),
    ).toThrow(/environment variable NOPE is not set/);
    expect(() => readTenantsFile(write('i.yaml', 'tenants:\n  - { tsg_id: "abc" }\n'))).toThrow(
      /tenants\[0\]\.tsg_id must be a TSG id/,
    );
  });
});
