import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { zodForInputs } from '../../src/catalog/zod-from-field.js';
import type { IrOperation } from '../../src/openapi/ir.js';
import {
  readLiveFields,
  schemasAt,
  unmatchedLiveFields,
  withLiveFields,
} from '../../src/openapi/live-fields.js';

const op = (key: string): IrOperation => {
  const found = loadCatalog().operations.find((o) => o.key === key);
  if (!found) throw new Error(`no ${key}`);
  return found;
};

describe('overlay live.fields: enums and formats the live API enforces', () => {
  it('puts the security rule actions into the tool schema, so a tool call with "block" is refused', () => {
    for (const key of ['securityRule.create', 'securityRule.update']) {
      const action = op(key).inputs.find((i) => i.apiName === 'action');
      expect(action?.schema).toMatchObject({
        enum: ['allow', 'deny', 'drop', 'reset-client', 'reset-server', 'reset-both'],
      });
      const schema = zodForInputs(op(key), { descriptions: 'none' });
      const probe = schema.safeParse({ folder: 'Shared', id: 'x', name: 'r', action: 'block' });
      expect(probe.success).toBe(false);
      expect(JSON.stringify(probe.error?.issues)).toContain('action');
    }
  });

  it('writes formats into the body schema the sandbox validates, inside oneOf variants and list items', () => {
    expect(schemasAt(op('address.create').body!.schema, 'ip_range')).toEqual([
      expect.objectContaining({ type: 'string', format: 'ip-range' }),
    ]);
    expect(schemasAt(op('urlCategory.update').body!.schema, 'list[]')).toEqual([
      expect.objectContaining({ format: 'url-pattern' }),
    ]);
    expect(op('address.create').inputs.find((i) => i.apiName === 'ip_netmask')?.schema).toMatchObject({
      format: 'ip-netmask',
    });
  });

  it('patches a copy: the shared spec schema is left as it was', () => {
    const spec = { type: 'object', properties: { action: { type: 'string' } } };
    const patched = withLiveFields(spec, { action: { enum: ['allow'] } });
    expect(patched.properties.action).toEqual({ type: 'string', enum: ['allow'] });
    expect(spec.properties.action).toEqual({ type: 'string' });
  });

  it('refuses overlay entries that are malformed or name no field', () => {
    expect(() => readLiveFields({ address: { ip_netmask: { format: 'ip-mask' } } })).toThrow(
      /live.fields.address.ip_netmask: format must be one of/,
    );
    expect(() => readLiveFields({ securityRule: { action: { enum: [] } } })).toThrow(
      /enum must be a non-empty/,
    );
    expect(() => readLiveFields({ securityRule: { action: { pattern: 'x' } } })).toThrow(
      /unknown keys pattern/,
    );
    const fields = readLiveFields({ securityRule: { actoin: { enum: ['allow'] } } });
    expect(unmatchedLiveFields(loadCatalog().operations, fields)).toEqual(['securityRule: actoin']);
  });
});
