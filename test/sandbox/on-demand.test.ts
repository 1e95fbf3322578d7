import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { onDemandSandbox } from '../../src/sandbox/on-demand.js';

const operations = loadCatalog().operations;

describe('the sandbox started on demand', () => {
  it('starts once for concurrent first requests, and closes what it started', async () => {
    const logs: string[] = [];
    const sb = onDemandSandbox({ operations, log: (m) => logs.push(m) });
    const [a, b] = await Promise.all([sb.dispatcher(), sb.dispatcher()]);
    expect(a).toBe(b);
    expect(logs.filter((m) => m.startsWith('listening'))).toHaveLength(1);
    const running = await sb.running();
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await sb.close();
  });

  it('never starts when closed first', async () => {
    const logs: string[] = [];
    const sb = onDemandSandbox({ operations, log: (m) => logs.push(m) });
    await sb.close();
    await expect(sb.running()).rejects.toThrow(/closed/);
    expect(logs).toEqual([]);
  });

  it('tries a failed start again on the next call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'on-demand-'));
    const stateFile = join(dir, 'state.json');
    writeFileSync(stateFile, '{damaged');
    const sb = onDemandSandbox({ operations, stateFile, log: () => {} });
    await expect(sb.running()).rejects.toThrow(/not valid JSON/);
    rmSync(stateFile);
    await expect(sb.running()).resolves.toMatchObject({ tsgId: sb.tsgId });
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
