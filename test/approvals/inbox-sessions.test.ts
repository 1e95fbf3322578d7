import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApprovers } from '../../src/approvals/approvers.js';
import { ApprovalInbox } from '../../src/approvals/inbox.js';
import { createInboxHandler } from '../../src/approvals/inbox-http.js';
import { MemoryApprovalStore } from '../../src/approvals/memory-store.js';
import { MemoryKv } from '../../src/store/kv-store.js';
import { APPROVERS_ENV, InboxVisitor, TOKENS } from '../integration/approval-inbox-harness.js';

// Two inbox pages (two replicas) over one shared store: a sign-in made on one holds on the other.
class CountingKv extends MemoryKv {
  writes = 0;
  override async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.writes++;
    return super.set(key, value, ttlMs);
  }
}

const store = new CountingKv();
const servers: Server[] = [];
let one: string;
let two: string;

beforeAll(async () => {
  const inbox = new ApprovalInbox({ store: new MemoryApprovalStore(), baseUrl: () => one });
  const approvers = parseApprovers(APPROVERS_ENV.split(',').join('\n'), 'test');
  const serve = async () => {
    const s = createServer(createInboxHandler({ inbox, approvers, basePath: '/approvals', store }));
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}/approvals`;
  };
  [one, two] = [await serve(), await serve()];
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const signedIn = (html: string) => html.includes('Sign out') || html.includes('/logout');

describe('inbox sign-ins shared through the store', () => {
  it('keeps nothing for visitors who have not signed in', async () => {
    const before = store.writes;
    for (let i = 0; i < 20; i++) await new InboxVisitor(one).get('/');
    expect(store.writes).toBe(before);
  });

  it('a person signed in on one replica is signed in on the other, and signing out there ends it everywhere', async () => {
    const bob = new InboxVisitor(one);
    await bob.signIn(TOKENS.bob);
    expect(signedIn((await bob.get('/')).html)).toBe(true);

    const bobOnTwo = new InboxVisitor(two);
    bobOnTwo.cookie = bob.cookie;
    const page = await bobOnTwo.get('/');
    expect(signedIn(page.html)).toBe(true);
    expect(page.html).toContain('bob');

    expect((await bobOnTwo.post('/logout', {})).status).toBe(303);
    const after = await bob.get('/');
    expect(signedIn(after.html)).toBe(false);
    expect(after.html).toContain('name="token"');
  });

  it('refuses a sign-in form whose CSRF token is not the one its cookie carries', async () => {
    const eve = new InboxVisitor(one);
    await eve.get('/');
    eve.csrf = 'not-the-cookie-token';
    const r = await eve.post('/login', { token: TOKENS.alice });
    expect(r.status).toBe(403);
  });
});
