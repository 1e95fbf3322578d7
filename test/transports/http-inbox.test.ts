import { request } from 'node:http';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVERS_ENV, InboxVisitor, TOKENS } from '../integration/approval-inbox-harness.js';
import { connectClient, type HttpServer, startHttpServer } from './http-harness.js';
import { resultData } from '../integration/result-data.js';

let s: HttpServer;

beforeAll(async () => {
  s = await startHttpServer(['--approvals', 'inbox', '--inbox-wait', '0', '--four-eyes'], {
    env: { PRISMA_MCP_APPROVERS: APPROVERS_ENV },
  });
}, 60_000);
afterAll(async () => {
  await s?.close();
});

async function call(name: string, args: Record<string, unknown>) {
  const { client } = await connectClient(s, { name: 'alice' });
  try {
    const res = (await client.callTool({ name, arguments: args })) as CallToolResult;
    return { res, data: resultData(res) as Record<string, any> };
  } finally {
    await client.close();
  }
}

const status = (url: string, headers: Record<string, string>) =>
  new Promise<number>((resolve, reject) =>
    request(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end(),
  );

describe('the approval inbox on the HTTP server (--http --approvals inbox)', () => {
  it('is served at /approvals: the link in the pending result opens there, a person approves, the retry runs once', async () => {
    const inboxUrl = `${s.url}/approvals`;
    expect(s.stderr()).toContain(`approval inbox on ${inboxUrl}`);
    const created = await call('address_create', {
      folder: 'Shared',
      name: 'http-inbox-ioc',
      ip_netmask: '198.51.100.61/32',
    });
    const id = created.data.result.id as string;
    const pending = await call('address_delete', { id, confirm: true });
    expect(pending.data.status).toBe('approval_pending');
    const approvalId = pending.data.approval_id as string;
    expect(pending.data.inbox_url).toBe(`${inboxUrl}/?id=${approvalId}#${approvalId}`);

    // The link itself: a sign-in page on the HTTP server, its cookie scoped to /approvals.
    const stranger = new InboxVisitor(inboxUrl);
    const first = await stranger.get(`/?id=${approvalId}`);
    expect(first.status).toBe(200);
    expect(first.html).toContain('Sign in with your approver token');
    expect(first.html).not.toContain(approvalId);
    expect(first.headers.get('set-cookie')).toMatch(/Path=\/approvals;/);
    expect((await stranger.post('/decide', { id: approvalId, decision: 'approve' })).status).toBe(403);

    const bob = new InboxVisitor(inboxUrl);
    await bob.signIn(TOKENS.bob);
    const page = await bob.get(`/?id=${approvalId}`);
    expect(page.html).toContain('Delete address &quot;http-inbox-ioc&quot;');
    // Forms from another site, and a rebinding Host (refused by the HTTP server before the inbox sees it).
    const forged = await bob.post(
      '/decide',
      { id: approvalId, decision: 'approve' },
      { origin: 'http://evil.example' },
    );
    expect(forged.status).toBe(403);
    const loopbackOtherPort = await bob.post(
      '/decide',
      { id: approvalId, decision: 'approve' },
      { origin: 'http://127.0.0.1:1' },
    );
    expect(loopbackOtherPort.status).toBe(403);
    expect(await status(`${inboxUrl}/`, { host: 'evil.example' })).toBe(403);
    expect((await call('approval_status', { id: approvalId })).data.state).toBe('pending');

    // Four-eyes: alice asked, alice cannot approve.
    const alice = new InboxVisitor(inboxUrl);
    await alice.signIn(TOKENS.alice);
    expect((await alice.post('/decide', { id: approvalId, decision: 'approve' })).status).toBe(403);

    const decided = await bob.post('/decide', { id: approvalId, decision: 'approve' });
    expect(decided.status).toBe(303);
    expect(decided.location).toMatch(/^\/approvals\/\?id=/);
    const deletes = () => s.sandbox.requests.filter((r) => r.method === 'DELETE').length;
    expect(deletes()).toBe(0);
    const done = await call('address_delete', { id, confirm: true, approval_token: approvalId });
    expect(done.res.isError).toBeFalsy();
    expect(deletes()).toBe(1);
    const replay = await call('address_delete', { id, confirm: true, approval_token: approvalId });
    expect(replay.data.status).toBe('approval_refused');
    expect(deletes()).toBe(1);
  }, 60_000);

  it('keeps /mcp as it was: the inbox path needs no client auth, other paths are not the inbox', async () => {
    expect(await status(`${s.url}/approvalsX`, {})).toBe(404);
    expect(await status(`${s.url}/healthz`, {})).toBe(200);
  });
});

describe('behind a proxy (--public-url)', () => {
  let p: HttpServer | undefined;
  afterAll(async () => {
    await p?.close();
  });

  it('links point at the public origin, and the page answers to that Host with Secure cookies', async () => {
    p = await startHttpServer(
      ['--approvals', 'inbox', '--inbox-wait', '0', '--public-url', 'https://mcp.example.test/mcp'],
      { env: { PRISMA_MCP_APPROVERS: APPROVERS_ENV } },
    );
    const { client } = await connectClient(p);
    try {
      const res = (await client.callTool({
        name: 'config_version_push',
        arguments: { folders: ['Shared'], confirm: true },
      })) as CallToolResult;
      const data = resultData(res) as Record<string, any>;
      expect(data.status).toBe('approval_pending');
      expect(data.inbox_url).toBe(
        `https://mcp.example.test/approvals/?id=${data.approval_id}#${data.approval_id}`,
      );
    } finally {
      await client.close();
    }
    const cookie = await new Promise<string>((resolve, reject) =>
      request(`${p!.url}/approvals/`, { headers: { host: 'mcp.example.test' } }, (res) => {
        res.resume();
        resolve(`${res.statusCode} ${res.headers['set-cookie']?.[0] ?? ''}`);
      })
        .on('error', reject)
        .end(),
    );
    expect(cookie).toMatch(/^200 pa_inbox=.*; Secure$/);
  }, 60_000);
});
