import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { ConfirmFlagGate } from '../../src/safety/confirm-gate.js';
import { PolicyService, UnknownFolderError } from '../../src/policy/service.js';
import type { ScmAnswer, ScmTransport } from '../../src/tools/types.js';

// The snapshot cache: per folder, short-lived, dropped by writes, never filled by a failed load; pages read fully.

type Sent = Parameters<ScmTransport['request']>[0];

function setup(opts: { failAddressOnce?: boolean; addresses?: number } = {}) {
  const sent: Sent[] = [];
  let fail = opts.failAddressOnce === true;
  const total = opts.addresses ?? 2;
  const transport: ScmTransport = {
    async request(req): Promise<ScmAnswer> {
      sent.push(req);
      if (req.operation === 'address.list') {
        if (fail) {
          fail = false;
          return Promise.reject(Object.assign(new Error('boom'), {}));
        }
        const limit = Number(req.query.limit);
        const offset = Number(req.query.offset);
        const data = [];
        for (let i = offset; i < Math.min(total, offset + Math.min(limit, 5000)); i++)
          data.push({ id: `a${i}`, name: `host-${i}`, ip_netmask: '10.0.0.1/32', folder: 'Shared' });
        return { status: 200, headers: {}, body: { data, total, limit, offset } };
      }
      return { status: 200, headers: {}, body: { data: [], total: 0, limit: 5000, offset: 0 } };
    },
  };
  let now = 1_000_000;
  const listing = {
    source: 'live' as const,
    folders: [
      { name: 'Shared', type: 'folder' as const },
      { name: 'Branch', type: 'folder' as const, parent: 'Shared' },
    ],
    snippets: [],
    fetched_at: '',
  };
  const service = new PolicyService({
    operations: loadCatalog().operations,
    deps: () => ({ transport, environment: 'sandbox', gate: new ConfirmFlagGate() }),
    directory: { list: async () => listing },
    tsgId: '1',
    ttlMs: 60_000,
    now: () => now,
  });
  return { sent, service, tick: (ms: number) => (now += ms) };
}

const listsFor = (sent: Sent[], op: string) => sent.filter((s) => s.operation === op);

describe('PolicyService', () => {
  it('reads every page at the 5,000 clamp, the folder chain for rules, by operation key', async () => {
    const { sent, service } = setup({ addresses: 12_001 });
    const index = await service.index('Branch');
    expect(index.addresses.size).toBe(12_001);
    expect(listsFor(sent, 'address.list').map((s) => [s.query.limit, s.query.offset])).toEqual([
      [5000, 0],
      [5000, 5000],
      [5000, 10_000],
    ]);
    expect(
      listsFor(sent, 'securityRule.list')
        .map((s) => `${String(s.query.folder)}/${String(s.query.position)}`)
        .sort(),
    ).toEqual(['Branch/post', 'Branch/pre', 'Shared/post', 'Shared/pre']);
    expect(index.chain).toEqual(['Shared', 'Branch']);
  });

  it('caches per folder for its time to live; refresh reads again', async () => {
    const { sent, service, tick } = setup();
    const a = await service.index('Shared');
    expect(await service.index('Shared')).toBe(a);
    await service.index('Branch');
    expect(listsFor(sent, 'address.list')).toHaveLength(2);
    tick(59_000);
    expect(await service.index('Shared')).toBe(a);
    expect(await service.index('Shared', { refresh: true })).not.toBe(a);
    tick(61_000);
    await service.index('Branch');
    expect(listsFor(sent, 'address.list')).toHaveLength(4);
  });

  it('a write outcome drops every snapshot; a refused one does not', async () => {
    const { service } = setup();
    const a = await service.index('Shared');
    service.write({
      phase: 'outcome',
      outcome: 'refused',
      tool: 'address_delete',
      key: 'address.delete',
      args: {},
    });
    expect(await service.index('Shared')).toBe(a);
    service.write({ phase: 'intent', tool: 'address_create', key: 'address.create', args: {} });
    expect(await service.index('Shared')).toBe(a);
    service.write({
      phase: 'outcome',
      outcome: 'ok',
      tool: 'address_create',
      key: 'address.create',
      args: {},
    });
    expect(await service.index('Shared')).not.toBe(a);
  });

  it('a failed load caches nothing: the next call reads again', async () => {
    const { sent, service } = setup({ failAddressOnce: true });
    await expect(service.index('Shared')).rejects.toThrow();
    const index = await service.index('Shared');
    expect(index.addresses.size).toBe(2);
    expect(listsFor(sent, 'address.list')).toHaveLength(2);
  });

  it('two calls at once share one load', async () => {
    const { sent, service } = setup();
    const [a, b] = await Promise.all([service.index('Shared'), service.index('Shared')]);
    expect(a).toBe(b);
    expect(listsFor(sent, 'address.list')).toHaveLength(1);
  });

  it('an unknown folder names the known ones and reads nothing', async () => {
    const { sent, service } = setup();
    const err = await service.index('branch').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownFolderError);
    expect((err as UnknownFolderError).known).toEqual(['Shared', 'Branch']);
    expect(sent).toHaveLength(0);
  });

  it('referencesFor answers only for object kinds it loads', async () => {
    const { service } = setup();
    expect(await service.referencesFor('Shared', 'host-1', 'remoteNetwork')).toEqual([]);
    expect(await service.referencesFor('Shared', 'host-1', 'address')).toEqual([]);
  });
});
