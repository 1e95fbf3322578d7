import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { APPROVAL_SCHEMA, ApprovalGate } from '../../src/safety/approval-gate.js';
import { ApprovalTokens } from '../../src/safety/approval-tokens.js';
import { ChangeJournal } from '../../src/safety/change-journal.js';
import { ChangeDescriber } from '../../src/safety/describe-change.js';
import { ScmApiError } from '../../src/scm/errors.js';
import type { ScmRequest, ScmResponse } from '../../src/scm/http-client.js';
import type { IrOperation } from '../../src/openapi/ir.js';
import { buildRequest } from '../../src/tools/build-request.js';
import type { CallMeta } from '../../src/tools/types.js';

let operations: IrOperation[];
let ops: Map<string, IrOperation>;
beforeAll(() => {
  operations = loadCatalog().operations;
  ops = new Map(operations.map((o) => [o.tool, o]));
});

function setup(
  answer: (req: ScmRequest) => ScmResponse | Promise<ScmResponse>,
  mode: 'auto' | 'strict' | 'confirm-token' = 'confirm-token',
) {
  const sent: ScmRequest[] = [];
  const client = {
    request: async (req: ScmRequest) => {
      sent.push(req);
      return answer(req);
    },
  };
  const journal = new ChangeJournal();
  const describer = new ChangeDescriber({ client, operations, journal, environment: 'scm', tsgId: '99' });
  const gate = new ApprovalGate({
    mode,
    tokens: new ApprovalTokens(),
    describer,
    tsgId: '99',
    environment: 'scm',
    elicitationTimeoutMs: 1234,
  });
  const check = (tool: string, args: Record<string, unknown>, meta: CallMeta = {}) => {
    const op = ops.get(tool)!;
    return gate.check(op, args, buildRequest(op, args), meta);
  };
  return { sent, journal, check };
}

const found = (body: unknown): ScmResponse => ({ status: 200, headers: {}, body });

describe('ApprovalGate with elicitation', () => {
  it('asks with the object looked up by id, the tool and the tenant; proceeds on approve', async () => {
    const { sent, check } = setup(() => found({ id: 'a1', name: 'bad-host', folder: 'Branch Offices' }));
    const asked: Array<{ message: string; schema: unknown; timeoutMs?: number }> = [];
    const decision = await check(
      'address_delete',
      { id: 'a1', confirm: true },
      {
        elicit: async (message, schema, o) => {
          asked.push({ message, schema, ...(o?.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) });
          return { action: 'accept', content: { approve: true } };
        },
      },
    );
    expect(decision).toEqual({ proceed: true, approvedBy: 'elicitation' });
    expect(sent).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/sse/config/v1/addresses/{id}',
        pathParams: { id: 'a1' },
      }),
    ]);
    expect(asked[0]!.message).toContain('Delete address "bad-host" (id a1) in folder Branch Offices.');
    expect(asked[0]!.message).toContain('Tenant: Prisma Access TSG 99 (a real tenant).');
    expect(asked[0]!.schema).toBe(APPROVAL_SCHEMA);
    expect(asked[0]!.timeoutMs).toBe(1234);
  });

  it('a failed lookup does not block the approval: the prompt shows the id', async () => {
    const { check } = setup(() => {
      throw new ScmApiError({
        status: 404,
        text: '{"_errors":[{"code":"E005","message":"Object Not Present"}]}',
      });
    });
    let message = '';
    const decision = await check(
      'security_rule_delete',
      { id: 'r9', confirm: true },
      {
        elicit: async (m) => {
          message = m;
          return { action: 'accept', content: { approve: true } };
        },
      },
    );
    expect(decision.proceed).toBe(true);
    expect(message).toContain('Delete security rule with id r9 (its name could not be looked up).');
  });

  it('a prompt that times out or fails refuses, naming why', async () => {
    const { check } = setup(() => found({ id: 'a1', name: 'x' }));
    const decision = await check(
      'address_delete',
      { id: 'a1', confirm: true },
      {
        elicit: async () => {
          throw new Error('MCP error -32001: Request timed out');
        },
      },
    );
    expect(decision.proceed).toBe(false);
    if (decision.proceed) return;
    expect(decision.reason).toMatch(/timed out/);
    expect(decision.result.isError).toBe(true);
    expect(decision.result.structuredContent).toMatchObject({ status: 'approval_failed', executed: false });
  });

  it('a delete by name needs no lookup', async () => {
    const { sent, check } = setup(() => found({}));
    let message = '';
    await check(
      'mobile_agent_agent_profile_delete',
      { name: 'contractors', folder: 'Mobile Users', confirm: true },
      {
        elicit: async (m) => {
          message = m;
          return { action: 'decline' };
        },
      },
    );
    expect(sent).toEqual([]);
    expect(message).toContain('Delete mobile agent agent profile "contractors" in folder Mobile Users.');
  });

  it('a discard prompt lists what will be lost', async () => {
    const { journal, check } = setup(() => found({}));
    journal.write({
      phase: 'outcome',
      outcome: 'ok',
      tool: 'tag_create',
      key: 'tag.create',
      args: { name: 't1', folder: 'Shared' },
    });
    let message = '';
    await check(
      'config_version_rollback_candidate',
      { confirm: true },
      {
        elicit: async (m) => {
          message = m;
          return { action: 'cancel' };
        },
      },
    );
    expect(message).toContain('Discard every pending change');
    expect(message).toContain('- created tag "t1" in Shared');
  });
});

describe('ApprovalGate without elicitation', () => {
  it('confirm-token: preview with a token; the token must come back with confirm', async () => {
    const { check } = setup(() => found({ id: 'a1', name: 'bad-host', folder: 'Shared' }), 'confirm-token');
    const first = await check('address_delete', { id: 'a1' });
    expect(first.proceed).toBe(false);
    if (first.proceed) return;
    const token = (first.result.structuredContent as { approval_token: string }).approval_token;
    expect(token).toMatch(/^apv_/);
    const withoutConfirm = await check('address_delete', { id: 'a1', approval_token: token });
    expect(withoutConfirm.proceed).toBe(false);
    // A token without confirm is not spent.
    expect(await check('address_delete', { id: 'a1', confirm: true, approval_token: token })).toEqual({
      proceed: true,
      approvedBy: 'model-token',
    });
  });

  it('auto with no inbox: a preview without a token, and a confirmed call is refused with the operator step', async () => {
    const { check, sent } = setup(() => found({ id: 'a1', name: 'bad-host', folder: 'Shared' }), 'auto');
    const first = await check('address_delete', { id: 'a1' });
    if (first.proceed) throw new Error('proceeded');
    expect(first.outcome).toBe('preview');
    expect(first.result.structuredContent).not.toHaveProperty('approval_token');
    const confirmed = await check('address_delete', { id: 'a1', confirm: true, approval_token: 'apv_guess' });
    if (confirmed.proceed) throw new Error('proceeded');
    expect(confirmed.outcome).toBe('refused');
    expect(confirmed.result.structuredContent).toMatchObject({
      status: 'approval_unavailable',
      hint: expect.stringContaining('--approvals inbox --approvers FILE'),
    });
    expect(sent.every((r) => r.method === 'GET')).toBe(true);
  });

  it('strict: refused, no token handed out', async () => {
    const { check } = setup(() => found({}), 'strict');
    const decision = await check(
      'config_version_push',
      { folders: ['Shared'], confirm: true },
      { clientName: 'x' },
    );
    expect(decision.proceed).toBe(false);
    if (decision.proceed) return;
    expect(decision.result.isError).toBe(true);
    expect(decision.result.structuredContent).toMatchObject({ status: 'approval_unavailable' });
    expect(decision.result.structuredContent).not.toHaveProperty('approval_token');
  });
});
