import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  type CallToolResult,
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';
import { type App, createApp } from '../../src/app.js';
import { loadCatalog } from '../../src/catalog/load.js';
import type { ApprovalMode, Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { type RunningSandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';
import { resultData } from './result-data.js';

export type Elicit = (req: ElicitRequest) => Promise<ElicitResult>;

export interface HarnessOptions {
  approval?: ApprovalMode;
  readOnly?: boolean;
  /** Present: the client declares elicitation and answers with this. */
  elicit?: Elicit;
  sandbox?: Partial<SandboxOptions>;
  clientName?: string;
  /** Inbox flags (approvals, approversEnv, fourEyes, inboxWaitSeconds, approvalWebhook); the port is always free. */
  inbox?: Partial<Pick<Config, 'approversEnv' | 'fourEyes' | 'inboxWaitSeconds' | 'approvalWebhook'>>;
}

export interface Harness {
  client: Client;
  app: App;
  sandbox: RunningSandbox;
  auditPath: string;
  /** The audit file, parsed line by line. */
  audit(): Record<string, any>[];
  /** Every elicitation the client was sent. */
  prompts: ElicitRequest['params'][];
  close(): Promise<void>;
}

/**
 * The real app (createApp) on a sandbox of the test's own, driven by the SDK client over an in-memory pair.
 * The app reaches the sandbox as it would a tenant: through SCM credentials and URLs.
 */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const { app, sandbox, auditPath } = await startApp(opts);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await app.server.connect(serverSide);
  const client = new Client(
    { name: opts.clientName ?? 'approval-test', version: '1.0.0' },
    { capabilities: opts.elicit ? { elicitation: {} } : {} },
  );
  const prompts: ElicitRequest['params'][] = [];
  if (opts.elicit) {
    const answer = opts.elicit;
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      prompts.push(req.params);
      return answer(req);
    });
  }
  await client.connect(clientSide);
  return {
    client,
    app,
    sandbox,
    auditPath,
    prompts,
    audit: () => readAudit(auditPath),
    close: async () => {
      await client.close();
      await app.close();
      await sandbox.close();
    },
  };
}

export const readAudit = (path: string): Record<string, any>[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

/** The real app on a sandbox of the test's own, not yet connected to a client. */
export async function startApp(
  opts: HarnessOptions = {},
): Promise<{ app: App; sandbox: RunningSandbox; auditPath: string }> {
  const sandbox = await startSandbox({
    operations: loadCatalog().operations,
    pushDurationMs: 600,
    ...opts.sandbox,
  });
  const auditPath = join(mkdtempSync(join(tmpdir(), 'pa-mcp-audit-')), 'audit.log');
  const config: Config = {
    backend: 'scm',
    credentials: { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, tsgId: sandbox.tsgId },
    apiUrl: sandbox.apiUrl,
    setupUrl: sandbox.setupUrl,
    authUrl: sandbox.authUrl,
    readOnly: opts.readOnly ?? false,
    approval: opts.approval ?? 'auto',
    auditLog: auditPath,
    // Every tool listed: these tests call tools beyond the default surface directly.
    toolsets: ['all'],
    tools: [],
    excludeTools: [],
    logLevel: 'silent',
    ...(opts.inbox
      ? { approvals: 'inbox' as const, inboxHost: '127.0.0.1', inboxPort: 0, ...opts.inbox }
      : {}),
  };
  const app = await createApp(config, createLogger('silent'));
  return { app, sandbox, auditPath };
}

export async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  const res = (await client.callTool({ name, arguments: args })) as CallToolResult;
  return { res, data: resultData(res) as Record<string, any> };
}

/** A fresh address in Shared, created through the server; returns its id. */
export async function createAddress(client: Client, name: string): Promise<string> {
  const { res, data } = await call(client, 'address_create', {
    folder: 'Shared',
    name,
    ip_netmask: '198.51.100.7/32',
  });
  if (res.isError) throw new Error(`create failed: ${JSON.stringify(data)}`);
  return data.result.id as string;
}

export const accept: Elicit = async () => ({ action: 'accept', content: { approve: true } });
export const decline: Elicit = async () => ({ action: 'decline' });
