import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { type ElicitResult, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, call, cleanEnv } from '../integration/helpers.js';

// The real binary over stdio on its embedded sandbox: the workflows in the default listing, one person's approval.

const dir = mkdtempSync(join(tmpdir(), 'pa-mcp-wf-'));
const auditPath = join(dir, 'audit.log');
let client: Client;
let answer: ElicitResult = { action: 'decline' };
const prompts: string[] = [];

beforeAll(async () => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, '--audit-log', auditPath],
    env: cleanEnv(),
    stderr: 'pipe',
  });
  client = new Client({ name: 'wf-binary', version: '1.0.0' }, { capabilities: { elicitation: {} } });
  client.setRequestHandler(ElicitRequestSchema, async (req) => {
    prompts.push(req.params.message);
    return answer;
  });
  await client.connect(transport);
});
afterAll(async () => {
  await client?.close();
});

const BATCH = ['203.0.113.77', 'bad.example.com', 'https://bad.example.com/dl', 'nope nope'];

describe('the real binary: indicators_block', () => {
  it(
    'is listed by default with an output schema, declined sends nothing, accepted blocks, a re-run asks nobody',
    { timeout: 60_000 },
    async () => {
      const { tools } = await client.listTools();
      const block = tools.find((t) => t.name === 'indicators_block')!;
      expect(block.outputSchema).toMatchObject({ type: 'object', required: ['environment'] });
      expect(block.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });

      answer = { action: 'decline' };
      const declined = await call(client, 'indicators_block', { indicators: BATCH, confirm: true });
      expect(declined.data).toMatchObject({ environment: 'sandbox', status: 'declined', executed: false });

      answer = { action: 'accept', content: { approve: true } };
      const done = await call(client, 'indicators_block', {
        indicators: BATCH,
        confirm: true,
        ticket: 'INC-9',
      });
      expect(done.data).toMatchObject({
        environment: 'sandbox',
        status: 'done',
        counts: { done: 3, invalid: 1 },
      });
      expect(prompts).toHaveLength(2);

      const again = await call(client, 'indicators_block', { indicators: BATCH, confirm: true });
      expect(again.data).toMatchObject({ status: 'nothing_to_do', writes: 0 });
      expect(prompts).toHaveLength(2);

      const lines = readFileSync(auditPath, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      const batch = lines.filter((l) => l.key === 'workflow.indicatorsBlock' && l.phase === 'intent');
      expect(batch).toEqual([
        expect.objectContaining({
          approved_by: 'elicitation',
          args: expect.objectContaining({ indicator_count: 3, ticket: 'INC-9' }),
        }),
      ]);
      expect(
        lines.filter((l) => l.key === 'address.create' && l.phase === 'outcome' && l.outcome === 'ok'),
      ).toHaveLength(2);
    },
  );
});
