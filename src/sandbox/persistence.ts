import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
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
  if (problems.length)
    throw new Error(`sandbox state ${file} is damaged: ${problems.join('; ')}; ${keep}`);
  return data as StateData;
}

/** Writes the whole file next to its target, flushes it to disk, then renames: a crash leaves the old or the new file, never half of one. */
export function writeStateAtomic(file: string, data: StateData): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    // writeFileSync retries short writes (a filling disk); a lone writeSync would keep half a file.
    writeFileSync(fd, JSON.stringify(data));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** Saves after changes, at most every `delayMs`; `flush` writes what is pending now. */
export class DebouncedSaver {
  readonly #file: string;
  readonly #snapshot: () => StateData;
  readonly #delayMs: number;
  readonly #log: (msg: string) => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(file: string, snapshot: () => StateData, log: (msg: string) => void, delayMs = 100) {
    this.#file = file;
    this.#snapshot = snapshot;
    this.#log = log;
    this.#delayMs = delayMs;
  }

  schedule(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => this.flush(), this.#delayMs);
    this.#timer.unref();
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    try {
      writeStateAtomic(this.#file, this.#snapshot());
    } catch (err) {
      this.#log(`could not save the sandbox state to ${this.#file}: ${(err as Error).message}`);
    }
  }
}
