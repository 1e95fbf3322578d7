import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { CLI, sandboxEnv } from '../integration/helpers.js';

let sandbox: RunningSandbox;
const dir = mkdtempSync(join(tmpdir(), 'pa-doctor-'));
beforeAll(async () => {
  sandbox = await startSandbox({ operations: loadCatalog().operations });
});
afterAll(async () => {
  await sandbox?.close();
});

function doctor(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [CLI, 'doctor', ...args], {
    env: sandboxEnv(sandbox, { PRISMA_MCP_AUDIT_LOG: join(dir, 'audit.log'), ...env }),
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

describe('prisma-access-mcp doctor', () => {
  it('passes on a working tenant: token time, folders, addresses in Shared', async () => {
    const r = await doctor({});
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/TSG 1234567890: OK/);
    expect(r.out).toMatch(/ok {3}token \(\d+ ms\)/);
    expect(r.out).toMatch(/ok {3}folders \(\d+ ms\): \d+ folders/);
    expect(r.out).toMatch(/ok {3}addresses \(\d+ ms\): \d+ addresses in Shared/);
  }, 30_000);

  it('explains a wrong or rotated secret, exits non-zero, and never prints the secret', async () => {
    const r = await doctor({ SCM_CLIENT_SECRET: 'rotated-away-secret' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL token/);
    expect(r.out).toContain('cause: wrong_secret');
    expect(r.out).toMatch(/fix: +The client id or secret is wrong or was rotated/);
    expect(r.out + r.err).not.toContain('rotated-away-secret');
  }, 30_000);

  it('explains a TSG outside the service account hierarchy, naming the fix', async () => {
    const r = await doctor({ SCM_TSG_ID: '9234567890' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('cause: tsg_outside_hierarchy');
    expect(r.out).toMatch(
      /service account created at TSG 9234567890 or an ancestor, or add an access policy/,
    );
  }, 30_000);

  it('explains an unreachable host (DNS) after checking each tenant of --tenants', async () => {
    const file = join(dir, 'tenants.yaml');
    writeFileSync(
      file,
      'tenants:\n  - { tsg_id: "1234567890", alias: mssp, descendants: true }\n  - { tsg_id: "1234567891", alias: customer-a }\n',
    );
    const ok = await doctor({}, ['--tenants', file]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('TSG 1234567890 (mssp): OK');
    expect(ok.out).toContain('TSG 1234567891 (customer-a): OK');
    // .invalid never resolves (RFC 2606).
    const dns = await doctor({ SCM_AUTH_URL: 'http://doctor-test.invalid/oauth2/access_token' });
    expect(dns.code).toBe(1);
    expect(dns.out).toContain('cause: dns');
  }, 60_000);
});
