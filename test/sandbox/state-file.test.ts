import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { operations, start } from './helpers.js';

/** A state file that cannot be a tenant stops the start with the file and the problem named. */
describe('sandbox state file: corrupt or foreign files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-corrupt-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let good = '';
  it('has a good file to start from', async () => {
    const file = join(dir, 'good.json');
    const sb = await start({ stateFile: file });
    await sb.close();
    good = readFileSync(file, 'utf8');
    expect(JSON.parse(good).candidate.address.length).toBeGreaterThan(0);
  });

  const mutate = (change: (d: Record<string, any>) => unknown) => {
    const d = JSON.parse(good);
    const out = change(d);
    return JSON.stringify(out === undefined ? d : out);
  };

  it.each([
    ['truncated JSON', () => good.slice(0, good.length / 2), /not valid JSON/],
    ['an empty file', () => '', /not valid JSON/],
    ['null', () => 'null', /holds null, not a sandbox state object/],
    ['an array', () => '[1,2]', /holds an array, not a sandbox state object/],
    ['a string', () => '"tenant"', /holds a string, not a sandbox state object/],
    ['a foreign format', () => '{"format":"something-else"}', /not a sandbox state file/],
    ['another version', () => mutate((d) => ({ ...d, version: 2 })), /version 2.*reads version 1/],
    ['no candidate', () => mutate((d) => void delete d.candidate), /candidate: is required/],
    [
      'candidate of the wrong type',
      () => mutate((d) => void (d.candidate = [])),
      /candidate: must be object/,
    ],
    [
      'an object without id',
      () => mutate((d) => void delete d.candidate.address[0].id),
      /candidate\.address\[0\]\.id: is required/,
    ],
    [
      'data of the wrong type',
      () => mutate((d) => void (d.candidate.address[1].data = 'x')),
      /candidate\.address\[1\]\.data: must be object/,
    ],
    [
      'a folder without a name',
      () => mutate((d) => void (d.folders[0].name = 7)),
      /folders\[0\]\.name: must be string/,
    ],
    ['nextJobId not a number', () => mutate((d) => void (d.nextJobId = '5')), /nextJobId: must be integer/],
    ['jobs missing', () => mutate((d) => void delete d.jobs), /jobs: is required/],
  ])('refuses %s, naming the file and the problem', async (_what, content, problem) => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, content());
    const started = startSandbox({ operations: await operations(), stateFile: file });
    await expect(started).rejects.toThrow(problem);
    await expect(started).rejects.toThrow(file);
    // Never replaced: the person can still look at it.
    expect(readFileSync(file, 'utf8')).toBe(content());
  });
});
