import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DurableSaver } from '../../src/sandbox/persistence.js';
import type { StateData } from '../../src/sandbox/state.js';

/** Concurrent writes share one save: one snapshot and one fsync per batch, not per write. */
describe('sandbox group commit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-group-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('saves once for a burst, once more for what arrived during that save, and each commit sees its state', async () => {
    const file = join(dir, 'tenant.json');
    let counter = 0;
    let snapshots = 0;
    const saver = new DurableSaver(
      file,
      () => {
        snapshots++;
        return { format: 'prisma-access-mcp-sandbox', version: 1, counter } as unknown as StateData;
      },
      () => {},
    );
    const burst = Array.from({ length: 50 }, () => {
      counter++;
      return saver.commit();
    });
    // Asked for while the first save runs: they go together into the second.
    await new Promise((r) => setImmediate(r));
    expect(snapshots).toBe(1);
    const late = Array.from({ length: 10 }, () => {
      counter++;
      return saver.commit();
    });
    await Promise.all([...burst, ...late]);
    expect(snapshots).toBe(2);
    expect(JSON.parse(readFileSync(file, 'utf8')).counter).toBe(60);
  });

  it('rejects the commits of a save that failed, and saves again on the next commit', async () => {
    const file = join(dir, 'blocked', 'tenant.json');
    const logged: string[] = [];
    let fail = true;
    const saver = new DurableSaver(
      file,
      () => {
        if (fail) throw new Error('disk full');
        return { format: 'prisma-access-mcp-sandbox', version: 1 } as unknown as StateData;
      },
      (m) => logged.push(m),
    );
    await expect(saver.commit()).rejects.toThrow('disk full');
    expect(logged.join('\n')).toContain(file);
    fail = false;
    await saver.commit();
    expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('prisma-access-mcp-sandbox');
  });
});
