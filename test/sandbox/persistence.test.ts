import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { writeStateAtomic } from '../../src/sandbox/persistence.js';
import { operations, sleep, start } from './helpers.js';

describe('sandbox persistence (--sandbox-state)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the tenant at start, keeps changes across a restart, with the same ids', async () => {
    const file = join(dir, 'nested', 'tenant.json');
    const first = await start({ stateFile: file });
    expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('prisma-access-mcp-sandbox');
    const created = await first.api('POST', 'tags?folder=Shared', { name: 'survives', color: 'Red' });
    const webId = first.idOf('address', 'web-srv-01');
    await first.close();

    const second = await start({ stateFile: file, seed: 999 });
    try {
      const got = await second.api('GET', `tags/${created.body.id}`);
      expect(got.body).toMatchObject({ name: 'survives', color: 'Red' });
      expect(second.idOf('address', 'web-srv-01')).toBe(webId);
      // The change is still pending: it was never pushed.
      expect(second.state.pendingChanges().added.map((a) => a.name)).toEqual(['survives']);
    } finally {
      await second.close();
    }
  });

  it('has each change on disk before it answers, not only at close', async () => {
    const file = join(dir, 'durable.json');
    const sb = await start({ stateFile: file, seedDemo: false });
    try {
      await sb.api('POST', 'tags?folder=Shared', { name: 'saved-early' });
      expect(readFileSync(file, 'utf8')).toContain('saved-early');
    } finally {
      await sb.close();
    }
  });

  it('finishes a push that was in flight when the sandbox stopped', async () => {
    const file = join(dir, 'push.json');
    const first = await start({ stateFile: file, seedDemo: false, pushDurationMs: 200 });
    await first.api('POST', 'tags?folder=Mobile%20Users', { name: 'in-flight' });
    const push = await first.api('POST', 'config-versions/candidate:push', { folders: ['Mobile Users'] });
    await first.close();
    await sleep(400);
    const second = await start({ stateFile: file, seedDemo: false, pushDurationMs: 200 });
    try {
      const job = (await second.api('GET', `jobs/${push.body.job_id}`)).body.data[0];
      expect(job).toMatchObject({ status_str: 'FIN', result_str: 'OK' });
      expect(second.state.objects('tag', 'running').some((t) => t.data.name === 'in-flight')).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('never leaves a partial file: a failed write keeps the previous one intact', async () => {
    const file = join(dir, 'atomic.json');
    const sb = await start({ stateFile: file, seedDemo: false });
    await sb.close();
    const before = readFileSync(file, 'utf8');
    // Block the temporary file so the next write fails before the rename.
    mkdirSync(`${file}.${process.pid}.tmp`);
    await expect(writeStateAtomic(file, sb.state.data)).rejects.toThrow();
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((f) => f.startsWith('atomic.json.') && f.endsWith('.tmp'))).toHaveLength(
      1,
    );
  });

  it('leaves no temporary files behind after many quick changes', async () => {
    const file = join(dir, 'many.json');
    const sb = await start({ stateFile: file, seedDemo: false });
    for (let i = 0; i < 20; i++) await sb.api('POST', 'tags?folder=Shared', { name: `t${i}` });
    await sb.close();
    expect(JSON.parse(readFileSync(file, 'utf8')).candidate.tag).toHaveLength(20);
    expect(readdirSync(dir).filter((f) => f.startsWith('many.json.'))).toEqual([]);
  });

  it('refuses a corrupt or foreign state file rather than overwriting it', async () => {
    const file = join(dir, 'corrupt.json');
    writeFileSync(file, '{"format": "something-else"}');
    await expect(startSandbox({ operations: await operations(), stateFile: file })).rejects.toThrow(
      /not a sandbox state file/,
    );
    writeFileSync(file, '{"trunc');
    await expect(startSandbox({ operations: await operations(), stateFile: file })).rejects.toThrow(
      /not valid JSON/,
    );
    expect(existsSync(file)).toBe(true);
  });
});
