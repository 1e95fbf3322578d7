import { afterEach, describe, expect, it } from 'vitest';
import { call, type Harness, startHarness } from '../integration/approval-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

// Workflow and policy tools check their arguments as every other tool does (checkArguments, then zod): a field
// no valid value can hold is named, and nothing is sent.
describe.each([
  ['indicators_block', { indicators: ['203.0.113.90', 'bad\uD800.example'] }, 'indicators.1'],
  ['host_isolate', { host: 'x\uDC00' }, 'host'],
  ['policy_match', { source: '10.1.2.3', destination: '8.8.8.8', constructor: {} }, 'constructor'],
])('%s with a malformed argument', (tool, args, field) => {
  it('names the field, sends nothing', { timeout: 60_000 }, async () => {
    h = await startHarness({});
    const sent = () => h!.sandbox.requests.filter((r) => r.method !== 'GET').length;
    const before = sent();
    const r = await call(h.client, tool, args);
    expect(r.res.isError).toBe(true);
    expect(r.data.error.code).toBe('INVALID_ARGUMENTS');
    expect(r.data.error.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(sent()).toBe(before);
  });
});
