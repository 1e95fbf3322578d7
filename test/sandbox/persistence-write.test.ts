import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { writeStateAtomic } from '../../src/sandbox/persistence.js';
import type { StateData } from '../../src/sandbox/state.js';

// A disk that fills up: write(2) stores only part of what it is given and reports the short count.
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const writeSync = (fd: number, data: string | Uint8Array, ...rest: unknown[]) =>
    typeof data === 'string'
      ? real.writeSync(fd, data.slice(0, Math.ceil(data.length / 2)))
      : (real.writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
  return { ...real, default: { ...real, writeSync }, writeSync };
});

describe('sandbox state writes', () => {
  const dir = fs.mkdtempSync(join(tmpdir(), 'sandbox-write-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('never renames a short write over the state file', () => {
    const file = join(dir, 'tenant.json');
    const data = { format: 'prisma-access-mcp-sandbox', version: 1, candidate: { tag: [] } };
    writeStateAtomic(file, data as unknown as StateData);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(data);
  });
});
