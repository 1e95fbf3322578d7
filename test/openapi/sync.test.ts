import { createHash } from 'node:crypto';
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
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { allSourceFiles, projectRoot, readSources, syncSpecs, upstreamDir } from '../../src/openapi/sync.js';

// ../shared/specs sits beside the repository (and CI): hide it when a test needs "no local source".
const hidden = vi.hoisted(() => ({ paths: new Set<string>() }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    existsSync: (p: import('node:fs').PathLike) => !hidden.paths.has(String(p)) && fs.existsSync(p),
  };
});

const pinned = readSources();
// Every set's files in one list (sources.json pins them per set).
const sources = { ...pinned, files: allSourceFiles(pinned), commit: Object.values(pinned.sets)[0]!.commit };
const sha256 = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

/** Every file below dir, relative, sorted. */
function filesIn(dir: string, rel = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesIn(dir, join(rel, e.name)) : [join(rel, e.name)]))
    .sort();
}

let work: string;
let source: string;
let target: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'spec-sync-'));
  source = join(work, 'source');
  target = join(work, 'target');
  // A writable copy of the pinned files (the shared folder is read-only).
  for (const f of sources.files) {
    const from = join(upstreamDir, f.path);
    if (!existsSync(from)) throw new Error(`${from} is missing: run \`npm run specs:sync\``);
    mkdirSync(dirname(join(source, f.path)), { recursive: true });
    writeFileSync(join(source, f.path), readFileSync(from));
  }
});

afterEach(() => {
  hidden.paths.clear();
  rmSync(work, { recursive: true, force: true });
});

const expected = sources.files.map((f) => f.path).sort();

describe('syncSpecs', () => {
  it('copies every pinned file from $PRISMA_SPECS_DIR, then finds them current', async () => {
    const fetchFile = vi.fn(async () => Buffer.from(''));
    const first = await syncSpecs({ env: { PRISMA_SPECS_DIR: source }, target, fetchFile });
    expect(first).toEqual({ source, files: sources.files.length, skipped: 0 });
    expect(filesIn(target)).toEqual(expected);
    for (const f of sources.files) expect(sha256(readFileSync(join(target, f.path))), f.path).toBe(f.sha256);

    const second = await syncSpecs({ env: { PRISMA_SPECS_DIR: source }, target, fetchFile });
    expect(second).toEqual({ source, files: sources.files.length, skipped: sources.files.length });
    expect(filesIn(target)).toEqual(expected);
    expect(fetchFile).not.toHaveBeenCalled();
  });

  it('replaces a target file that was changed since the last sync', async () => {
    await syncSpecs({ env: { PRISMA_SPECS_DIR: source }, target });
    const one = sources.files[1]!;
    writeFileSync(join(target, one.path), 'edited by hand\n');
    const again = await syncSpecs({ env: { PRISMA_SPECS_DIR: source }, target });
    expect(again.skipped).toBe(sources.files.length - 1);
    expect(sha256(readFileSync(join(target, one.path)))).toBe(one.sha256);
  });

  it('refuses a tampered file, naming it, and leaves nothing half-written', async () => {
    const bad = sources.files[3]!;
    const file = join(source, bad.path);
    const bytes = readFileSync(file);
    bytes[100] = bytes[100] === 0x41 ? 0x42 : 0x41; // one byte changed
    writeFileSync(file, bytes);

    await expect(syncSpecs({ env: { PRISMA_SPECS_DIR: source }, target })).rejects.toThrow(
      new RegExp(`spec ${bad.path} from .* has sha256 [0-9a-f]{64}, expected ${bad.sha256}: refusing it`),
    );
    const written = filesIn(target);
    expect(written).not.toContain(bad.path);
    expect(written.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // Whatever was written before the refusal is a whole, verified file.
    for (const f of sources.files.filter((s) => written.includes(s.path)))
      expect(sha256(readFileSync(join(target, f.path))), f.path).toBe(f.sha256);
  });

  it('keeps the last good copy when the source offers a tampered one', async () => {
    await syncSpecs({ env: { PRISMA_SPECS_DIR: source }, target });
    const bad = sources.files[0]!;
    writeFileSync(join(target, bad.path), 'stale\n'); // needs a refresh...
    writeFileSync(join(source, bad.path), `${readFileSync(join(source, bad.path), 'utf8')} `); // ...offered tampered
    await expect(syncSpecs({ env: { PRISMA_SPECS_DIR: source }, target })).rejects.toThrow(bad.path);
    expect(readFileSync(join(target, bad.path), 'utf8')).toBe('stale\n');
    expect(filesIn(target).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  describe('with no local source', () => {
    beforeEach(() => {
      hidden.paths.add(join(projectRoot, '..', 'shared', 'specs'));
    });

    it('downloads every file from the pinned commit through fetchFile', async () => {
      const byUrl = new Map(
        sources.files.map((f) => [
          `${sources.rawBase}/${f.commit}/${f.upstream}`,
          readFileSync(join(source, f.path)),
        ]),
      );
      const urls: string[] = [];
      const fetchFile = async (url: string) => {
        urls.push(url);
        const data = byUrl.get(url);
        if (!data) throw new Error(`unexpected URL ${url}`);
        return data;
      };
      const result = await syncSpecs({ env: {}, target, fetchFile });
      expect(result).toEqual({
        source: `${sources.repository}@${sources.commit}`,
        files: sources.files.length,
        skipped: 0,
      });
      expect(sources.commit).toMatch(/^[0-9a-f]{40}$/);
      // Two sets may pin the same upstream file (the setup API): each copy is fetched.
      expect([...new Set(urls)].sort()).toEqual([...byUrl.keys()].sort());
      expect(urls).toHaveLength(sources.files.length);
      expect(urls.every((u) => u.startsWith(`https://raw.githubusercontent.com/`))).toBe(true);
      expect(urls.every((u) => u.includes(`/${sources.commit}/`))).toBe(true);
      expect(filesIn(target)).toEqual(expected);

      // Current files are not fetched again.
      urls.length = 0;
      expect((await syncSpecs({ env: {}, target, fetchFile })).skipped).toBe(sources.files.length);
      expect(urls).toEqual([]);
    });

    it('refuses a download whose sha256 differs', async () => {
      const fetchFile = async () => Buffer.from('not the pinned file\n');
      await expect(syncSpecs({ env: {}, target, fetchFile })).rejects.toThrow(
        `spec ${sources.files[0]!.path} from download has sha256`,
      );
      expect(filesIn(target)).toEqual([]);
    });
  });

  it('pins both API generations, files in sub-folders included', () => {
    expect(Object.keys(pinned.sets).sort()).toEqual(['prisma-access', 'scm']);
    const scm = pinned.sets.scm!.files.map((f) => f.path);
    expect(scm).toHaveLength(10);
    expect(scm).toContain('scm-config/setup/device-onboarding/device-onboarding-updated.yaml');
    for (const f of allSourceFiles(pinned)) expect(f.sha256, f.path).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names the file that cannot be read from the local source', async () => {
    const gone = sources.files[2]!;
    rmSync(join(source, gone.path));
    await expect(syncSpecs({ env: { PRISMA_SPECS_DIR: source }, target })).rejects.toThrow(
      `spec ${gone.path} cannot be read from ${source}`,
    );
  });
});
