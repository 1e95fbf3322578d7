import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { call, createAddress, type Harness, startApp, startHarness } from './approval-harness.js';
import { APPROVERS_ENV, InboxVisitor, startReceiver, TOKENS, until } from './approval-inbox-harness.js';

let h: Harness | undefined;
let stopReceiver: (() => Promise<void>) | undefined;
afterEach(async () => {
  await h?.close();
  await stopReceiver?.();
  h = undefined;
  stopReceiver = undefined;
});

const pushes = (hh: Harness) => hh.sandbox.requests.filter((r) => r.path.includes(':push'));
const deletes = (hh: Harness) => hh.sandbox.requests.filter((r) => r.method === 'DELETE');

describe('the approval inbox (--approvals inbox)', () => {
  it('pending with an id, approval_status, a person approves, the retried call goes on once; the webhook hears of it', async () => {
    const receiver = await startReceiver();
    stopReceiver = () => receiver.close();
    h = await startHarness({
      clientName: 'ioc-bot',
      inbox: { approversEnv: APPROVERS_ENV, inboxWaitSeconds: 0, approvalWebhook: receiver.url },
    });
    const id = await createAddress(h.client, 'ioc-inbox');
    const first = await call(h.client, 'address_delete', { id, confirm: true });
    expect(first.res.isError).toBeFalsy();
    expect(first.data).toMatchObject({
      status: 'approval_pending',
      executed: false,
      approval_id: expect.stringMatching(/^inb_/),
    });
    const approvalId = first.data.approval_id as string;
    expect(first.data.inbox_url).toContain(h.app.inboxUrl);

    const status = await call(h.client, 'approval_status', { id: approvalId });
    expect(status.data).toMatchObject({ state: 'pending', tool: 'address_delete' });
    // Not approved yet: the retry with the id sends nothing.
    const early = await call(h.client, 'address_delete', { id, confirm: true, approval_token: approvalId });
    expect(early.data.status).toBe('approval_pending');
    // The id brought with other arguments is refused and leaves the request as it was.
    const other = await call(h.client, 'address_delete', {
      id: 'another-id',
      confirm: true,
      approval_token: approvalId,
    });
    expect(other.data.error).toMatch(/requested for other arguments/);
    expect((await call(h.client, 'approval_status', { id: approvalId })).data.state).toBe('pending');
    expect(deletes(h)).toHaveLength(0);

    const bodies = await until(
      () => receiver.bodies,
      (b) => b.length > 0,
    );
    expect(bodies[0]).toMatchObject({
      event: 'approval_pending',
      id: approvalId,
      tool: 'address_delete',
      client: 'ioc-bot',
    });
    expect(bodies[0]!.text).toMatch(/Approval needed: ioc-bot asks to run address_delete .*"ioc-inbox"/);

    const bob = new InboxVisitor(h.app.inboxUrl!);
    await bob.signIn(TOKENS.bob);
    const page = await bob.get(`/?id=${approvalId}`);
    expect(page.html).toContain('Delete address &quot;ioc-inbox&quot;');
    expect(page.html).toContain('ioc-bot');
    const decided = await bob.post('/decide', { id: approvalId, decision: 'approve' });
    expect(decided.status).toBe(303);

    expect((await call(h.client, 'approval_status', { id: approvalId })).data).toMatchObject({
      state: 'approved',
      decided_by: 'bob',
    });
    const done = await call(h.client, 'address_delete', { id, confirm: true, approval_token: approvalId });
    expect(done.res.isError).toBeFalsy();
    expect(deletes(h)).toHaveLength(1);
    const again = await call(h.client, 'address_delete', { id, confirm: true, approval_token: approvalId });
    expect(again.data.status).toBe('approval_refused');
    expect(deletes(h)).toHaveLength(1);

    const lines = h.audit();
    expect(lines.find((l) => l.phase === 'decision')).toMatchObject({
      tool: 'address_delete',
      outcome: 'approved',
      decided_by: 'bob',
      approved_by: 'inbox:bob',
      approval_id: approvalId,
      client: 'ioc-bot',
    });
    expect(lines.find((l) => l.phase === 'intent' && l.tool === 'address_delete')).toMatchObject({
      approved_by: 'inbox:bob',
    });
    // Approver tokens never reach the audit log.
    expect(JSON.stringify(lines)).not.toContain(TOKENS.bob);
  });

  it('an approval given before more changes is void: a new request shows them, nothing is pushed', async () => {
    h = await startHarness({ inbox: { approversEnv: APPROVERS_ENV, inboxWaitSeconds: 0 } });
    await createAddress(h.client, 'first-change');
    const first = await call(h.client, 'config_version_push', { folders: ['Shared'], confirm: true });
    const oldId = first.data.approval_id as string;
    const alice = new InboxVisitor(h.app.inboxUrl!);
    await alice.signIn(TOKENS.alice);
    await alice.post('/decide', { id: oldId, decision: 'approve' });
    await createAddress(h.client, 'sneaked-in');
    const retry = await call(h.client, 'config_version_push', {
      folders: ['Shared'],
      confirm: true,
      approval_token: oldId,
    });
    expect(retry.data.status).toBe('approval_pending');
    expect(retry.data.approval_id).not.toBe(oldId);
    expect(retry.data.changes_since_last_push).toContain('created address "sneaked-in" in Shared');
    expect(pushes(h)).toHaveLength(0);
    expect((await call(h.client, 'approval_status', { id: oldId })).data.state).toBe('expired');
    const page = await alice.get(`/?id=${retry.data.approval_id}`);
    expect(page.html).toMatch(/CHANGED while you were being asked/);
    expect(page.html).toContain('created address &quot;sneaked-in&quot; in Shared');
  });

  it('sign-in, CSRF, Origin and Host: a wrong token sees nothing, forged forms are refused, pages are locked down', async () => {
    h = await startHarness({
      clientName: 'alice',
      inbox: { approversEnv: APPROVERS_ENV, inboxWaitSeconds: 0, fourEyes: true },
    });
    const id = await createAddress(h.client, '<img src=x onerror=alert(1)>');
    const pending = await call(h.client, 'address_delete', { id, confirm: true });
    const approvalId = pending.data.approval_id as string;
    const base = h.app.inboxUrl!;

    const stranger = new InboxVisitor(base);
    const first = await stranger.get('/');
    expect(first.headers.get('content-security-policy')).toMatch(
      /default-src 'none'.*form-action 'self'.*frame-ancestors 'none'/,
    );
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    const wrong = await stranger.post('/login', { token: 'not-a-real-token-at-all' });
    expect(wrong.location).toMatch(/failed=1/);
    expect((await stranger.get(wrong.location!)).html).toContain('Sign-in failed');
    const after = await stranger.get(`/?id=${approvalId}`);
    expect(after.html).toContain('Sign in with your approver token');
    expect(after.html).not.toContain(approvalId);
    expect((await stranger.post('/decide', { id: approvalId, decision: 'approve' })).status).toBe(403);

    const bob = new InboxVisitor(base);
    await bob.signIn(TOKENS.bob);
    // Tenant text is escaped, never markup.
    const page = await bob.get('/');
    expect(page.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.html).not.toContain('<img src=x');
    // Another site's form: wrong Origin; a missing CSRF token; a rebinding Host.
    expect(
      (await bob.post('/decide', { id: approvalId, decision: 'approve' }, { origin: 'http://evil.example' }))
        .status,
    ).toBe(403);
    const noCsrf = new InboxVisitor(base);
    noCsrf.cookie = bob.cookie;
    expect((await noCsrf.post('/decide', { id: approvalId, decision: 'approve' })).status).toBe(403);
    const rebinding = await new Promise<number>((resolve, reject) =>
      request(base, { headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end(),
    );
    expect(rebinding).toBe(421);
    expect((await call(h.client, 'approval_status', { id: approvalId })).data.state).toBe('pending');

    // Four-eyes: alice asked (as the MCP client), so alice cannot approve; bob can.
    const alice = new InboxVisitor(base);
    await alice.signIn(TOKENS.alice);
    const self = await alice.post('/decide', { id: approvalId, decision: 'approve' });
    expect(self.status).toBe(403);
    expect(self.html).toMatch(/four-eyes rule/);
    expect((await call(h.client, 'approval_status', { id: approvalId })).data.state).toBe('pending');
    expect((await bob.post('/decide', { id: approvalId, decision: 'decline' })).status).toBe(303);
    const declined = await call(h.client, 'address_delete', {
      id,
      confirm: true,
      approval_token: approvalId,
    });
    expect(declined.data).toMatchObject({ status: 'declined' });
    expect(declined.data.error).toMatch(/the approver bob declined/);
    expect(deletes(h)).toHaveLength(0);
    expect(h.audit().find((l) => l.phase === 'decision')).toMatchObject({
      outcome: 'declined',
      decided_by: 'bob',
      approved_by: null,
    });
  });
});

describe('URL-mode elicitation with the inbox', () => {
  it('points the person at the inbox entry; opening the link is not an approval', async () => {
    const { app, sandbox } = await startApp({ inbox: { approversEnv: APPROVERS_ENV, inboxWaitSeconds: 0 } });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await app.server.connect(serverSide);
    const client = new Client(
      { name: 'url-client', version: '1' },
      { capabilities: { elicitation: { url: {} } } },
    );
    const asked: Record<string, any>[] = [];
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      asked.push(req.params);
      return { action: 'accept' };
    });
    await client.connect(clientSide);
    try {
      const res = await call(client, 'config_version_push', { folders: ['Shared'], confirm: true });
      expect(res.data.status).toBe('approval_pending');
      await until(
        () => asked,
        (a) => a.length > 0,
      );
      expect(asked[0]).toMatchObject({ mode: 'url', elicitationId: res.data.approval_id });
      expect(asked[0]!.url).toBe(res.data.inbox_url);
      expect((await call(client, 'approval_status', { id: res.data.approval_id })).data.state).toBe(
        'pending',
      );
      expect(sandbox.requests.filter((r) => r.path.includes(':push'))).toHaveLength(0);
    } finally {
      await client.close();
      await app.close();
      await sandbox.close();
    }
  });
});

describe('guessing approver tokens', () => {
  it('after 20 failed sign-ins, sign-in waits (429) even for a right token', async () => {
    h = await startHarness({ inbox: { approversEnv: APPROVERS_ENV, inboxWaitSeconds: 0 } });
    const guesser = new InboxVisitor(h.app.inboxUrl!);
    await guesser.get('/');
    for (let i = 0; i < 20; i++)
      expect((await guesser.post('/login', { token: `guess-${i}` })).location).toMatch(/failed=1/);
    const bob = new InboxVisitor(h.app.inboxUrl!);
    await bob.get('/');
    expect((await bob.post('/login', { token: TOKENS.bob })).status).toBe(429);
  });
});
