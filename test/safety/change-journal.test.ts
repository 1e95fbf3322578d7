import { describe, expect, it } from 'vitest';
import { ChangeJournal, fanOut } from '../../src/safety/change-journal.js';
import { journalLine } from '../../src/safety/describe-change.js';
import type { AuditRecord } from '../../src/tools/types.js';

const ok = (tool: string, key: string, args: Record<string, unknown>): AuditRecord => ({
  phase: 'outcome',
  outcome: 'ok',
  tool,
  key,
  args,
});

describe('ChangeJournal', () => {
  it('keeps successful candidate changes only, with names from the approval lookup', () => {
    const j = new ChangeJournal({ now: () => 0 });
    j.write(ok('address_create', 'address.create', { name: 'a', folder: 'Shared' }));
    j.write({
      ...ok('tag_create', 'tag.create', { name: 'x', folder: 'Shared' }),
      phase: 'intent',
      outcome: undefined,
    });
    j.write({ ...ok('tag_create', 'tag.create', { name: 'y', folder: 'Shared' }), outcome: 'error' });
    j.write({ ...ok('prisma_access_enable', 'prismaAccess.enable', {}), role: 'enable' });
    j.remember('id-1', { name: 'old-host', folder: 'Branch Offices' });
    j.write(ok('address_delete', 'address.delete', { id: 'id-1' }));
    j.write(ok('security_rule_move', 'securityRule.move', { id: 'r', folder: 'Shared', destination: 'top' }));
    expect(j.entries().map(journalLine)).toEqual([
      'created address "a" in Shared',
      'deleted address "old-host" in Branch Offices',
      'moved security rule id r in Shared',
    ]);
  });

  it('starts again after a push, a discard or a load', () => {
    for (const role of ['push', 'discard-candidate', 'load-version'] as const) {
      const j = new ChangeJournal();
      j.write(ok('address_create', 'address.create', { name: 'a', folder: 'Shared' }));
      j.write({ ...ok('x', 'x.y', {}), role, outcome: 'error' });
      expect(j.entries()).toHaveLength(1);
      j.write({ ...ok('x', 'x.y', {}), role });
      expect(j.entries()).toEqual([]);
    }
  });

  it('fans out to every sink', () => {
    const seen: string[] = [];
    const sink = fanOut(
      { write: (r) => void seen.push(`a:${r.tool}`) },
      { write: (r) => void seen.push(`b:${r.tool}`) },
    );
    sink.write(ok('t', 'k.create', {}));
    expect(seen).toEqual(['a:t', 'b:t']);
  });
});
