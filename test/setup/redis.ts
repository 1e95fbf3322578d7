import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

// A real Redis for the replica tests: installed from the distribution when missing (CI is a bare machine),
// started on a free loopback port, stopped after the run. Never skipped.

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

const SERVER = '/usr/bin/redis-server';

function ensureInstalled(): void {
  if (existsSync(SERVER)) return;
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server'], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch (err) {
    throw new Error(
      `redis-server is missing and apt-get install redis-server failed (run as root, or install it): ${String(err)}`,
    );
  }
}

const freePort = () =>
  new Promise<number>((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });

let child: ChildProcess | undefined;

export default async function setup(project: TestProject) {
  ensureInstalled();
  const port = await freePort();
  child = spawn(SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 20_000);
    child!.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child!.once('exit', (code) => reject(new Error(`redis-server exited ${code}:\n${out}`)));
  });
  project.provide('redisUrl', `redis://127.0.0.1:${port}`);
  return async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  };
}
