import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { ScmApiError, ScmNetworkError, ScmTimeoutError } from '../../src/scm/index.js';
import { ConfirmFlagGate } from '../../src/safety/confirm-gate.js';
import { callOperation } from '../../src/tools/call-operation.js';
import type { AuditRecord } from '../../src/tools/types.js';
import { TOKEN_PATH } from './fake-scm.js';
import { cleanup, clientFor, rejectionOf, startFake } from './helpers.js';

afterEach(cleanup);

const notFound = {
  status: 404,
  body: { _errors: [{ code: 'E005', message: 'Object Not Present' }], _request_id: 'r-404' },
};

describe('a DELETE whose answer was lost', () => {
  it('is success when the retry finds the object gone, and says so (result and audit)', async () => {
    const fake = await startFake();
    let deleted = false;
    fake.api = (req) => {
      if (req.method !== 'DELETE') return { status: 200 };
      if (!deleted) {
        // The server deletes, then the connection drops before the answer leaves.
        deleted = true;
        return { status: 200, destroy: true };
      }
      return notFound;
    };
    const { client } = clientFor(fake);
    const audit: AuditRecord[] = [];
    const op = loadCatalog().operations.find((o) => o.tool === 'address_delete')!;
    const result = await callOperation(
      op,
      { id: '2f1c9a7e-0000-4000-8000-000000000001', confirm: true },
      {
        transport: client,
        environment: 'scm',
        gate: new ConfirmFlagGate(),
        audit: { write: (r) => void audit.push(r) },
      },
    );
    expect(fake.apiRequests.filter((r) => r.method === 'DELETE')).toHaveLength(2);
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result.structuredContent)).toMatch(/already deleted by the earlier attempt/);
    const outcome = audit.find((r) => r.phase === 'outcome');
    expect(outcome).toMatchObject({ outcome: 'ok', status: 404 });
    expect(outcome?.note).toMatch(/already deleted by the earlier attempt/);
  });

  it('a 404 on the first attempt stays an error', async () => {
    const fake = await startFake();
    fake.api = () => notFound;
    const { client } = clientFor(fake);
    const err = await rejectionOf(
      client.request({ method: 'DELETE', path: '/sse/config/v1/addresses/{id}', pathParams: { id: 'x' } }),
    );
    expect(err).toBeInstanceOf(ScmApiError);
    expect((err as ScmApiError).status).toBe(404);
  });

  it('a 404 after a retry that followed a 503 (nothing done) stays an error', async () => {
    const fake = await startFake();
    let n = 0;
    fake.api = () => (++n === 1 ? { status: 503 } : notFound);
    const { client } = clientFor(fake);
    const err = await rejectionOf(
      client.request({ method: 'DELETE', path: '/sse/config/v1/addresses/{id}', pathParams: { id: 'x' } }),
    );
    expect((err as ScmApiError).status).toBe(404);
  });
});

describe('one deadline per call', () => {
  it('a token endpoint that never answers fails at the deadline, naming it and the token endpoint', async () => {
    const fake = await startFake();
    fake.token = () => ({ status: 200, hang: true });
    const { client } = clientFor(fake, { callTimeoutMs: 400, sleep: undefined });
    const started = Date.now();
    const err = await rejectionOf(
      client.request({ method: 'GET', path: '/sse/config/v1/addresses', operation: 'address.list' }),
    );
    expect(err).toBeInstanceOf(ScmTimeoutError);
    expect((err as Error).message).toMatch(/deadline of 400 ms/);
    expect((err as Error).message).toMatch(/token endpoint/);
    // Generous: the point is that it does not wait out the per-attempt timeouts and retries (minutes).
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('an API that never answers fails at the deadline, naming the API and the operation', async () => {
    const fake = await startFake();
    fake.api = () => ({ status: 200, hang: true });
    const { client } = clientFor(fake, { callTimeoutMs: 400, sleep: undefined });
    const err = await rejectionOf(
      client.request({ method: 'GET', path: '/sse/config/v1/addresses', operation: 'address.list' }),
    );
    expect(err).toBeInstanceOf(ScmTimeoutError);
    expect((err as Error).message).toMatch(/address\.list/);
    expect((err as Error).message).toMatch(/deadline of 400 ms/);
    expect((err as Error).message).toMatch(/SCM API/);
    expect(err).not.toBeInstanceOf(ScmNetworkError);
  });

  it('covers the waits between retries too', async () => {
    const fake = await startFake();
    fake.api = () => ({ status: 503, headers: { 'retry-after': '30' } });
    const { client } = clientFor(fake, { callTimeoutMs: 500, sleep: undefined });
    const started = Date.now();
    const err = await rejectionOf(
      client.request({ method: 'GET', path: '/sse/config/v1/addresses', operation: 'address.list' }),
    );
    expect(err).toBeInstanceOf(ScmTimeoutError);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(fake.requests.filter((r) => r.url === TOKEN_PATH)).toHaveLength(1);
  });
});
