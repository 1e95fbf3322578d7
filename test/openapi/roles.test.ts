import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { type OperationRole, operationFor } from '../../src/openapi/ir.js';

describe('operation roles from the overlay', () => {
  const ops = loadCatalog().operations;

  it('gives each role the server relies on to exactly the operation meant', () => {
    const one: Partial<Record<OperationRole, string>> = {
      push: 'configVersion.push',
      'discard-candidate': 'configVersion.rollbackCandidate',
      'load-version': 'configVersion.load',
      'job-get': 'job.get',
      'job-list': 'job.list',
    };
    for (const [role, key] of Object.entries(one)) {
      expect(ops.filter((o) => o.role === role).map((o) => o.key)).toEqual([key]);
    }
    expect(
      ops
        .filter((o) => o.role === 'enable')
        .map((o) => o.key)
        .sort(),
    ).toEqual(['mobileAgent.enable', 'prismaAccess.enable']);
  });

  it('names the overlay when a role is missing', () => {
    expect(() => operationFor([], 'push')).toThrow(/roles in specs\/overlay.yaml/);
  });
});
