import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { joinCatalog, splitCatalog } from '../../src/catalog/stored.js';

// The catalogue is stored in two parts so a start parses only what listing tools needs.
describe('the stored catalogue', () => {
  const original = JSON.parse(JSON.stringify(loadCatalog())) as ReturnType<typeof loadCatalog>;

  const roundTrip = () => {
    const { stored, schemas } = splitCatalog(original);
    const text = JSON.stringify(stored);
    let reads = 0;
    const joined = joinCatalog(JSON.parse(text), () => {
      reads++;
      return JSON.parse(JSON.stringify(schemas));
    });
    return { joined, reads: () => reads, storedBytes: text.length };
  };

  it('keeps the schemas out of the part read at start, and reads them once, on first use', () => {
    const { joined, reads, storedBytes } = roundTrip();
    expect(storedBytes).toBeLessThan(JSON.stringify(original).length / 2);
    expect(joined.tools).toEqual(original.tools);
    expect(joined.operations.map((op) => op.key)).toEqual(original.operations.map((op) => op.key));
    expect(reads()).toBe(0);
    const create = joined.operations.find((op) => op.key === 'address.create')!;
    expect(create.body).toEqual(original.operations.find((op) => op.key === 'address.create')!.body);
    expect(reads()).toBe(1);
    for (const op of joined.operations) void op.inputs;
    expect(reads()).toBe(1);
  });

  it('gives back exactly the catalogue it split, absent fields still absent', () => {
    const { joined } = roundTrip();
    expect(JSON.parse(JSON.stringify(joined))).toEqual(original);
    const list = joined.operations.find((op) => op.key === 'address.list')!;
    const before = original.operations.find((op) => op.key === 'address.list')!;
    expect('body' in list).toBe('body' in before);
  });
});
