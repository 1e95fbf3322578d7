import { afterEach, describe, expect, it } from 'vitest';
import { call, createAddress, type Harness, startHarness } from './approval-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const deletes = (hh: Harness) => hh.sandbox.requests.filter((r) => r.method === 'DELETE');

describe('--approval confirm-token: a preview token the model brings back (a client that cannot ask the person)', () => {
  it('preview -> token -> confirmed call; confirm alone is not consent; a reused token is refused', async () => {
    h = await startHarness({ approval: 'confirm-token' });
    const id = await createAddress(h.client, 'ioc-token');

    const preview = await call(h.client, 'address_delete', { id });
    expect(preview.res.isError).toBeFalsy();
    expect(preview.data).toMatchObject({
      status: 'confirmation_required',
      executed: false,
      would: expect.stringContaining('Delete address "ioc-token"'),
      approval_token: expect.stringMatching(/^apv_/),
      expires_at: expect.any(String),
    });
    const expiresIn = Date.parse(preview.data.expires_at) - Date.now();
    expect(expiresIn).toBeGreaterThan(4 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(5 * 60_000);

    // confirm: true without the token is the model's word only.
    const bare = await call(h.client, 'address_delete', { id, confirm: true });
    expect(bare.data).toMatchObject({ status: 'confirmation_required', executed: false });
    expect(bare.data.note).toMatch(/confirm: true alone is not enough/);
    expect(deletes(h)).toHaveLength(0);

    const token = preview.data.approval_token as string;
    const sentBefore = h.sandbox.requests.length;
    const done = await call(h.client, 'address_delete', { id, confirm: true, approval_token: token });
    expect(done.res.isError).toBeFalsy();
    // A redeemed token needs no preview lookup: one GET records the object for the change journal, then the DELETE.
    expect(
      h.sandbox.requests
        .slice(sentBefore)
        .filter((r) => r.path.startsWith('/sse/'))
        .map((r) => r.method),
    ).toEqual(['GET', 'DELETE']);
    expect(done.data.status).toBe(200);
    expect(h.sandbox.state.find('address', id)).toBeUndefined();

    const again = await call(h.client, 'address_delete', { id, confirm: true, approval_token: token });
    expect(again.res.isError).toBe(true);
    expect(again.data).toMatchObject({ status: 'approval_refused', executed: false });
    expect(again.data.error).toMatch(/unknown or was already used/);
    expect(deletes(h)).toHaveLength(1);

    const lines = h.audit().filter((l) => l.tool === 'address_delete');
    expect(lines.map((l) => `${l.phase}:${l.outcome ?? ''}:${l.approved_by ?? ''}`)).toEqual([
      'outcome:preview:',
      'outcome:preview:',
      'intent::model-token',
      'outcome:ok:model-token',
      'outcome:refused:',
    ]);
    // The token is a secret of sorts: never in the log.
    expect(JSON.stringify(lines)).not.toContain(token);
  });

  it('a token for other arguments, or another tool, is refused and nothing is sent', async () => {
    h = await startHarness({ approval: 'confirm-token' });
    const a = await createAddress(h.client, 'ioc-a');
    const b = await createAddress(h.client, 'ioc-b');
    const preview = await call(h.client, 'address_delete', { id: a });
    const changed = await call(h.client, 'address_delete', {
      id: b,
      confirm: true,
      approval_token: preview.data.approval_token,
    });
    expect(changed.res.isError).toBe(true);
    expect(changed.data.error).toMatch(/arguments differ/);

    const tagPreview = await call(h.client, 'tag_delete', { id: 'whatever' });
    const otherTool = await call(h.client, 'address_delete', {
      id: a,
      confirm: true,
      approval_token: tagPreview.data.approval_token,
    });
    expect(otherTool.data.error).toMatch(/another tool/);
    expect(deletes(h)).toHaveLength(0);
    expect(h.sandbox.state.find('address', a)).toBeDefined();
    expect(h.sandbox.state.find('address', b)).toBeDefined();

    // Only a matching call spends a token: the mismatched ones above left it valid for the right call.
    const right = await call(h.client, 'address_delete', {
      id: a,
      confirm: true,
      approval_token: preview.data.approval_token,
    });
    expect(right.res.isError).toBeFalsy();
    expect(h.sandbox.state.find('address', a)).toBeUndefined();
    expect(h.sandbox.state.find('address', b)).toBeDefined();
  });

  it('a token redeemed after more changes does not push: the new preview shows them, with a new token', async () => {
    h = await startHarness({ approval: 'confirm-token' });
    await createAddress(h.client, 'listed-change');
    const preview = await call(h.client, 'config_version_push', { folders: ['Shared'] });
    expect(preview.data.changes_since_last_push).toEqual(['created address "listed-change" in Shared']);
    // After the preview the model makes two more changes, then brings the token back.
    await createAddress(h.client, 'late-1');
    await createAddress(h.client, 'late-2');
    const pushed = await call(h.client, 'config_version_push', {
      folders: ['Shared'],
      confirm: true,
      approval_token: preview.data.approval_token,
    });
    expect(pushed.res.isError).toBe(true);
    expect(pushed.data).toMatchObject({ status: 'approval_refused', executed: false });
    expect(pushed.data.error).toMatch(/pending changes .* differ from the previewed ones/);
    expect(pushed.data.changes_since_last_push).toEqual([
      'created address "listed-change" in Shared',
      'created address "late-1" in Shared',
      'created address "late-2" in Shared',
    ]);
    expect(pushed.data.approval_token).not.toBe(preview.data.approval_token);
    expect(h.sandbox.requests.filter((r) => r.path.includes(':push'))).toHaveLength(0);
  });

  it('a push with a token: folders in the preview, the change journal, then pushed', async () => {
    h = await startHarness({ approval: 'confirm-token' });
    await createAddress(h.client, 'ioc-to-push');
    const preview = await call(h.client, 'config_version_push', {
      folders: ['Shared'],
      description: 'block IOC',
    });
    expect(preview.data.folders).toEqual(['Shared']);
    expect(preview.data.changes_since_last_push).toEqual(['created address "ioc-to-push" in Shared']);
    const pushed = await call(h.client, 'config_version_push', {
      folders: ['Shared'],
      description: 'block IOC',
      confirm: true,
      approval_token: preview.data.approval_token,
    });
    expect(pushed.res.isError).toBeFalsy();
    expect(pushed.data.result.job_id).toMatch(/^\d+$/);
    // The push was only accepted: its changes stay listed until its job is known to have ended FIN/OK.
    const next = await call(h.client, 'config_version_push', { folders: ['Shared'] });
    expect(next.data.changes_since_last_push).toEqual(['created address "ioc-to-push" in Shared']);
  });
});
