import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadState } from '../../src/sandbox/persistence.js';

const cli = resolve(__dirname, '..', '..', 'dist', 'sandbox', 'cli.js');

function startChild(file: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cli, '--port', '0', '--state', file, '--no-demo', '--quiet'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((done, fail) => {
    let err = '';
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /SCM sandbox on (http:\/\/\S+)/.exec(err);
      if (m) done({ child, url: m[1]! });
    });
    child.on('exit', (code) => fail(new Error(`sandbox exited ${code}: ${err}`)));
  });
}

/** Every write the sandbox answered 201 is on disk, even when it is killed without warning. */
describe('sandbox durable writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-durable-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged create after kill -9 mid-stream', async () => {
    const file = join(dir, 'tenant.json');
    const { child, url } = await startChild(file);
    const exited = new Promise((r) => child.once('exit', r));
    const tokenRes = await fetch(`${url}/oauth2/access_token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('sandbox@1234567890.iam.panserviceaccount.com:sandbox-secret').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials&scope=tsg_id:1234567890',
    });
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const acknowledged: string[] = [];
    let n = 0;
    let killed = false;
    const worker = async () => {
      while (!killed) {
        const name = `t${n++}`;
        try {
          const res = await fetch(`${url}/sse/config/v1/tags?folder=Shared`, {
            method: 'POST',
            headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ name }),
          });
          if (res.status === 201) acknowledged.push(name);
          await res.arrayBuffer();
        } catch {
          return; // the connection died with the process
        }
        if (acknowledged.length >= 200 && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await exited;
    expect(acknowledged.length).toBeGreaterThanOrEqual(200);
    const saved = new Set((loadState(file)?.candidate.tag ?? []).map((t) => t.data.name));
    const lost = acknowledged.filter((name) => !saved.has(name));
    expect(lost).toEqual([]);

    // A save cut short leaves its temporary file: the next start removes it, keeping the state.
    writeFileSync(`${file}.${child.pid}.tmp`, '{"half');
    const again = await startChild(file);
    const stopped = new Promise((r) => again.child.once('exit', r));
    again.child.kill('SIGTERM');
    await stopped;
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(loadState(file)?.candidate.tag?.length).toBeGreaterThanOrEqual(acknowledged.length);
  }, 60_000);
});
