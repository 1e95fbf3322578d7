import { afterEach, describe, expect, it } from 'vitest';
import { accept, call, type Harness, startHarness } from '../integration/approval-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function breakTheCandidate(hh: Harness) {
  const { res, data } = await call(hh.client, 'security_rule_create', {
    folder: 'Shared',
    position: 'pre',
    name: 'broken-rule',
    action: 'allow',
    from: ['any'],
    to: ['any'],
    source: ['ghost-host'],
    destination: ['any'],
    application: ['any'],
    service: ['any'],
    tag: ['no-such-tag'],
  });
  expect(res.isError, JSON.stringify(data)).toBeFalsy();
}

describe('config_check and the push preview', () => {
  it(
    'names each reference that would fail the push; the push preview says so before anyone approves',
    { timeout: 60_000 },
    async () => {
      h = await startHarness({ elicit: accept });
      const clean = await call(h.client, 'config_check', { folders: ['Shared'] });
      expect(clean.data).toMatchObject({ environment: 'scm', status: 'ok', counts: { errors: 0 } });

      await breakTheCandidate(h);
      const { data } = await call(h.client, 'config_check', { folders: ['Shared'] });
      expect(data).toMatchObject({ status: 'problems', summary: '2 problem(s) would make this push fail' });
      expect(data.problems.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            object: 'security rule "broken-rule" (pre)',
            field: 'source',
            message: expect.stringMatching(/ghost-host/),
          }),
          expect.objectContaining({
            object: 'security rule "broken-rule" (pre)',
            field: 'tag',
            message: 'tag "no-such-tag" does not exist',
          }),
        ]),
      );
      expect(data.not_checked).toMatch(/zones/);

      const preview = await call(h.client, 'config_version_push', { folders: ['Shared'] });
      expect(preview.data.config_check.summary).toBe('2 problem(s) would make this push fail');
      const pushes = () => h!.sandbox.requests.filter((r) => r.path.endsWith('candidate:push'));
      expect(pushes()).toHaveLength(0);
      await call(h.client, 'config_version_push', { folders: ['Shared'], confirm: true });
      expect(h.prompts[0]!.message).toMatch(/Config check: 2 problem\(s\) would make this push fail/);
      expect(h.prompts[0]!.message).toMatch(/broken-rule.*tag "no-such-tag" does not exist/);
    },
  );

  it('an unknown folder names the known ones', async () => {
    h = await startHarness();
    const { res, data } = await call(h.client, 'config_check', { folders: ['Nope'] });
    expect(res.isError).toBe(true);
    expect(data.error.fields[0].message).toMatch(/known: Shared/);
  });
});
