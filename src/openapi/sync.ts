import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SourceFile {
  path: string;
  upstream: string;
  sha256: string;
}
/** One API generation: its files, pinned at one commit, synced into specs/upstream/<dir>. */
export interface SpecSet {
  commit: string;
  dir: string;
  files: SourceFile[];
}
export interface Sources {
  repository: string;
  rawBase: string;
  sets: Record<string, SpecSet>;
}

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const specsDir = join(projectRoot, 'specs');
export const upstreamDir = join(specsDir, 'upstream');

export function readSources(): Sources {
  return JSON.parse(readFileSync(join(specsDir, 'sources.json'), 'utf8')) as Sources;
}

/** Every pinned file of every set, with the commit it is pinned at. */
export function allSourceFiles(sources: Sources = readSources()): Array<SourceFile & { commit: string }> {
  return Object.values(sources.sets).flatMap((set) => set.files.map((f) => ({ ...f, commit: set.commit })));
}

const sha256 = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

export interface SyncOptions {
  env?: NodeJS.ProcessEnv;
  target?: string;
  fetchFile?: (url: string) => Promise<Buffer>;
  log?: (msg: string) => void;
}

/** Where the specs come from: $PRISMA_SPECS_DIR, else ../shared/specs, else the pinned commit online. */
export function localSourceDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.PRISMA_SPECS_DIR, join(projectRoot, '..', 'shared', 'specs')];
  return candidates.find((dir): dir is string => !!dir && existsSync(dir));
}

async function download(url: string): Promise<Buffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`download failed: ${res.status} ${url}`);
  return Buffer.from(await res.arrayBuffer());
}

/** Copies (or downloads) every pinned file into specs/upstream, refusing any whose sha256 differs. */
export async function syncSpecs(
  opts: SyncOptions = {},
): Promise<{ source: string; files: number; skipped: number }> {
  const sources = readSources();
  const target = opts.target ?? upstreamDir;
  const log = opts.log ?? (() => {});
  const local = localSourceDir(opts.env);
  const fetchFile = opts.fetchFile ?? download;
  let skipped = 0;
  const files = allSourceFiles(sources);
  for (const file of files) {
    const dest = join(target, file.path);
    if (existsSync(dest) && sha256(readFileSync(dest)) === file.sha256) {
      skipped++;
      continue;
    }
    let data: Buffer;
    if (local) {
      try {
        data = readFileSync(join(local, file.path));
      } catch (err) {
        throw new Error(`spec ${file.path} cannot be read from ${local}: ${(err as Error).message}`);
      }
    } else {
      data = await fetchFile(`${sources.rawBase}/${file.commit}/${file.upstream}`);
    }
    const got = sha256(data);
    if (got !== file.sha256) {
      throw new Error(
        `spec ${file.path} from ${local ?? 'download'} has sha256 ${got}, expected ${file.sha256}: refusing it`,
      );
    }
    mkdirSync(dirname(dest), { recursive: true });
    // Write then rename, so an interrupted sync never leaves a half file that looks synced.
    writeFileSync(`${dest}.tmp`, data);
    renameSync(`${dest}.tmp`, dest);
  }
  const commits = [...new Set(files.map((f) => f.commit))].join(',');
  const source = local ?? `${sources.repository}@${commits}`;
  log(`specs: ${files.length} files in ${target} (from ${source}, ${skipped} already current)`);
  return { source, files: files.length, skipped };
}
