import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SourceFile {
  path: string;
  upstream: string;
  sha256: string;
}
export interface Sources {
  repository: string;
  commit: string;
  rawBase: string;
  files: SourceFile[];
}

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const specsDir = join(projectRoot, 'specs');
export const upstreamDir = join(specsDir, 'upstream');

export function readSources(): Sources {
  return JSON.parse(readFileSync(join(specsDir, 'sources.json'), 'utf8')) as Sources;
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
  for (const file of sources.files) {
    const dest = join(target, file.path);
    if (existsSync(dest) && sha256(readFileSync(dest)) === file.sha256) {
      skipped++;
      continue;
    }
    let data: Buffer;
    if (local) {
      data = readFileSync(join(local, file.path));
    } else {
      data = await fetchFile(`${sources.rawBase}/${sources.commit}/${file.upstream}`);
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
  const source = local ?? `${sources.repository}@${sources.commit}`;
  log(`specs: ${sources.files.length} files in ${target} (from ${source}, ${skipped} already current)`);
  return { source, files: sources.files.length, skipped };
}
