/** Drives the real binary as `cat requests.jsonl | node dist/cli.js` does: requests piped in, stdin closed. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLI, cleanEnv } from './helpers.js';

export interface Run {
  code: number | null;
  /** Ids of every answer, in the order written. */
  ids: unknown[];
  errors: { id: unknown; code: number; message: string }[];
  bytes: number;
  /** Length of each answer line, in the order written. */
  sizes: number[];
  /** Each answer line as written. */
  texts: string[];
  stderr: string;
  /** Highest resident set size seen while it ran (bytes), from /proc. */
  peakRss: number;
}

export const init = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pipe', version: '1' } },
};
export const initialized = { jsonrpc: '2.0', method: 'notifications/initialized' };
export const toolsList = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/list' });
export const lines = (...msgs: unknown[]) =>
  msgs.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join('\n') + '\n';

function rssOf(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs the binary with `input` piped in and stdin closed after it, as `cat requests.jsonl | node dist/cli.js` does. */
export function run(
  args: string[],
  input: string | undefined,
  env: Record<string, string> | undefined = cleanEnv(),
  timeoutMs = 120_000,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Run = {
      code: null,
      ids: [],
      errors: [],
      bytes: 0,
      sizes: [],
      texts: [],
      stderr: '',
      peakRss: 0,
    };
    let partial = '';
    child.stdout?.on('data', (d: Buffer) => {
      out.bytes += d.length;
      const parts = (partial + d.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        const msg = JSON.parse(line) as { id?: unknown; error?: { code: number; message: string } };
        out.ids.push(msg.id);
        out.sizes.push(Buffer.byteLength(line));
        // Kept only while small: a flood's answers are counted, not stored.
        if (out.texts.length < 100) out.texts.push(line);
        if (msg.error) out.errors.push({ id: msg.id, ...msg.error });
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      out.stderr += d.toString();
    });
    const sampler = setInterval(() => {
      if (child.pid) out.peakRss = Math.max(out.peakRss, rssOf(child.pid));
    }, 50);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit within ${timeoutMs} ms; stderr: ${out.stderr.slice(-2000)}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearInterval(sampler);
      clearTimeout(timer);
      out.code = code;
      if (partial) out.ids.push(`partial line of ${partial.length} chars`);
      resolve(out);
    });
    if (input !== undefined && child.stdin) {
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    }
  });
}
