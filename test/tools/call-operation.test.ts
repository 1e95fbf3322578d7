import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { ConfirmFlagGate } from '../../src/safety/confirm-gate.js';
import { ScmApiError } from '../../src/scm/errors.js';
import type { IrOperation } from '../../src/openapi/ir.js';
import { callOperation, type PipelineDeps } from '../../src/tools/call-operation.js';
import type { AuditRecord, ScmAnswer, ScmTransport } from '../../src/tools/types.js';
import { validateArgs } from '../../src/tools/validate.js';

type Sent = Parameters<ScmTransport['request']>[0];

function fakeTransport(answer: (req: Sent) => ScmAnswer | Promise<ScmAnswer>) {
  const sent: Sent[] = [];
  const transport: ScmTransport = {
    async request(req) {
      sent.push(req);
      return answer(req);
    },
  };
  return { sent, transport };
}

let ops: Map<string, IrOperation>;
const op = (tool: string) => {
  const found = ops.get(tool);
  if (!found) throw new Error(`no tool ${tool}`);
  return found;
};

beforeAll(() => {
  ops = new Map(loadCatalog().operations.map((o) => [o.tool, o]));
});

function deps(transport: ScmTransport, audit?: AuditRecord[]): PipelineDeps {
  return {
    transport,
    environment: 'sandbox',
    gate: new ConfirmFlagGate(),
    ...(audit ? { audit: { write: (r) => void audit.push(r) } } : {}),
  };
}

describe('callOperation', () => {
  it('sends an update given the object as get returned it without its read-only and container fields', async () => {
    const { sent, transport } = fakeTransport(() => ({ status: 200, headers: {}, body: { id: 'u-1' } }));
    const asListed = {
      id: 'u-1',
      name: 'web-1',
      folder: 'Shared',
      snippet: 'Corporate Baseline',
      type: 'container',
      ip_netmask: '10.0.0.1/32',
    };
    const res = await callOperation(op('address_update'), asListed, deps(transport));
    expect(res.isError).toBeUndefined();
    expect(sent[0]).toMatchObject({ method: 'PUT', pathParams: { id: 'u-1' }, query: {} });
    expect(sent[0]!.body).toEqual({ name: 'web-1', ip_netmask: '10.0.0.1/32' });
    // Where the operation takes a folder itself, the folder goes there.
    const withFolder = [...ops.values()].find(
      (o) => o.method === 'PUT' && o.inputs.some((i) => i.name === 'folder' && i.source === 'query'),
    );
    expect(withFolder).toBeDefined();
    expect(withFolder!.droppedInputs).not.toContain('folder');
  });

  it('sends a create as POST with folder in the query and the fields in the body', async () => {
    const { sent, transport } = fakeTransport(() => ({
      status: 201,
      headers: {},
      body: { id: 'u-1', name: 'web-1', ip_netmask: '10.0.0.1/32', folder: 'Shared' },
    }));
    const res = await callOperation(
      op('address_create'),
      { folder: 'Shared', name: 'web-1', ip_netmask: '10.0.0.1/32', tag: ['web'] },
      deps(transport),
    );
    expect(res.isError).toBeUndefined();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      method: 'POST',
      path: '/sse/config/v1/addresses',
      query: { folder: 'Shared' },
      body: { name: 'web-1', ip_netmask: '10.0.0.1/32', tag: ['web'] },
      operation: 'address.create',
    });
    expect(res.structuredContent).toMatchObject({
      environment: 'sandbox',
      status: 201,
      result: { id: 'u-1' },
    });
  });

  it('refuses bad input naming the field, and sends nothing', async () => {
    const { sent, transport } = fakeTransport(() => ({ status: 200, headers: {}, body: {} }));
    const none = await callOperation(op('address_create'), { folder: 'Shared', name: 'x' }, deps(transport));
    expect(none.isError).toBe(true);
    expect(JSON.stringify(none.structuredContent)).toContain(
      'exactly one of ip_netmask, ip_range, ip_wildcard, fqdn',
    );
    const two = await callOperation(
      op('address_create'),
      { folder: 'Shared', name: 'x', ip_netmask: '10.0.0.1', fqdn: 'a.example.com' },
      deps(transport),
    );
    expect(JSON.stringify(two.structuredContent)).toContain('got ip_netmask and fqdn');
    const missing = await callOperation(
      op('address_create'),
      { name: 'x', ip_netmask: '1.1.1.1' },
      deps(transport),
    );
    expect(missing.structuredContent).toMatchObject({
      error: { fields: [{ field: 'folder', message: 'required (string)' }] },
    });
    const unknown = await callOperation(
      op('address_list'),
      { folder: 'Shared', colour: 'red' },
      deps(transport),
    );
    expect(JSON.stringify(unknown.structuredContent)).toContain('colour');
    expect(sent).toHaveLength(0);
  });

  it('validates each operation against its own schema, even when another shares its tool name', () => {
    const tag = op('tag_create');
    const narrowed: IrOperation = { ...tag, inputs: tag.inputs.filter((i) => i.name !== 'comments') };
    const args = { folder: 'Shared', name: 't', comments: 'c' };
    expect(validateArgs(tag, args)).toMatchObject(args);
    expect(() => validateArgs(narrowed, args)).toThrow(/comments: unknown field/);
  });

  it('accepts object and array arguments sent as JSON text', async () => {
    const { sent, transport } = fakeTransport(() => ({ status: 201, headers: {}, body: { id: 'g' } }));
    await callOperation(
      op('address_group_create'),
      { folder: 'Shared', name: 'grp', static: '["a","b"]' },
      deps(transport),
    );
    expect(sent[0]?.body).toMatchObject({ name: 'grp', static: ['a', 'b'] });
  });

  it('gates a delete: no confirm means a preview and nothing sent; confirm sends it', async () => {
    const { sent, transport } = fakeTransport(() => ({ status: 200, headers: {}, body: {} }));
    const audit: AuditRecord[] = [];
    const preview = await callOperation(op('address_delete'), { id: 'abc' }, deps(transport, audit));
    expect(sent).toHaveLength(0);
    expect(preview.isError).toBeUndefined();
    expect(preview.structuredContent).toMatchObject({
      status: 'confirmation_required',
      executed: false,
      environment: 'sandbox',
    });
    expect(JSON.stringify(preview.content)).toContain('confirm: true');
    // The environment is in the text too, for clients that read only the text.
    expect(JSON.parse((preview.content[0] as { text: string }).text)).toMatchObject({
      environment: 'sandbox',
    });
    const done = await callOperation(
      op('address_delete'),
      { id: 'abc', confirm: true },
      deps(transport, audit),
    );
    expect(done.isError).toBeUndefined();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'DELETE', pathParams: { id: 'abc' } });
    // confirm is ours: it never reaches the API.
    expect(JSON.stringify(sent[0])).not.toContain('confirm');
    // A preview is logged as one, not as a refusal.
    expect(audit.map((a) => `${a.phase}:${a.outcome ?? ''}`)).toEqual([
      'outcome:preview',
      'intent:',
      'outcome:ok',
    ]);
  });

  it('gates push and sends the live contract body {folders}', async () => {
    const { sent, transport } = fakeTransport(() => ({
      status: 200,
      headers: {},
      body: { success: true, job_id: '42', message: 'CommitAndPush job enqueued' },
    }));
    const audit: AuditRecord[] = [];
    await callOperation(op('config_version_push'), { folders: ['Shared'] }, deps(transport, audit));
    expect(sent).toHaveLength(0);
    const res = await callOperation(
      op('config_version_push'),
      { folders: ['My Custom Folder'], description: 'block IOC', confirm: true },
      deps(transport, audit),
    );
    expect(sent[0]).toMatchObject({
      method: 'POST',
      path: '/sse/config/v1/config-versions/candidate:push',
      body: { folders: ['My Custom Folder'], description: 'block IOC' },
    });
    expect(res.structuredContent).toMatchObject({ result: { job_id: '42' } });
    expect(audit.at(-1)).toMatchObject({ phase: 'outcome', jobId: '42', approvedBy: 'confirm-flag' });
  });

  it('fills the fields the live API wants on a security rule create', async () => {
    const { sent, transport } = fakeTransport(() => ({ status: 201, headers: {}, body: { id: 'r' } }));
    await callOperation(
      op('security_rule_create'),
      {
        folder: 'Shared',
        position: 'pre',
        name: 'allow-web',
        from: ['trust'],
        to: ['untrust'],
        source: ['any'],
        destination: ['any'],
        application: ['web-browsing'],
        service: ['application-default'],
        action: 'allow',
      },
      deps(transport),
    );
    expect(sent[0]?.body).toMatchObject({ source_user: ['any'], category: ['any'], name: 'allow-web' });
    expect(sent[0]?.query).toEqual({ folder: 'Shared', position: 'pre' });
  });

  it('turns an SCM error into an isError result with the code and a hint', async () => {
    const { transport } = fakeTransport(() => {
      throw new ScmApiError({
        status: 409,
        operation: 'address.create',
        text: JSON.stringify({
          _errors: [{ code: 'E006', message: 'Name Not Unique', details: {} }],
          _request_id: 'req-1',
        }),
      });
    });
    const res = await callOperation(
      op('address_create'),
      { folder: 'Shared', name: 'dup', ip_netmask: '10.0.0.1/32' },
      deps(transport),
    );
    expect(res.isError).toBe(true);
    const text = (res.content[0] as { text: string }).text;
    expect(text).toContain('API error [409] on address.create: Name Not Unique (E006), request_id=req-1');
    expect(res.structuredContent).toMatchObject({
      error: { scm_code: 'E006', status: 409 },
      hint: expect.any(String),
    });
  });

  it('keeps data, total, limit and offset of a list', async () => {
    const { transport } = fakeTransport(() => ({
      status: 200,
      headers: {},
      body: { data: [{ id: '1', name: 'a' }], total: 7, limit: 1, offset: 3 },
    }));
    const res = await callOperation(
      op('tag_list'),
      { folder: 'Shared', limit: 1, offset: 3 },
      deps(transport),
    );
    expect(res.structuredContent).toMatchObject({ data: [{ name: 'a' }], total: 7, limit: 1, offset: 3 });
  });
});
