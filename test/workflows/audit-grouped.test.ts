import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileAuditLog } from '../../src/safety/audit-log.js';

const ctx = { tsgId: '1', environment: 'sandbox' as const, approvalMode: 'flag' as const };
const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean);

describe('audit log, grouped for a workflow batch', () => {
  it('still writes each line before write() returns, inside and after a grouped section', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pa-mcp-audit-g-')), 'audit.log');
    const log = new FileAuditLog(path, ctx);
    const rec = (i: number) => ({ phase: 'intent' as const, tool: 'address_create', key: 'address.create', args: { name: `n${i}` } });
    await log.grouped(async () => {
      log.write(rec(1));
      expect(lines(path)).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 5));
      log.write(rec(2));
      expect(lines(path)).toHaveLength(2);
    });
    log.write(rec(3));
    expect(lines(path).map((l) => JSON.parse(l).args.name)).toEqual(['n1', 'n2', 'n3']);
    log.close();
  });

  it('a failing section still ends the grouping', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pa-mcp-audit-g-')), 'audit.log');
    const log = new FileAuditLog(path, ctx);
    await expect(log.grouped(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    log.write({ phase: 'intent', tool: 't', key: 'k', args: {} });
    expect(lines(path)).toHaveLength(1);
    log.close();
  });
});
