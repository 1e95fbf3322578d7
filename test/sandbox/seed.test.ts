import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { danglingReferences } from '../../src/sandbox/references.js';
import { BodyValidator } from '../../src/sandbox/validate.js';
import type { IrOperation } from '../../src/openapi/ir.js';
import { operations, start, type TestSandbox } from './helpers.js';

describe('sandbox demo tenant', () => {
  let sb: TestSandbox;
  let ops: IrOperation[];
  beforeAll(async () => {
    ops = await operations();
    sb = await start();
  });
  afterAll(() => sb.close());

  const count = (resource: string, pred: (d: Record<string, unknown>) => boolean = () => true) =>
    sb.state.objects(resource).filter((o) => pred(o.data)).length;

  it('has the objects worth querying', () => {
    expect(count('tag')).toBeGreaterThanOrEqual(8);
    expect(count('address')).toBeGreaterThanOrEqual(30);
    expect(count('addressGroup', (d) => 'static' in d)).toBeGreaterThanOrEqual(5);
    expect(count('addressGroup', (d) => 'dynamic' in d)).toBeGreaterThanOrEqual(1);
    expect(count('service')).toBeGreaterThanOrEqual(5);
    expect(count('serviceGroup')).toBeGreaterThanOrEqual(1);
    expect(count('applicationGroup')).toBeGreaterThanOrEqual(2);
    expect(count('urlCategory')).toBeGreaterThanOrEqual(1);
    expect(count('externalDynamicList')).toBeGreaterThanOrEqual(1);
    expect(count('profileGroup')).toBeGreaterThanOrEqual(1);
    expect(count('remoteNetwork')).toBeGreaterThanOrEqual(1);
  });

  it('has a realistic rulebase: pre and post, allow and deny, some disabled, in Shared and a custom folder', () => {
    const rules = sb.state.objects('securityRule');
    for (const folder of ['Shared', 'Branch Offices']) {
      const mine = rules.filter((r) => r.folder === folder);
      expect(mine.some((r) => r.position === 'pre')).toBe(true);
      expect(mine.some((r) => r.position === 'post')).toBe(true);
      expect(mine.some((r) => r.data.action === 'allow')).toBe(true);
      expect(mine.some((r) => r.data.action === 'deny')).toBe(true);
      expect(mine.some((r) => r.data.disabled === true)).toBe(true);
    }
  });

  it('every seeded object is valid against its spec schema and references only what exists, but for the one planted dangling reference', () => {
    const validator = new BodyValidator();
    const bodyOf = (resource: string) =>
      ops.find((o) => o.resource === resource && (o.action === 'create' || o.action === 'update') && o.body);
    for (const [resource, objects] of Object.entries(sb.state.data.candidate)) {
      const op = bodyOf(resource);
      expect(op, resource).toBeDefined();
      if (!op) continue;
      for (const o of objects) {
        expect(
          () => validator.check(op, o.data, ['name']),
          `${resource} ${String(o.data.name)}`,
        ).not.toThrow();
      }
    }
    const everywhere = new Set(['', ...sb.state.data.folders.map((f) => f.name)]);
    // The demo's dangling-reference case (policy_analyze finds it), alone in its own folder.
    expect(danglingReferences(sb.state.data.candidate, sb.state.chain, everywhere)).toEqual([
      expect.stringMatching(
        /^Mobile Users Explicit Proxy -> security-rule -> Allow-Legacy-Proxy-Pool -> source: 'old-proxy-pool'/,
      ),
    ]);
  });

  it('starts with a history: config versions, finished jobs, nothing pending', async () => {
    expect((await sb.api('GET', 'config-versions')).body.total).toBe(2);
    const jobs = (await sb.api('GET', 'jobs')).body.data;
    expect(jobs.length).toBeGreaterThan(2);
    expect(
      jobs.every(
        (j: { status_str: string; result_str: string }) => j.status_str === 'FIN' && j.result_str === 'OK',
      ),
    ).toBe(true);
    expect(sb.state.pendingChanges()).toEqual({ added: [], modified: [], deleted: [] });
  });

  it('gives the same ids for the same seed, and other ids for another', async () => {
    const again = await start({ seed: 1 });
    const other = await start({ seed: 2 });
    try {
      expect(again.idOf('address', 'web-srv-01')).toBe(sb.idOf('address', 'web-srv-01'));
      expect(other.idOf('address', 'web-srv-01')).not.toBe(sb.idOf('address', 'web-srv-01'));
    } finally {
      await again.close();
      await other.close();
    }
  });

  it('can start without the demo objects', async () => {
    const empty = await start({ seedDemo: false });
    try {
      expect((await empty.api('GET', 'addresses?folder=Shared')).body.total).toBe(0);
      expect((await empty.api('GET', '/config/setup/v1/folders')).body.total).toBeGreaterThanOrEqual(7);
      expect((await empty.api('GET', 'bgp-routing')).body.total).toBe(1);
    } finally {
      await empty.close();
    }
  });
});
