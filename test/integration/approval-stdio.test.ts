import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { type ElicitResult, ElicitRequestSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, call, cleanEnv } from './helpers.js';
import { resultData } from './result-data.js';

// The real binary over stdio, on its embedded sandbox, with a client that can ask the person.

const dir = mkdtempSync(join(tmpdir(), 'pa-mcp-stdio-'));
const auditPath = join(dir, 'audit.log');
let client: Client;
let answer: ElicitResult = { action: 'decline' };
const prompts: string[] = [];

const audit = () =>
  readFileSync(auditPath, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, any>);

async function spawn(args: string[], elicits: boolean): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, ...args],
    env: cleanEnv({ XDG_STATE_HOME: join(dir, 'state') }),
    stderr: 'pipe',
  });
  const c = new Client(
    { name: 'stdio-approval', version: '1.0.0' },
    { capabilities: elicits ? { elicitation: {} } : {} },
  );
  if (elicits) {
    c.setRequestHandler(ElicitRequestSchema, async (req) => {
      prompts.push(req.params.message);
      return answer;
    });
  }
  await c.connect(transport);
  return c;
}

beforeAll(async () => {
  client = await spawn(['--audit-log', auditPath, '--toolsets', 'all'], true);
});
afterAll(async () => {
  await client?.close();
});

describe('the real binary: approval, resources, audit, push with wait', () => {
  it('serves folders as resources with completion', async () => {
    const res = await client.readResource({ uri: 'scm://folders' });
    const listing = JSON.parse((res.contents[0] as { text: string }).text);
    expect(listing).toMatchObject({ environment: 'sandbox', source: 'live' });
    const done = await client.complete({
      ref: { type: 'ref/resource', uri: 'scm://folders/{folder}' },
      argument: { name: 'folder', value: 'Re' },
    });
    expect(done.completion.values).toContain('Remote Networks');
  });

  it('a declined delete leaves the tenant unchanged; an accepted one deletes', async () => {
    const created = await call(client, 'address_create', {
      folder: 'Shared',
      name: 'stdio-ioc',
      ip_netmask: '192.0.2.99/32',
    });
    const id = created.data.result.id as string;

    answer = { action: 'decline' };
    const declined = await call(client, 'address_delete', { id, confirm: true });
    expect(declined.res.isError).toBe(true);
    expect(declined.data.status).toBe('declined');
    expect(prompts.at(-1)).toContain('Delete address "stdio-ioc"');
    const still = await call(client, 'address_get', { id });
    expect(still.data.result).toMatchObject({ id, name: 'stdio-ioc' });

    answer = { action: 'accept', content: { approve: true } };
    const accepted = await call(client, 'address_delete', { id, confirm: true });
    expect(accepted.res.isError).toBeFalsy();
    const gone = await call(client, 'address_get', { id });
    expect(gone.res.isError).toBe(true);

    const lines = audit().filter((l) => l.tool === 'address_delete');
    expect(lines.map((l) => `${l.phase}:${l.outcome ?? ''}:${l.approved_by ?? ''}`)).toEqual([
      'outcome:refused:',
      'intent::elicitation',
      'outcome:ok:elicitation',
    ]);
    expect(lines[2]).toMatchObject({
      client: 'stdio-approval',
      tsg: '1234567890',
      folder: 'Shared',
      status: 200,
    });
  });

  it('pushes and waits until FIN/OK, with progress notifications', async () => {
    answer = { action: 'accept', content: { approve: true } };
    const progress: Progress[] = [];
    const res = await client.callTool(
      { name: 'config_version_push', arguments: { folders: ['Shared'], confirm: true, wait: true } },
      undefined,
      { onprogress: (p) => progress.push(p), timeout: 120_000 },
    );
    const data = resultData(res) as Record<string, any>;
    expect(res.isError).toBeFalsy();
    expect(data.wait).toMatchObject({ state: 'succeeded', status: 'FIN/OK' });
    expect(
      data.wait.jobs.every(
        (j: { status: string; result: string }) => j.status === 'FIN' && j.result === 'OK',
      ),
    ).toBe(true);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    // Progress only grows. The SDK client handles a notification a microtask later than a response read in the
    // same chunk, so under load the final 100 may be dropped as late: the result above is the proof of the end.
    expect(progress.every((p, i) => i === 0 || p.progress >= progress[i - 1]!.progress)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ total: 100 });
    expect(prompts.at(-1)).toContain('- deleted address "stdio-ioc" in Shared');
    expect(audit().at(-1)).toMatchObject({ phase: 'job', job_status: 'succeeded: FIN/OK' });
  }, 60_000);

  it('--read-only lists read tools only and refuses a write; the default audit path is under XDG_STATE_HOME', async () => {
    const ro = await spawn(['--read-only', '--toolsets', 'all'], false);
    try {
      const { tools } = await ro.listTools();
      expect(tools.length).toBeGreaterThan(100);
      expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
      const refused = await call(ro, 'tag_create', { folder: 'Shared', name: 'nope' });
      expect(refused.data).toMatchObject({ status: 'read_only', executed: false });
    } finally {
      await ro.close();
    }
    const defaultLog = readFileSync(join(dir, 'state', 'prisma-access-mcp', 'audit.log'), 'utf8');
    expect(JSON.parse(defaultLog.trim().split('\n').at(-1)!)).toMatchObject({
      tool: 'tag_create',
      outcome: 'refused',
    });
  });

  it('by default a client without elicitation and no inbox is refused with the operator step, nothing sent', async () => {
    const plain = await spawn(['--audit-log', auditPath], false);
    try {
      const preview = await call(plain, 'config_version_rollback_candidate', {});
      expect(preview.data.approval_token).toBeUndefined();
      const confirmed = await call(plain, 'config_version_rollback_candidate', { confirm: true });
      expect(confirmed.res.isError).toBe(true);
      expect(confirmed.data.status).toBe('approval_unavailable');
      expect(confirmed.data.hint).toMatch(/--approvals inbox --approvers FILE/);
      expect(audit().at(-1)).toMatchObject({ outcome: 'refused', approved_by: null });
    } finally {
      await plain.close();
    }
  });

  it('with --approval confirm-token a client without elicitation gets a token and must bring it back', async () => {
    const plain = await spawn(['--audit-log', auditPath, '--approval', 'confirm-token'], false);
    try {
      const preview = await call(plain, 'config_version_rollback_candidate', {});
      expect(preview.data.approval_token).toMatch(/^apv_/);
      const bare = await call(plain, 'config_version_rollback_candidate', { confirm: true });
      expect(bare.data.status).toBe('confirmation_required');
      const done = await call(plain, 'config_version_rollback_candidate', {
        confirm: true,
        approval_token: preview.data.approval_token,
      });
      expect(done.res.isError).toBeFalsy();
      expect(audit().at(-1)).toMatchObject({ approved_by: 'model-token', outcome: 'ok' });
    } finally {
      await plain.close();
    }
  });
});
