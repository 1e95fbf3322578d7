import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { approverFor, loadApprovers, parseApprovers } from '../../src/approvals/approvers.js';
import { loadConfig } from '../../src/config.js';

const H = 'a'.repeat(64);

describe('approval flags', () => {
  it('takes confirm-token and the inbox flags, and checks them', () => {
    expect(loadConfig(['--approval', 'confirm-token'], {}).approval).toBe('confirm-token');
    const c = loadConfig(
      [
        '--approvals',
        'inbox',
        '--inbox-port',
        '0',
        '--inbox-wait',
        '30',
        '--four-eyes',
        '--approval-webhook',
        'http://127.0.0.1:9/h',
      ],
      { PRISMA_MCP_APPROVERS: `alice:${H}` },
    );
    expect(c).toMatchObject({
      approvals: 'inbox',
      inboxPort: 0,
      inboxWaitSeconds: 30,
      fourEyes: true,
      approversEnv: `alice:${H}`,
    });
    expect(() => loadConfig(['--approvals', 'inbox'], {})).toThrow(
      /--approvals inbox needs approvers: --approvers FILE/,
    );
    expect(() => loadConfig(['--approvals', 'email'], {})).toThrow(/approvals must be inbox; got email/);
    expect(() =>
      loadConfig(['--approvals', 'inbox', '--approval', 'flag'], { PRISMA_MCP_APPROVERS: `alice:${H}` }),
    ).toThrow(/--approvals inbox works with --approval auto/);
    expect(() => loadConfig(['--inbox-port', '70000'], {})).toThrow(
      /inbox-port must be a whole number from 0 to 65535/,
    );
    expect(() => loadConfig(['--approval-webhook', 'ftp://x'], {})).toThrow(
      /approval-webhook must be an http\(s\) URL/,
    );
  });
});

describe('approvers', () => {
  it('reads name:sha256 lines with comments, and finds an approver by token', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pa-approvers-'));
    const file = join(dir, 'approvers.txt');
    // sha256("secret-token")
    writeFileSync(
      file,
      '# who may approve\nalice:3d5e1c5c2dc1a3bb1c1a6a3cd5b2b2d1a0b0f3e1b7e6b0d4b2c4c6a8e9f0a1b2 # not this one\nbob:' +
        '4d1c1a4b0d9b9e67e0b5bd4ae76e8e5fa5e0d5bb5f8d2b3a5a9c8c1e9d1a0f6c\n',
    );
    const approvers = loadApprovers({ file });
    expect(approvers.map((a) => a.name)).toEqual(['alice', 'bob']);
    const known = parseApprovers(`carol:${'0'.repeat(64)}`, 'test');
    expect(approverFor(known, 'wrong')).toBeUndefined();
  });

  it('refuses malformed entries naming the expected form, and duplicate names', () => {
    expect(() => parseApprovers('alice', 'x')).toThrow(/each approver is "name:sha256hex"/);
    expect(() => parseApprovers(`alice:${H},ALICE:${H}`, 'x')).toThrow(/listed twice/);
    expect(() => parseApprovers('', 'x')).toThrow(/no approvers listed/);
    expect(() => loadApprovers({ file: '/nonexistent/approvers' })).toThrow(
      /approvers file \/nonexistent\/approvers/,
    );
  });

  it('finds the approver whose token hashes to the listed hash', () => {
    const hash = createHash('sha256').update('tok-123456789').digest('hex');
    const list = parseApprovers(`dave:${hash}`, 'x');
    expect(approverFor(list, 'tok-123456789')?.name).toBe('dave');
    expect(approverFor(list, 'tok-12345678')).toBeUndefined();
  });
});
