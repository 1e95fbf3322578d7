import { afterEach, describe, expect, it } from 'vitest';
import { call, type Harness, startHarness } from '../integration/approval-harness.js';
import { APPROVERS_ENV, InboxVisitor, TOKENS } from '../integration/approval-inbox-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const writes = (hh: Harness) =>
  hh.sandbox.requests.filter((r) => r.method !== 'GET' && !r.path.includes('oauth2'));
const BLOCK = { indicators: ['203.0.113.77', 'bad.example.org'], reason: 'campaign Y', confirm: true };

describe('workflows through the approval inbox (no elicitation)', () => {
  it(
    'indicators_block is pending, a person approves in the inbox, the retried call runs the batch once',
    { timeout: 60_000 },
    async () => {
      h = await startHarness({ inbox: { approversEnv: APPROVERS_ENV, inboxWaitSeconds: 0 } });
      const first = await call(h.client, 'indicators_block', BLOCK);
      expect(first.data).toMatchObject({
        status: 'approval_pending',
        executed: false,
        approval_id: expect.stringMatching(/^inb_/),
      });
      const id = first.data.approval_id as string;
      // The person sees what the workflow would change before anything is sent.
      expect(first.data.changes.addresses_to_create.count).toBe(2);
      expect(writes(h)).toHaveLength(0);
      const early = await call(h.client, 'indicators_block', { ...BLOCK, approval_token: id });
      expect(early.data.status).toBe('approval_pending');
      expect(writes(h)).toHaveLength(0);

      const bob = new InboxVisitor(h.app.inboxUrl!);
      await bob.signIn(TOKENS.bob);
      const page = await bob.get(`/?id=${id}`);
      expect(page.html).toContain('indicators_block');
      // The approver reads the workflow's own account of the batch, not only the synthetic request.
      expect(page.html).toMatch(/Address objects to create: 2/);
      // In the page's own text, not only inside the collapsed JSON preview.
      expect(page.html.indexOf('Address objects to create: 2')).toBeLessThan(page.html.indexOf('<details>'));
      expect(page.html).toMatch(/Deny rule mcp-block-outbound: create at the top of pre/);
      expect((await bob.post('/decide', { id, decision: 'approve' })).status).toBe(303);

      const done = await call(h.client, 'indicators_block', { ...BLOCK, approval_token: id });
      expect(done.res.isError, JSON.stringify(done.data)).toBeFalsy();
      expect(done.data).toMatchObject({ status: 'done', executed: true, approved_by: 'inbox:bob' });
      const sent = writes(h).length;
      expect(sent).toBeGreaterThan(0);
      expect(
        h.sandbox.state.objects('address').filter((o) => o.data.name === 'ioc-ip-203.0.113.77'),
      ).toHaveLength(1);
      // The approval is spent: the same id again runs nothing.
      const again = await call(h.client, 'indicators_block', { ...BLOCK, approval_token: id });
      expect(again.data.executed).not.toBe(true);
      expect(writes(h)).toHaveLength(sent);
    },
  );

  it('a declined block sends nothing', { timeout: 60_000 }, async () => {
    h = await startHarness({ inbox: { approversEnv: APPROVERS_ENV, inboxWaitSeconds: 0 } });
    const first = await call(h.client, 'indicators_block', BLOCK);
    const id = first.data.approval_id as string;
    expect(id).toMatch(/^inb_/);
    const alice = new InboxVisitor(h.app.inboxUrl!);
    await alice.signIn(TOKENS.alice);
    expect((await alice.post('/decide', { id, decision: 'decline' })).status).toBe(303);
    const declined = await call(h.client, 'indicators_block', { ...BLOCK, approval_token: id });
    expect(declined.data).toMatchObject({ status: 'declined', executed: false });
    expect(writes(h)).toHaveLength(0);
  });

  it(
    '--approval auto with neither elicitation nor inbox refuses, says what the operator can do, sends nothing',
    { timeout: 60_000 },
    async () => {
      h = await startHarness();
      const { res, data } = await call(h.client, 'indicators_block', BLOCK);
      expect(data).toMatchObject({ status: 'approval_unavailable', executed: false });
      expect(res.isError).toBe(true);
      expect(JSON.stringify(data)).toMatch(/--approval|--approvals inbox/);
      expect(writes(h)).toHaveLength(0);
    },
  );
});
