import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../integration/approval-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('workflow prompts', () => {
  it('lists the four prompts; each leads to the workflow tool and the approval step', async () => {
    h = await startHarness();
    const { prompts } = await h.client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual([
      'block-indicators',
      'explain-pending-changes',
      'investigate-host',
      'review-policy',
    ]);
    const block = await h.client.getPrompt({
      name: 'block-indicators',
      arguments: { folder: 'Mobile Users', indicators: '203.0.113.7 evil.example' },
    });
    const text = (block.messages[0]!.content as { text: string }).text;
    expect(text).toContain('folder Mobile Users: 203.0.113.7 evil.example');
    expect(text).toMatch(/indicators_block.*sends nothing/);
    expect(text).toMatch(/confirm: true.*approves the whole batch once/);
    const host = await h.client.getPrompt({ name: 'investigate-host', arguments: { host: '10.1.2.3' } });
    expect((host.messages[0]!.content as { text: string }).text).toMatch(/host_isolate .*dry_run: true/);
  });

  it('completes folder names from the tenant', async () => {
    h = await startHarness();
    const r = await h.client.complete({
      ref: { type: 'ref/prompt', name: 'block-indicators' },
      argument: { name: 'folder', value: 'mob' },
    });
    expect(r.completion.values).toEqual(expect.arrayContaining(['Mobile Users', 'Mobile Users Container']));
    expect(r.completion.values.every((v) => v.toLowerCase().includes('mob'))).toBe(true);
  });
});
