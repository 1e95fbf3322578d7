import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI, cleanEnv, spawnServer } from './helpers.js';

// Start-up does only what listing tools needs: the sandbox, undici and the optional subsystems wait for a call.
describe('start-up on demand', () => {
  it('lists tools without starting the sandbox, starts it once on the first calls, and serves them', async () => {
    const s = await spawnServer();
    try {
      await s.client.listTools();
      expect(s.stderr()).not.toMatch(/sandbox: listening/);
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          s.client.callTool({ name: 'address_list', arguments: { folder: 'Shared', limit: 1 } }),
        ),
      );
      for (const r of results) expect(r.isError).toBeFalsy();
      expect(s.stderr().match(/sandbox: listening/g)).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it('starts the sandbox at once with --sandbox-state, so a damaged state file stops the start, naming it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pamcp-state-')), 'state.json');
    writeFileSync(file, '{damaged');
    const r = spawnSync(process.execPath, [CLI, '--sandbox-state', file], {
      env: cleanEnv(),
      input: '',
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`sandbox state ${file} is not valid JSON`);
  });

  it('loads the bundled binary alone, no package module, until a call needs more', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pamcp-loads-'));
    const log = join(dir, 'loaded.txt');
    // A module loader hook that records every file the process loads.
    const hooks = join(dir, 'hooks.mjs');
    writeFileSync(
      hooks,
      `import { appendFileSync } from 'node:fs';\nexport async function load(url, ctx, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, ctx); }\n`,
    );
    const register = join(dir, 'register.mjs');
    writeFileSync(
      register,
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
    );
    writeFileSync(log, '');
    const lines = [
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    ];
    const child = spawn(process.execPath, ['--import', pathToFileURL(register).href, CLI], {
      env: cleanEnv(),
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('"id":2')) resolve();
      });
      child.on('error', reject);
      child.on('exit', () => reject(new Error(`exited before answering tools/list: ${out}`)));
      child.stdin.write(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    });
    child.kill();
    const files = readFileSync(log, 'utf8')
      .split('\n')
      .filter((u) => u.startsWith('file:'));
    expect(files.filter((u) => u.includes('/node_modules/'))).toEqual([]);
    // The entry and its shared chunks: a handful, not the ~400 modules of an unbundled start.
    expect(files.length).toBeGreaterThan(0);
    expect(files.length).toBeLessThanOrEqual(12);
  });
});
