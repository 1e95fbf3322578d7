import { afterEach, describe, expect, it } from 'vitest';
import {
  accept,
  call,
  createAddress,
  decline,
  type Elicit,
  type Harness,
  startHarness,
} from './approval-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const deletes = (hh: Harness) => hh.sandbox.requests.filter((r) => r.method === 'DELETE');

describe('approval through elicitation (a client that can ask the person)', () => {
  it('an unconfirmed call is only a preview: nobody is asked, nothing is sent', async () => {
    h = await startHarness({ elicit: accept });
    const id = await createAddress(h.client, 'ioc-preview');
    const { res, data } = await call(h.client, 'address_delete', { id });
    expect(res.isError).toBeFalsy();
    expect(data).toMatchObject({ status: 'confirmation_required', executed: false });
    expect(data.objects).toEqual([expect.objectContaining({ name: 'ioc-preview', folder: 'Shared' })]);
    expect(h.prompts).toHaveLength(0);
    expect(deletes(h)).toHaveLength(0);
  });

  it('declined: nothing changes in the sandbox, the result says so, the audit log has no intent', async () => {
    h = await startHarness({ elicit: decline });
    const id = await createAddress(h.client, 'ioc-declined');
    const { res, data } = await call(h.client, 'address_delete', { id, confirm: true });
    expect(res.isError).toBe(true);
    expect(data).toMatchObject({ status: 'declined', executed: false });
    expect(data.error).toMatch(/Nothing was sent: the user declined/);
    // The person saw the object by name, the folder and the tool.
    expect(h.prompts).toHaveLength(1);
    const prompt = h.prompts[0]!;
    expect(prompt.message).toContain('Delete address "ioc-declined"');
    expect(prompt.message).toContain('in folder Shared');
    expect(prompt.message).toContain('Tool: address_delete');
    expect((prompt as { requestedSchema: any }).requestedSchema.properties.approve.type).toBe('boolean');
    expect(h.sandbox.state.find('address', id)).toBeDefined();
    expect(deletes(h)).toHaveLength(0);

    const lines = h.audit().filter((l) => l.tool === 'address_delete');
    expect(lines).toEqual([
      expect.objectContaining({ phase: 'outcome', outcome: 'refused', error: 'refused: the user declined' }),
    ]);
  });

  it.each<[string, Elicit, string]>([
    ['cancel', async () => ({ action: 'cancel' }), 'cancelled'],
    ['accept without approve', async () => ({ action: 'accept', content: { approve: false } }), 'declined'],
    [
      'a failing prompt',
      async () => {
        throw new Error('the client broke');
      },
      'approval_failed',
    ],
  ])('%s: refused, nothing sent', async (_, answer, status) => {
    h = await startHarness({ elicit: answer });
    const id = await createAddress(h.client, `ioc-${status}`);
    const { res, data } = await call(h.client, 'address_delete', { id, confirm: true });
    expect(res.isError).toBe(true);
    expect(data).toMatchObject({ status, executed: false });
    expect(h.sandbox.state.find('address', id)).toBeDefined();
    expect(deletes(h)).toHaveLength(0);
  });

  it('accepted: the delete goes through, audited as approved by elicitation, intent before outcome', async () => {
    h = await startHarness({ elicit: accept, clientName: 'claude-code' });
    const id = await createAddress(h.client, 'ioc-accepted');
    const { res, data } = await call(h.client, 'address_delete', { id, confirm: true });
    expect(res.isError).toBeFalsy();
    expect(data).toMatchObject({ operation: 'address.delete', status: 200 });
    expect(h.sandbox.state.find('address', id)).toBeUndefined();
    expect(deletes(h)).toHaveLength(1);

    const lines = h.audit().filter((l) => l.tool === 'address_delete');
    expect(lines.map((l) => l.phase)).toEqual(['intent', 'outcome']);
    expect(lines[0]!.call_id).toBe(lines[1]!.call_id);
    expect(lines[1]).toMatchObject({
      client: 'claude-code',
      tsg: h.sandbox.tsgId,
      key: 'address.delete',
      folder: 'Shared',
      args: { id },
      approval_mode: 'auto',
      approved_by: 'elicitation',
      outcome: 'ok',
      status: 200,
      request_id: expect.any(String),
    });
    expect(Date.parse(lines[0]!.time)).toBeLessThanOrEqual(Date.parse(lines[1]!.time));
  });

  it('a push prompt names the folders and the changes made through this server since the last push', async () => {
    h = await startHarness({ elicit: decline });
    await createAddress(h.client, 'ioc-pending-1');
    await call(h.client, 'tag_create', { folder: 'Shared', name: 'ioc-tag' });
    await call(h.client, 'config_version_push', { folders: ['Shared', 'Mobile Users'], confirm: true });
    const message = h.prompts[0]!.message;
    expect(message).toContain('folders Shared, Mobile Users');
    expect(message).toContain('Changes made through this server since the last push (2)');
    expect(message).toContain('- created address "ioc-pending-1" in Shared');
    expect(message).toContain('- created tag "ioc-tag" in Shared');
    expect(h.sandbox.requests.some((r) => r.path.endsWith('candidate:push'))).toBe(false);
  });

  it('the token flow is not used with an eliciting client: confirm asks the person, a stray token does not help', async () => {
    h = await startHarness({ elicit: decline });
    const id = await createAddress(h.client, 'ioc-stray');
    const { data } = await call(h.client, 'address_delete', {
      id,
      confirm: true,
      approval_token: 'apv_made_up',
    });
    expect(data.status).toBe('declined');
    expect(h.sandbox.state.find('address', id)).toBeDefined();
  });
});
