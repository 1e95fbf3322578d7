import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { type FileHandle, mkdir, open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { StateData } from './state.js';
import { stateProblems } from './state-schema.js';

const kindOf = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;

/** Reads a saved tenant; undefined when the file does not exist yet. Throws, naming the file and the problem, on anything else. */
export function loadState(file: string): StateData | undefined {
  if (!existsSync(file)) return undefined;
  const keep = 'move it away to start afresh';
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`sandbox state ${file} is not valid JSON (${(err as Error).message}); ${keep}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new Error(`sandbox state ${file} holds ${kindOf(data)}, not a sandbox state object; ${keep}`);
  const { format, version } = data as Record<string, unknown>;
  if (format !== 'prisma-access-mcp-sandbox')
    throw new Error(`${file} is not a sandbox state file (format ${JSON.stringify(format)}); ${keep}`);
  if (version !== 1)
    throw new Error(
      `sandbox state ${file} has version ${JSON.stringify(version)}; this sandbox reads version 1 only; ${keep}`,
    );
  const problems = stateProblems(data);
  if (problems.length) throw new Error(`sandbox state ${file} is damaged: ${problems.join('; ')}; ${keep}`);
  return data as StateData;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Temporary files of writers that died mid-save (`kill -9`): never renamed, so never state. */
export function removeStaleTemporaries(file: string): void {
  const prefix = `${basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    const pid =
      name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length, -4)) : NaN;
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
    try {
      rmSync(join(dirname(file), name), { force: true });
    } catch {
      // Not ours to clean (a directory, no permission): it does no harm where it is.
    }
  }
}

/** Flushes a directory entry (a rename) to disk; some platforms cannot open a directory, and need not. */
async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows: directories cannot be opened for sync; its rename is durable on its own.
  } finally {
    await handle?.close();
  }
}

/**
 * Writes the whole file next to its target, flushes it to disk, renames it over the target and flushes the
 * directory: a crash leaves the old or the new file, never half of one, and a finished write survives power loss.
 */
export async function writeStateAtomic(file: string, data: StateData | string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const bytes = Buffer.from(typeof data === 'string' ? data : JSON.stringify(data));
  const handle = await open(tmp, 'w', 0o600);
  try {
    // write(2) may store less than it was given (a filling disk): go on until all of it is written.
    for (let at = 0; at < bytes.length;) {
      const { bytesWritten } = await handle.write(bytes, at, bytes.length - at);
      if (bytesWritten <= 0) throw new Error(`short write to ${tmp}`);
      at += bytesWritten;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  await syncDir(dirname(file));
}

interface Batch {
  done: Promise<void>;
  resolve: () => void;
  reject: (err: Error) => void;
}

function batch(): Batch {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Changes nobody waits for (job progress) must not become unhandled rejections.
  done.catch(() => {});
  return { done, resolve, reject };
}

/**
 * Group commit: `commit()` resolves once the state as it is now is on disk. Commits asked for while a write
 * runs share the next write, so a burst of concurrent writes costs one snapshot and one fsync.
 */
export class DurableSaver {
  readonly #file: string;
  readonly #snapshot: () => StateData;
  readonly #log: (msg: string) => void;
  #next: Batch | undefined;
  #writing = false;

  constructor(file: string, snapshot: () => StateData, log: (msg: string) => void) {
    this.#file = file;
    this.#snapshot = snapshot;
    this.#log = log;
  }

  commit(): Promise<void> {
    if (!this.#next) {
      this.#next = batch();
      // Taken on the next turn, not now: the change being committed may still be under way.
      if (!this.#writing) setImmediate(() => void this.#run());
    }
    return this.#next.done;
  }

  async #run(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#next) {
        const current = this.#next;
        this.#next = undefined;
        try {
          await writeStateAtomic(this.#file, JSON.stringify(this.#snapshot()));
          current.resolve();
        } catch (err) {
          this.#log(`could not save the sandbox state to ${this.#file}: ${(err as Error).message}`);
          current.reject(err as Error);
        }
      }
    } finally {
      this.#writing = false;
    }
  }
}
