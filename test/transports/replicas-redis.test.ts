import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { MemoryKv } from '../../src/store/kv-store.js';
import { RedisKv } from '../../src/store/redis-kv.js';
import { createLogger } from '../../src/log.js';
import { APPROVERS_ENV, InboxVisitor, TOKENS, until } from '../integration/approval-inbox-harness.js';
import { connectClient, type HttpServer, startHttpServer } from './http-harness.js';
import { resultData } from '../integration/result-data.js';

let sandbox: RunningSandbox;
let a: HttpServer;
let b: HttpServer;
const redisUrl = inject('redisUrl');

beforeAll(async () => {
  sandbox = await startSandbox({ operations: loadCatalog().operations });
  // Two replicas of the real binary on one tenant, sharing Redis.
  [a, b] = await Promise.all([
    startHttpServer(['--redis-url', redisUrl, '--approval', 'confirm-token'], { sandbox }),
    startHttpServer(['--redis-url', redisUrl, '--approval', 'confirm-token'], { sandbox }),
  ]);
}, 60_000);
afterAll(async () => {
  await a?.close();
  await b?.close();
  await sandbox?.close();
});

async function callOn(server: HttpServer, name: string, args: Record<string, unknown>) {
  const { client } = await connectClient(server);
  try {
    const res = (await client.callTool({ name, arguments: args })) as CallToolResult;
    return { res, data: resultData(res) as Record<string, any> };
  } finally {
    await client.close();
  }
}

describe('two replicas sharing Redis (--redis-url)', () => {
  it('redeems an approval token issued by one replica once on the other, and refuses the replay', async () => {
    const created = await callOn(a, 'address_create', {
      folder: 'Shared',
      name: 'replica-ioc',
      ip_netmask: '198.51.100.44/32',
    });
    const id = created.data.result.id as string;
    const preview = await callOn(a, 'address_delete', { id, confirm: true });
    const token = preview.data.approval_token as string;
    expect(token).toMatch(/^apv_/);

    const deletes = () => sandbox.requests.filter((r) => r.method === 'DELETE').length;
    const before = deletes();
    const onB = await callOn(b, 'address_delete', { id, confirm: true, approval_token: token });
    expect(onB.res.isError).toBeFalsy();
    expect(deletes()).toBe(before + 1);

    for (const replica of [a, b]) {
      const replay = await callOn(replica, 'address_delete', { id, confirm: true, approval_token: token });
      expect(replay.res.isError).toBe(true);
      expect(JSON.stringify(replay.data)).toContain('unknown or was already used');
    }
    expect(deletes()).toBe(before + 1);
  }, 60_000);
});

describe('two replicas sharing Redis with the approval inbox (--approvals inbox)', () => {
  let x: HttpServer | undefined;
  let y: HttpServer | undefined;
  afterAll(async () => {
    await x?.close();
    await y?.close();
  });

  it('a call waiting on one replica is approved in the inbox served by the other, runs there once, and the replay is refused', async () => {
    const args = ['--redis-url', redisUrl, '--approvals', 'inbox', '--inbox-wait', '60'];
    const env = { PRISMA_MCP_APPROVERS: APPROVERS_ENV };
    [x, y] = await Promise.all([
      startHttpServer(args, { sandbox, env }),
      startHttpServer(args, { sandbox, env }),
    ]);
    const created = await callOn(x, 'address_create', {
      folder: 'Shared',
      name: 'replica-inbox-ioc',
      ip_netmask: '198.51.100.45/32',
    });
    const id = created.data.result.id as string;
    const deletes = () => sandbox.requests.filter((r) => r.method === 'DELETE' && r.path.includes(id)).length;

    // The call waits on replica x for a person.
    const waiting = callOn(x, 'address_delete', { id, confirm: true });
    const bob = new InboxVisitor(`${y.url}/approvals`);
    await bob.signIn(TOKENS.bob);
    // Replica y's inbox lists the request x opened.
    const page = await until(
      () => bob.get('/'),
      (p) => p.html.includes('replica-inbox-ioc'),
    );
    expect(page.html).toContain('Delete address &quot;replica-inbox-ioc&quot;');
    const approvalId = /name="id" value="(inb_[^"]+)"/.exec(page.html)?.[1];
    expect(approvalId).toBeDefined();
    expect(deletes()).toBe(0);
    expect((await bob.post('/decide', { id: approvalId!, decision: 'approve' })).status).toBe(303);

    const done = await waiting;
    expect(done.res.isError).toBeFalsy();
    expect(deletes()).toBe(1);

    // Bob's sign-in on y holds on x: sessions live in Redis, no sticky routing for the inbox page.
    const bobOnX = new InboxVisitor(`${x.url}/approvals`);
    bobOnX.cookie = bob.cookie;
    expect((await bobOnX.get('/')).html).toContain('/logout');

    // x's own inbox sees y's decision: the request is no longer open to decide.
    const alice = new InboxVisitor(`${x.url}/approvals`);
    await alice.signIn(TOKENS.alice);
    const late = await alice.post('/decide', { id: approvalId!, decision: 'decline' });
    expect(late.status).toBe(403);
    expect(late.html).toMatch(/not pending/);

    for (const replica of [x, y]) {
      const replay = await callOn(replica, 'address_delete', {
        id,
        confirm: true,
        approval_token: approvalId,
      });
      expect(replay.data.status).toBe('approval_refused');
    }
    expect(deletes()).toBe(1);
  }, 90_000);
});

describe.each([
  ['memory', async () => new MemoryKv()],
  ['redis', async () => RedisKv.connect(redisUrl, createLogger('silent'))],
])('KvStore on %s', (_name, open) => {
  it('takes a key once, and forgets it after its time', async () => {
    const kv = await open();
    const key = `t-${Math.random()}`;
    await kv.set(key, 'v', 60_000);
    expect(await kv.get(key)).toBe('v');
    const [x, y] = await Promise.all([kv.take(key), kv.take(key)]);
    expect([x, y].filter(Boolean)).toEqual(['v']);
    await kv.set(`${key}-short`, 'v', 30);
    await new Promise((r) => setTimeout(r, 80));
    expect(await kv.get(`${key}-short`)).toBeUndefined();
    await kv.close();
  });
});
