import { afterEach, describe, expect, it } from 'vitest';
import { accept, call, decline, type Harness, startHarness } from '../integration/approval-harness.js';
import { resultData } from '../integration/result-data.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const BATCH = [
  '203.0.113.10',
  '203.0.113.11',
  '198.51.100.0/24',
  '192.0.2.1-192.0.2.5',
  'Evil.Example.com',
  'https://phish.example.net/login',
  'not an ip',
  '0.0.0.0/0',
  '203.0.113.10/32',
];
const writes = (hh: Harness) =>
  hh.sandbox.requests.filter((r) => r.method !== 'GET' && !r.path.includes('oauth2'));
const objects = (hh: Harness, resource: string, folder = 'Shared') =>
  hh.sandbox.state.objects(resource).filter((o) => o.folder === folder);
const named = (hh: Harness, resource: string, name: string) =>
  objects(hh, resource).find((o) => o.data.name === name);

describe('indicators_block end to end (app + SDK client + sandbox)', () => {
  it('previews with nothing sent, asks once, blocks a mixed batch; a re-run sends 0 writes', async () => {
    h = await startHarness({ elicit: accept });
    const before = writes(h).length;
    const { res, data } = await call(h.client, 'indicators_block', {
      indicators: BATCH,
      reason: 'campaign X',
      ticket: 'INC-1',
    });
    expect(res.isError).toBeFalsy();
    expect(data).toMatchObject({ environment: 'scm', status: 'confirmation_required', executed: false });
    expect(data.counts).toMatchObject({ given: 9, valid: 6, new: 6, invalid: 1, refused: 1, duplicates: 1 });
    expect(data.invalid.items).toEqual([{ input: 'not an ip', reason: expect.stringMatching(/spaces/) }]);
    expect(data.refused.items).toEqual([
      { input: '0.0.0.0/0', reason: expect.stringMatching(/allow_broad/) },
    ]);
    expect(data.duplicates.items).toEqual([{ input: '203.0.113.10/32', same_as: '203.0.113.10' }]);
    expect(data.changes.addresses_to_create.count).toBe(4);
    // The demo tenant's partner-acme already holds 198.51.100.0/24: reused, not duplicated.
    expect(data.changes.addresses_reused.items).toEqual(['partner-acme (holds 198.51.100.0/24)']);
    expect(writes(h)).toHaveLength(before);
    expect(h.prompts).toHaveLength(0);

    const done = await call(h.client, 'indicators_block', {
      indicators: BATCH,
      reason: 'campaign X',
      ticket: 'INC-1',
      confirm: true,
    });
    expect(done.res.isError).toBeFalsy();
    expect(done.data).toMatchObject({ status: 'done', executed: true, approved_by: 'elicitation' });
    expect(done.data.counts).toMatchObject({ done: 6, not_done: 0 });
    expect(h.prompts).toHaveLength(1);
    expect(h.prompts[0]!.message).toMatch(/Block 6 indicator\(s\) in folder Shared/);
    expect(h.prompts[0]!.message).toMatch(/Address objects to create: 4; reused: 1/);

    const group = named(h, 'addressGroup', 'mcp-blocked-addresses')!;
    expect((group.data.static as string[]).sort()).toEqual(
      [
        'ioc-fqdn-evil.example.com',
        'ioc-ip-203.0.113.10',
        'ioc-ip-203.0.113.11',
        'partner-acme',
        'ioc-range-192.0.2.1-192.0.2.5',
      ].sort(),
    );
    expect(named(h, 'urlCategory', 'mcp-blocked-urls')!.data.list).toEqual([
      'evil.example.com',
      'phish.example.net/login',
    ]);
    const rules = objects(h, 'securityRule').filter((r) => r.position === 'pre');
    expect(
      rules
        .slice(0, 3)
        .map((r) => r.data.name)
        .sort(),
    ).toEqual(['mcp-block-inbound', 'mcp-block-outbound', 'mcp-block-urls']);
    expect(named(h, 'securityRule', 'mcp-block-inbound')!.data).toMatchObject({
      action: 'deny',
      source: ['mcp-blocked-addresses'],
    });
    expect(named(h, 'address', 'ioc-ip-203.0.113.10')!.data.description).toMatch(/campaign X; ticket INC-1/);

    // Audit: one record for the batch (count, hash, approval) plus the pipeline's per-write records.
    const batch = h.audit().filter((l) => l.key === 'workflow.indicatorsBlock' && l.phase === 'intent');
    expect(batch).toEqual([expect.objectContaining({ phase: 'intent', approved_by: 'elicitation' })]);
    expect(batch[0]!.args).toMatchObject({ indicator_count: 6, batch_sha256: done.data.batch_sha256 });
    expect(h.audit().filter((l) => l.key === 'address.create' && l.phase === 'outcome')).toHaveLength(4);

    const sent = writes(h).length;
    const again = await call(h.client, 'indicators_block', { indicators: BATCH, confirm: true });
    expect(again.data).toMatchObject({ status: 'nothing_to_do', writes: 0 });
    expect(again.data.counts).toMatchObject({ already_blocked: 6, new: 0 });
    expect(writes(h)).toHaveLength(sent);
    expect(h.prompts).toHaveLength(1);
  });

  it('finds an address holding the value past the first result of a large folder: reused, not created', async () => {
    h = await startHarness({ elicit: accept });
    // More addresses than one all: true result holds (the result budget): the workflow must read every page.
    const list = h.sandbox.state.objects('address');
    for (let i = 0; i < 3000; i++)
      list.push({
        id: `bulk-${i}`,
        folder: 'Shared',
        data: { name: `bulk-${i}`, ip_netmask: `10.77.${i >> 8}.${i & 255}/32`, description: 'x'.repeat(40) },
      });
    list.push({ id: 'late', folder: 'Shared', data: { name: 'already-there', ip_netmask: '203.0.113.99' } });
    h.sandbox.state.changed();
    const { res, data } = await call(h.client, 'indicators_block', { indicators: ['203.0.113.99'] });
    expect(res.isError).toBeFalsy();
    expect(data.changes.addresses_to_create.count).toBe(0);
    expect(data.changes.addresses_reused.items).toEqual(['already-there (holds 203.0.113.99)']);
  });

  it('declined: nothing is sent', async () => {
    h = await startHarness({ elicit: decline });
    const before = writes(h).length;
    const { res, data } = await call(h.client, 'indicators_block', {
      indicators: ['203.0.113.20'],
      confirm: true,
    });
    expect(res.isError).toBe(true);
    expect(data).toMatchObject({ status: 'declined', executed: false });
    expect(writes(h)).toHaveLength(before);
  });

  it('an unknown folder names the known ones; bad arguments name the field; nothing sent', async () => {
    h = await startHarness({ elicit: accept });
    const before = writes(h).length;
    const { res, data } = await call(h.client, 'indicators_block', {
      indicators: ['203.0.113.20'],
      folder: 'Nope',
      confirm: true,
    });
    expect(res.isError).toBe(true);
    expect(data.error.fields[0].message).toMatch(/known: Shared, .*Mobile Users/);
    const bad = await call(h.client, 'indicators_block', { indicators: [], direction: 'sideways' });
    expect(bad.res.isError).toBe(true);
    expect(bad.data.error.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'direction',
      'indicators',
    ]);
    expect(writes(h)).toHaveLength(before);
    expect(h.prompts).toHaveLength(0);
  });
});

describe('indicators_block without elicitation (confirm-token mode: the model confirms in two steps)', () => {
  it('the token from the preview approves that batch only; nothing is sent before', async () => {
    h = await startHarness({ approval: 'confirm-token' });
    const before = writes(h).length;
    const preview = await call(h.client, 'indicators_block', { indicators: ['203.0.113.30', 'x.example'] });
    expect(preview.data).toMatchObject({ status: 'confirmation_required', executed: false });
    const token = preview.data.approval_token as string;
    expect(token).toMatch(/^apv_/);
    // confirm alone is not enough, and another batch cannot use the token.
    const other = await call(h.client, 'indicators_block', {
      indicators: ['203.0.113.31'],
      confirm: true,
      approval_token: token,
    });
    expect(other.res.isError).toBe(true);
    expect(other.data.status).toBe('approval_refused');
    expect(writes(h)).toHaveLength(before);

    const again = await call(h.client, 'indicators_block', { indicators: ['203.0.113.30', 'x.example'] });
    // The same batch written differently is the same normalised batch.
    const done = await call(h.client, 'indicators_block', {
      indicators: ['X.Example.', '203.0.113.30/32'],
      confirm: true,
      approval_token: again.data.approval_token,
    });
    expect(done.data).toMatchObject({ status: 'done', approved_by: 'model-token' });
  });
});

describe('indicators_block progress', () => {
  it('sends progress notifications while it runs', { timeout: 60_000 }, async () => {
    h = await startHarness({ approval: 'flag' });
    const seen: { progress: number; total?: number; message?: string }[] = [];
    const res = await h.client.callTool(
      {
        name: 'indicators_block',
        arguments: { indicators: Array.from({ length: 60 }, (_, i) => `203.0.113.${i + 1}`), confirm: true },
      },
      undefined,
      { onprogress: (p) => seen.push(p) },
    );
    expect((resultData(res) as Record<string, unknown>).status).toBe('done');
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)!.message).toMatch(/rule mcp-block/);
    expect(seen.every((p) => p.total !== undefined && p.progress <= p.total)).toBe(true);
  });
});
