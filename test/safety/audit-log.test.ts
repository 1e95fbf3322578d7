import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { registerSecret } from '../../src/log.js';
import { defaultAuditPath, FileAuditLog } from '../../src/safety/audit-log.js';
import { ConfirmFlagGate } from '../../src/safety/confirm-gate.js';
import { redactArgs } from '../../src/safety/redact-args.js';
import type { IrOperation } from '../../src/openapi/ir.js';
import { callOperation } from '../../src/tools/call-operation.js';
import type { ScmTransport } from '../../src/tools/types.js';

let ops: Map<string, IrOperation>;
beforeAll(() => {
  ops = new Map(loadCatalog().operations.map((o) => [o.tool, o]));
});

const tmpLog = () => join(mkdtempSync(join(tmpdir(), 'pa-audit-')), 'nested', 'dir', 'audit.log');
const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
const ctx = { tsgId: '1234567890', environment: 'sandbox' as const, approvalMode: 'auto' };

describe('defaultAuditPath', () => {
  it('is under XDG_STATE_HOME, else ~/.local/state', () => {
    expect(defaultAuditPath({ XDG_STATE_HOME: '/x/state' }, '/home/u')).toBe(
      '/x/state/prisma-access-mcp/audit.log',
    );
    expect(defaultAuditPath({}, '/home/u')).toBe('/home/u/.local/state/prisma-access-mcp/audit.log');
    expect(defaultAuditPath({ XDG_STATE_HOME: ' ' }, '/home/u')).toBe(
      '/home/u/.local/state/prisma-access-mcp/audit.log',
    );
  });
});

describe('redactArgs', () => {
  it('hides secret-looking text fields at any depth and keeps the rest', () => {
    registerSecret('s3cr3t-client-secret-value');
    expect(
      redactArgs({
        name: 'gw-1',
        authentication: { pre_shared_key: { key: 'hunter2' } },
        bind_password: 'pw',
        users: [{ name: 'bob', password: 'x', passphrase: 'y' }],
        okta_token: 'tok',
        save_user_credentials: true,
        description: 'contains s3cr3t-client-secret-value here',
        otp_server_url: 'https://otp.example.com',
      }),
    ).toEqual({
      name: 'gw-1',
      authentication: { pre_shared_key: { key: '[redacted]' } },
      bind_password: '[redacted]',
      users: [{ name: 'bob', password: '[redacted]', passphrase: '[redacted]' }],
      okta_token: '[redacted]',
      save_user_credentials: true,
      description: 'contains [redacted] here',
      otp_server_url: 'https://otp.example.com',
    });
  });
});

describe('FileAuditLog', () => {
  it('creates its directories and a private file, appends one JSON line per record', async () => {
    const path = tmpLog();
    const log = new FileAuditLog(path, ctx, { now: () => Date.UTC(2025, 0, 2, 3, 4, 5) });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await log.write({
      phase: 'intent',
      callId: 'c1',
      tool: 'address_delete',
      key: 'address.delete',
      args: { id: 'a' },
      approvedBy: 'elicitation',
      clientName: 'vscode',
    });
    await log.write({
      phase: 'outcome',
      callId: 'c1',
      tool: 'address_delete',
      key: 'address.delete',
      args: { id: 'a' },
      approvedBy: 'elicitation',
      outcome: 'ok',
      status: 200,
      requestId: 'r-1',
    });
    await log.close();
    // A second log on the same file appends: nothing is ever truncated.
    const again = new FileAuditLog(path, { ...ctx, approvalMode: 'flag' });
    await again.write({
      phase: 'outcome',
      tool: 'config_version_push',
      key: 'configVersion.push',
      args: { folders: ['Shared', 'Remote Networks'] },
      outcome: 'ok',
      jobId: '42',
    });
    await again.close();
    const got = lines(path);
    expect(got).toHaveLength(3);
    expect(got[0]).toEqual({
      time: '2025-01-02T03:04:05.000Z',
      phase: 'intent',
      call_id: 'c1',
      client: 'vscode',
      environment: 'sandbox',
      tsg: '1234567890',
      tool: 'address_delete',
      key: 'address.delete',
      folder: null,
      args: { id: 'a' },
      approval_mode: 'auto',
      approved_by: 'elicitation',
      outcome: null,
      status: null,
      request_id: null,
      job_id: null,
    });
    expect(got[1]).toMatchObject({ outcome: 'ok', status: 200, request_id: 'r-1' });
    expect(got[2]).toMatchObject({ folder: 'Shared, Remote Networks', job_id: '42', approval_mode: 'flag' });
  });

  it('names the folder of a call by id from what the approval lookup found', async () => {
    const path = tmpLog();
    const log = new FileAuditLog(path, ctx, {
      folderFor: (args) => (args.id === 'a' ? 'Branch Offices' : undefined),
    });
    await log.write({ phase: 'intent', tool: 'address_delete', key: 'address.delete', args: { id: 'a' } });
    expect(lines(path)[0].folder).toBe('Branch Offices');
  });

  it('has the intent on disk before the request is sent, and keeps it if the call never ends', async () => {
    const path = tmpLog();
    const log = new FileAuditLog(path, ctx);
    const seenAtSend: unknown[] = [];
    const transport: ScmTransport = {
      // The process "dies" while the request is in flight: it never answers.
      request: () => {
        seenAtSend.push(...lines(path));
        return new Promise(() => {});
      },
    };
    const deps = { transport, environment: 'sandbox' as const, gate: new ConfirmFlagGate(), audit: log };
    void callOperation(
      ops.get('address_create')!,
      { folder: 'Shared', name: 'a', ip_netmask: '10.0.0.1' },
      deps,
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(seenAtSend).toEqual([
      expect.objectContaining({ phase: 'intent', tool: 'address_create', folder: 'Shared' }),
    ]);
    expect(lines(path)).toEqual([expect.objectContaining({ phase: 'intent' })]);
  });

  it('fails at once on a path it cannot create', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pa-audit-'));
    writeFileSync(join(dir, 'file'), '');
    expect(() => new FileAuditLog(join(dir, 'file', 'audit.log'), ctx)).toThrow(/ENOTDIR|EEXIST/);
  });
});

describe('FileAuditLog: size', () => {
  const rec = (args: Record<string, unknown>) => ({
    phase: 'intent' as const,
    tool: 'address_create',
    key: 'address.create',
    args,
  });

  it('caps each logged value at about 1 KB, keeping its length and sha256', async () => {
    const path = tmpLog();
    const log = new FileAuditLog(path, ctx);
    const long = 'x'.repeat(50_000);
    await log.write(
      rec({ name: 'ok', description: long, tag: Array.from({ length: 2000 }, (_, i) => `t${i}`) }),
    );
    await log.close();
    const text = readFileSync(path, 'utf8');
    expect(text.length).toBeLessThan(4000);
    const args = lines(path)[0].args;
    expect(args.name).toBe('ok');
    const sha = createHash('sha256').update(long).digest('hex');
    expect(args.description).toBe(`[capped: 50000 characters, sha256 ${sha}]`);
    expect(args.tag).toMatch(/^\[capped: \d+ characters, sha256 [0-9a-f]{64}\]$/);
  });

  it('rotates past --audit-max-bytes and keeps only --audit-keep old files', async () => {
    const path = tmpLog();
    const log = new FileAuditLog(path, ctx, { maxBytes: 4096, keep: 2 });
    for (let i = 0; i < 60; i++) await log.write(rec({ name: `n-${i}`, description: 'd'.repeat(200) }));
    await log.close();
    expect(statSync(path).size).toBeLessThanOrEqual(4096);
    expect(statSync(`${path}.1`).size).toBeLessThanOrEqual(4096);
    expect(statSync(`${path}.2`).size).toBeGreaterThan(0);
    expect(existsSync(`${path}.3`)).toBe(false);
    // Nothing lost within what is kept: the newest lines are the last written, in order.
    const names = [...lines(`${path}.2`), ...lines(`${path}.1`), ...lines(path)].map((l) => l.args.name);
    expect(names.at(-1)).toBe('n-59');
    expect(names).toEqual(names.map((_, i) => `n-${60 - names.length + i}`));
    expect(statSync(`${path}.1`).mode & 0o777).toBe(0o600);
  });

  it('writes concurrent records in one batch, and each write resolves once its line is on disk', async () => {
    const path = tmpLog();
    const log = new FileAuditLog(path, ctx);
    const writes = Array.from({ length: 50 }, (_, i) => log.write(rec({ name: `c-${i}` })));
    // Nothing blocked the caller: the writes are still pending here.
    expect(lines(path).length).toBeLessThan(50);
    await Promise.all(writes);
    expect(lines(path)).toHaveLength(50);
    expect(log.batches).toBeLessThan(50);
    await log.close();
  });
});
