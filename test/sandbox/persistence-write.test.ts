import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { writeStateAtomic } from '../../src/sandbox/persistence.js';
import type { StateData } from '../../src/sandbox/state.js';

// A disk that fills up: write(2) stores only part of what it is given and reports the short count.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open = async (...args: Parameters<typeof real.open>) => {
    const handle = await real.open(...args);
    const write = handle.write.bind(handle) as (
      b: Buffer,
      o: number,
      l: number,
    ) => Promise<{ bytesWritten: number }>;
    return Object.assign(handle, {
      write: (b: Buffer, offset: number, length: number) => write(b, offset, Math.ceil(length / 2)),
    });
  };
  return { ...real, default: { ...real, open }, open };
});

describe('sandbox state writes', () => {
  const dir = fs.mkdtempSync(join(tmpdir(), 'sandbox-write-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('never renames a short write over the state file', async () => {
    const file = join(dir, 'tenant.json');
    const data = {
      format: 'prisma-access-mcp-sandbox',
      version: 1,
      candidate: { tag: [{ name: 'x'.repeat(5000) }] },
    };
    await writeStateAtomic(file, data as unknown as StateData);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(data);
  });
});
