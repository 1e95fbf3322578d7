import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';

/** The serving modes whose tools/list must fit a client's context, with their budgets in tokens. */
export const MODES = [
  { name: 'default', args: [] as string[], budget: 10_000 },
  { name: 'discovery', args: ['--toolsets', 'discovery'], budget: 2_000 },
  { name: 'all', args: ['--toolsets', 'all'], budget: 60_000 },
  { name: 'read-only', args: ['--read-only'], budget: 10_000 },
  { name: 'all+read-only', args: ['--toolsets', 'all', '--read-only'], budget: 60_000 },
  // The unified SCM API (--api scm): 762 operations, the same default surface.
  { name: 'scm default', args: ['--api', 'scm'], budget: 10_000 },
  { name: 'scm read-only', args: ['--api', 'scm', '--read-only'], budget: 10_000 },
] as const;

/** Measured and printed by `npm run bench:context`, not held by a test: the goal is 120k tokens. */
export const REPORTED_MODES = [
  { name: 'scm all', args: ['--api', 'scm', '--toolsets', 'all'], budget: 120_000 },
] as const;

export interface Listing {
  tools: Tool[];
  instructions: string;
}

/**
 * tools/list as a client sees it: the real app (on the in-process sandbox) with these flags, over the SDK client.
 * The audit log goes to a temporary directory.
 */
export async function listTools(args: readonly string[]): Promise<Listing> {
  const dir = mkdtempSync(join(tmpdir(), 'pa-mcp-bench-'));
  const config = loadConfig([...args, '--sandbox', '--audit-log', join(dir, 'audit.jsonl')], {});
  const app = await createApp(config, createLogger('silent'));
  const client = new Client({ name: 'bench', version: '1.0.0' });
  try {
    const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
    await app.server.connect(serverSide);
    await client.connect(clientSide);
    const { tools, nextCursor } = await client.listTools();
    if (nextCursor) throw new Error('tools/list must come in one page');
    return { tools, instructions: client.getInstructions() ?? '' };
  } finally {
    await client.close().catch(() => {});
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text a client sends on: the tools/list answer as JSON. */
export const listingText = (tools: Tool[]) => JSON.stringify({ tools });

export const charTokens = (text: string) => Math.ceil(text.length / 4);
