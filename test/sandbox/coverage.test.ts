import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRoutes } from '../../src/sandbox/routes.js';
import type { IrOperation } from '../../src/openapi/ir.js';
import { notServed, operations, start, type TestSandbox } from './helpers.js';

/** A plausible value for each query parameter the IR names. */
function queryFor(op: IrOperation): URLSearchParams {
  const q = new URLSearchParams();
  for (const input of op.inputs) {
    if (input.source !== 'query') continue;
    const name = input.apiName;
    if (name === 'folder') q.set(name, op.path.includes('/mobile-agent/') ? 'Mobile Users' : 'Shared');
    else if (name === 'position') q.set(name, 'pre');
    else if (name === 'limit') q.set(name, '5');
    else if (name === 'offset') q.set(name, '0');
    else if (input.required && name !== 'snippet' && name !== 'device') q.set(name, 'coverage');
  }
  return q;
}

describe('sandbox serves every IR operation', () => {
  let sb: TestSandbox;
  let ops: IrOperation[];
  beforeAll(async () => {
    ops = await operations();
    sb = await start();
  });
  afterAll(() => sb.close());

  it('classifies all operations from the IR, none left unsupported', () => {
    const { routes } = buildRoutes(ops);
    expect(routes).toHaveLength(ops.length);
    expect(routes.filter((r) => r.kind === 'unsupported').map((r) => r.op.key)).toEqual([]);
  });

  it('routes each of them to a real answer (never 405, 500, 501 or an unknown path)', async () => {
    expect(ops.length).toBeGreaterThanOrEqual(300);
    const failures: string[] = [];
    // Reads first, then writes, destructive last: each call sees the demo tenant mostly intact.
    const order = { GET: 0, PUT: 1, PATCH: 1, POST: 2, DELETE: 3 } as const;
    for (const op of [...ops].sort((a, b) => order[a.method] - order[b.method])) {
      const existing = sb.state.objects(op.resource)[0]?.id ?? randomUUID();
      const path = op.path.replace('{id}', existing).replace('{version}', '1');
      const q = queryFor(op).toString();
      const res = await sb.api(op.method, `${path}${q ? `?${q}` : ''}`, op.body ? {} : undefined);
      const failure = notServed(op.key, op.method, path, res);
      if (failure) failures.push(failure);
    }
    expect(failures).toEqual([]);
  });
});
