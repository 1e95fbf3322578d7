import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createAddress, type Harness, startHarness } from './approval-harness.js';
import { APPROVERS_ENV, TOKENS, until } from './approval-inbox-harness.js';
import { resultData } from './result-data.js';

const CHROMIUM = '/usr/bin/chromium';
// The browser is Debian's: installed here when missing (CI starts on a bare machine), never skipped.
function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'ignore', env });
  execFileSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'ignore', env });
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get install chromium did not provide ${CHROMIUM}`);
}

let h: Harness;
let context: BrowserContext;
let profile: string;

beforeAll(async () => {
  ensureChromium();
  profile = mkdtempSync(join(tmpdir(), 'pa-mcp-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // The MCP client is called "alice": with four-eyes on, alice may not approve her own requests.
  h = await startHarness({
    clientName: 'alice',
    inbox: { approversEnv: APPROVERS_ENV, inboxWaitSeconds: 120, fourEyes: true },
  });
}, 600_000);

afterAll(async () => {
  await context?.close();
  await h?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function signIn(page: Page, token: string): Promise<void> {
  await page.goto(h.app.inboxUrl!);
  const out = page.getByRole('button', { name: 'Sign out' });
  if (await out.count()) {
    await out.click();
  }
  await page.getByLabel('Approver token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const pushes = () => h.sandbox.requests.filter((r) => r.path.includes(':push'));
const deletes = () => h.sandbox.requests.filter((r) => r.method === 'DELETE');

describe('the approval inbox in a real browser', () => {
  it('a waiting push is approved by a person who sees the diff; a declined delete sends nothing', async () => {
    // The agent changes a rule, then asks to push: the call waits for a person, with progress.
    const listed = await call(h.client, 'security_rule_list', {
      folder: 'Shared',
      position: 'pre',
      name: 'Block-Threat-Intel',
    });
    const { id: ruleId, folder: _f, ...rule } = listed.data.data[0];
    const updated = await call(h.client, 'security_rule_update', { id: ruleId, ...rule, source: ['any'] });
    expect(updated.res.isError).toBeFalsy();
    const progress: string[] = [];
    const pushing = h.client.callTool(
      { name: 'config_version_push', arguments: { folders: ['Shared'], confirm: true } },
      undefined,
      { onprogress: (p) => void progress.push(p.message ?? ''), timeout: 300_000 },
    ) as Promise<CallToolResult>;
    pushing.catch(() => {}); // awaited below; a failed assertion before that must not leave it unhandled
    await until(
      () => h.app.safety.inbox!.list(),
      (l) => l.some((r) => r.state === 'pending'),
    );
    expect(progress.join('\n')).toContain(h.app.inboxUrl!);

    const page = await context.newPage();
    // A wrong approver credential sees nothing of the request.
    await signIn(page, 'guessed-token-guessed-token');
    await expect.poll(() => page.textContent('body')).toContain('Sign-in failed');
    expect(await page.textContent('body')).not.toContain('config_version_push');

    // Four-eyes: alice asked (as the MCP client), so her approval is refused.
    await signIn(page, TOKENS.alice);
    await page.getByRole('button', { name: 'Approve' }).first().click();
    await expect.poll(() => page.textContent('body')).toContain('four-eyes rule');
    expect(pushes()).toHaveLength(0);

    // Bob signs in, sees who asked, the tenant, the tool and the field diff, and approves.
    await signIn(page, TOKENS.bob);
    const body = (await page.textContent('body'))!;
    expect(body).toContain('Signed in as bob');
    expect(body).toContain('config_version_push');
    expect(body).toContain('alice');
    expect(body).toContain(`TSG ${h.sandbox.tsgId}`);
    expect(body).toContain('updated security rule "Block-Threat-Intel" in Shared');
    expect(body).toContain('! source: [Threat-Intel-IPs] -> [any] (RISK: widened to any)');
    await page.screenshot({ path: join(tmpdir(), 'pa-mcp-inbox.png'), fullPage: true });
    await page.getByRole('button', { name: 'Approve' }).first().click();
    await expect.poll(() => page.textContent('body')).toContain('Approved: config_version_push');

    const pushed = await pushing;
    expect(pushed.isError).toBeFalsy();
    expect((resultData(pushed) as Record<string, any>).result.job_id).toMatch(/^\d+$/);
    expect(pushes()).toHaveLength(1);

    // A second request, declined in the inbox: nothing is sent.
    const id = await createAddress(h.client, 'ioc-keep');
    const deleting = call(h.client, 'address_delete', { id, confirm: true });
    deleting.catch(() => {});
    await until(
      () => h.app.safety.inbox!.list(),
      (l) => l.some((r) => r.state === 'pending' && r.tool === 'address_delete'),
    );
    await page.goto(h.app.inboxUrl!);
    expect(await page.textContent('body')).toContain('Delete address "ioc-keep"');
    await page.getByRole('button', { name: 'Decline' }).first().click();
    await expect.poll(() => page.textContent('body')).toContain('Declined: address_delete');
    const declined = await deleting;
    expect(declined.data).toMatchObject({ status: 'declined', executed: false });
    expect(deletes()).toHaveLength(0);
    expect(h.sandbox.state.find('address', id)).toBeDefined();

    const decisions = h.audit().filter((l) => l.phase === 'decision');
    expect(decisions.map((l) => `${l.tool}:${l.outcome}:${l.decided_by}`)).toEqual([
      'config_version_push:approved:bob',
      'address_delete:declined:bob',
    ]);
  }, 300_000);
});
