import { afterEach, describe, expect, it } from 'vitest';
import { call, decline, type Harness, startHarness } from '../integration/approval-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const writes = (hh: Harness) =>
  hh.sandbox.requests.filter((r) => r.method !== 'GET' && !r.path.includes('oauth2'));

// Every workflow meets the approval the same way: a person's "no" sends nothing and is in the audit log.
describe.each([
  ['indicators_block', 'workflow.indicatorsBlock', { indicators: ['203.0.113.77'] }],
  ['host_isolate', 'workflow.hostIsolate', { host: 'partner-acme' }],
])('%s declined by the person', (tool, key, args) => {
  it('sends nothing and audits the refusal', { timeout: 60_000 }, async () => {
    h = await startHarness({ elicit: decline });
    const before = writes(h).length;
    const r = await call(h.client, tool, { ...args, confirm: true });
    expect(r.data).toMatchObject({ executed: false });
    expect(writes(h)).toHaveLength(before);
    expect(h.audit().filter((l) => l.key === key)).toEqual([
      expect.objectContaining({ phase: 'outcome', outcome: 'refused' }),
    ]);
  });
});
