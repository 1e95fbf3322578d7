import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { SUMMARY_MAX_CHARS } from '../../src/tools/result-summary.js';

// What a client receives per result, over a real MCP session: the data once. The SDK client also checks every
// structuredContent against the tool's outputSchema.

const dir = mkdtempSync(join(tmpdir(), 'pa-mcp-lean-'));
const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');

async function session(extra: string[]) {
  const app: App = await createApp(
    loadConfig(
      ['--sandbox', '--toolsets', 'all', '--audit-log', join(dir, `${extra.length}.jsonl`), ...extra],
      {},
    ),
    createLogger('silent'),
  );
  const [s, c] = InMemoryTransport.createLinkedPair();
  await app.server.connect(s);
  const client = new Client({ name: 'lean-test', version: '1.0.0' });
  await client.connect(c);
  const { tools } = await client.listTools();
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;
  return { app, client, tools, call };
}

/** Strings below the top level of a result, long enough to be telling. */
function nestedStrings(v: unknown, depth = 0): string[] {
  if (typeof v === 'string') return depth > 1 && v.length >= 12 ? [v] : [];
  if (v && typeof v === 'object') return Object.values(v).flatMap((x) => nestedStrings(x, depth + 1));
  return [];
}

let lean: Awaited<ReturnType<typeof session>>;
let text: Awaited<ReturnType<typeof session>>;

beforeAll(async () => {
  lean = await session([]);
  text = await session(['--text-results']);
}, 60_000);

afterAll(async () => {
  for (const s of [lean, text]) {
    await s?.client.close();
    await s?.app.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('default: structured tools in structuredContent, the rest as JSON text, never both', () => {
  it('a generated list: the JSON text alone', async () => {
    const res = await lean.call('address_list', { folder: 'Shared', limit: 50 });
    expect(res.structuredContent).toBeUndefined();
    const data = JSON.parse(textOf(res));
    expect(data).toMatchObject({ operation: 'address.list', limit: 50, offset: 0 });
    expect(data.data.length).toBeGreaterThan(5);
  });

  it.each([
    ['policy_analyze', { folder: 'Shared' }],
    [
      'policy_match',
      { folder: 'Shared', source: '10.0.0.1', destination: '8.8.8.8', application: 'web-browsing' },
    ],
    ['indicators_block', { indicators: ['198.51.100.7', 'bad.example.com'], folder: 'Shared' }],
  ])('%s: structuredContent plus a bounded summary, not a second copy', async (name, args) => {
    expect(lean.tools.find((t) => t.name === name)?.outputSchema).toBeDefined();
    const res = await lean.call(name, args);
    expect(res.isError).toBeFalsy();
    const json = JSON.stringify(res.structuredContent);
    expect(json.length).toBeGreaterThan(1000);
    const summary = textOf(res);
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    expect(summary).toContain(`${name}: summary; the full result is in structuredContent.`);
    expect(summary).toMatch(/tenant data/);
    // No nested text of the data is repeated: only its top-level scalars and shape.
    for (const s of nestedStrings(res.structuredContent)) expect(summary).not.toContain(s);
  });

  it('an error of a structured tool: the JSON text alone, naming the field', async () => {
    const res = await lean.call('policy_match', { folder: 'Shared', port: 'eighty' });
    expect(res.isError).toBe(true);
    expect(res.structuredContent).toBeUndefined();
    expect(JSON.parse(textOf(res)).error.code).toBe('INVALID_ARGUMENTS');
  });
});

describe('--text-results: no output schemas, every result JSON text once', () => {
  it('lists no outputSchema', () => {
    expect(text.tools.length).toBe(lean.tools.length);
    expect(text.tools.filter((t) => t.outputSchema)).toEqual([]);
  });

  it('a structured tool answers with its whole data as text', async () => {
    const res = await text.call('policy_analyze', { folder: 'Shared' });
    expect(res.structuredContent).toBeUndefined();
    expect(JSON.parse(textOf(res))).toMatchObject({ operation: 'policy_analyze', folder: 'Shared' });
  });
});
