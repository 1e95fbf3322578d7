import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';

// Agent platforms read what a tool returns from its description (no outputSchema on the 344 generated tools).

const catalog = loadCatalog();
const byName = new Map(catalog.tools.map((t) => [t.name, t]));
const opOf = new Map(catalog.operations.map((op) => [op.tool, op]));

describe('generated tool descriptions say what the tool returns', () => {
  it('every tool: after →, or the push: its job id', () => {
    const silent = catalog.tools.filter(
      (t) => !/ → .+\./.test(t.description) && !/Returns result\.job_id/.test(t.description),
    );
    expect(silent.map((t) => t.name)).toEqual([]);
  });

  it('a paged list: its page with the items key fields; get, create, update, delete: the object', () => {
    expect(byName.get('address_list')!.description).toBe(
      'List addresses → {data[{id,name,ip_netmask|ip_range|ip_wildcard|fqdn}],total,next_offset}.',
    );
    expect(byName.get('security_rule_list')!.description).toContain('→ {data[{id,name}],total,next_offset}');
    expect(byName.get('address_get')!.description).toBe('Get one address by id → the object.');
    expect(byName.get('address_create')!.description).toBe('Create an address → the new object, with id.');
    expect(byName.get('address_update')!.description).toBe(
      'Replace an address by id (as get returns it) → the saved object.',
    );
    expect(byName.get('address_delete')!.description).toBe('Delete an address by id → the deleted object.');
    for (const t of catalog.tools.filter((x) => opOf.get(x.name)!.action === 'list'))
      expect(t.description, t.name).toMatch(/→ \{data\[.*\],total/);
  });

  it('the push: the job id, and what wait adds', () => {
    expect(byName.get('config_version_push')!.description).toMatch(/Returns result\.job_id.*wait: true/);
  });
});
