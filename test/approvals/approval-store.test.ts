import { afterAll, describe, expect, inject, it } from 'vitest';
import { MemoryApprovalStore } from '../../src/approvals/memory-store.js';
import { RedisApprovalStore } from '../../src/approvals/redis-store.js';
import type { ApprovalRecord, ApprovalStore } from '../../src/approvals/types.js';
import { createLogger } from '../../src/log.js';
import { RedisKv } from '../../src/store/redis-kv.js';

const kvs: RedisKv[] = [];
afterAll(async () => {
  for (const kv of kvs) await kv.close();
});

/** Two handles on one store: for Redis, two connections (as two replicas have). */
async function open(kind: string, now: () => number): Promise<[ApprovalStore, ApprovalStore]> {
  if (kind === 'memory') {
    const s = new MemoryApprovalStore({ now });
    return [s, s];
  }
  const prefix = `test-${Math.random().toString(36).slice(2)}:`;
  const [x, y] = await Promise.all(
    [0, 1].map(() => RedisKv.connect(inject('redisUrl'), createLogger('silent'))),
  );
  kvs.push(x!, y!);
  return [
    new RedisApprovalStore(x!.client, { prefix, now }),
    new RedisApprovalStore(y!.client, { prefix, now }),
  ];
}

const record = (id: string, createdAt: number, over: Partial<ApprovalRecord> = {}): ApprovalRecord => ({
  id,
  state: 'pending',
  clientName: 'ioc-bot',
  environment: 'sandbox',
  tsgId: '1',
  tool: 'address_delete',
  key: 'addresses.delete',
  args: { id: 'x', tags: [], nested: { empty: {} } },
  fingerprint: 'fp',
  action: 'Delete address "x"',
  message: 'line one\nline two',
  preview: { changes: [] },
  createdAt,
  expiresAt: createdAt + 60_000,
  ...over,
});

describe.each(['memory', 'redis'])('ApprovalStore on %s', (kind) => {
  it('keeps records as given, lists newest first, and lets only one of two deciders win', async () => {
    const t = 1_000_000;
    const [a, b] = await open(kind, () => t);
    await a.create(record('inb_1', t));
    await a.create(record('inb_2', t + 1));
    expect(await b.get('inb_1')).toEqual(record('inb_1', t));
    expect((await b.list()).map((r) => r.id)).toEqual(['inb_2', 'inb_1']);
    expect(await b.get('inb_nope')).toBeUndefined();

    const [x, y] = await Promise.all([
      a.transition('inb_1', 'pending', { state: 'approved', decidedBy: 'alice', decidedAt: t }),
      b.transition('inb_1', 'pending', { state: 'declined', decidedBy: 'bob', decidedAt: t }),
    ]);
    const won = [x, y].filter(Boolean);
    expect(won).toHaveLength(1);
    expect(await a.get('inb_1')).toEqual(won[0]);

    // Spending an approval: once, whichever handle asks.
    await a.transition('inb_2', 'pending', { state: 'approved', decidedBy: 'alice', decidedAt: t });
    const uses = await Promise.all(
      [a, b, a, b].map((s) => s.transition('inb_2', 'approved', { state: 'used' })),
    );
    expect(uses.filter(Boolean)).toHaveLength(1);
    expect((await b.get('inb_2'))?.state).toBe('used');
  });

  it('a request past its time is expired and can no longer be decided or used', async () => {
    let t = 2_000_000;
    const [a, b] = await open(kind, () => t);
    await a.create(record('inb_3', t));
    await a.create(record('inb_4', t));
    await a.transition('inb_4', 'pending', { state: 'approved', decidedBy: 'bob', decidedAt: t });
    t += 60_000;
    expect((await b.get('inb_3'))?.state).toBe('expired');
    expect(await b.transition('inb_3', 'pending', { state: 'approved' })).toBeUndefined();
    expect(await b.transition('inb_4', 'approved', { state: 'used' })).toBeUndefined();
    expect((await a.list()).map((r) => r.state)).toEqual(['expired', 'expired']);
  });
});
