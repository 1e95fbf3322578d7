import type { IrOperation } from '../openapi/ir.js';
import type { BuiltCatalog } from './types.js';

/**
 * The fields of an operation that hold its schemas: four fifths of the catalogue, and read only when a call,
 * a preview or the sandbox needs that operation. They are stored in a second file (`<catalog>.schemas.json`) that
 * is parsed on first use, so a start that lists tools parses a third of the bytes (issue 14).
 */
export const SCHEMA_FIELDS = ['inputs', 'body', 'responseSchema'] as const;
type SchemaField = (typeof SCHEMA_FIELDS)[number];
export type Schemas = Partial<Pick<IrOperation, SchemaField>>;

/** dist/catalog.json as stored: each operation names which schema fields it has in the schemas file. */
export interface StoredCatalog extends Omit<BuiltCatalog, 'operations'> {
  operations: Array<Omit<IrOperation, SchemaField> & { $schemas: SchemaField[] }>;
}

export const schemasFileOf = (catalogFile: string) => catalogFile.replace(/\.json$/, '.schemas.json');

/** Splits a catalogue into the file read at start and the schemas file read on first use. */
export function splitCatalog(catalog: BuiltCatalog): { stored: StoredCatalog; schemas: Schemas[] } {
  const schemas: Schemas[] = [];
  const operations = catalog.operations.map((op) => {
    const light: Record<string, unknown> = { ...op };
    const own: Schemas = {};
    for (const f of SCHEMA_FIELDS) {
      if (!(f in op)) continue;
      (own as Record<string, unknown>)[f] = op[f];
      delete light[f];
    }
    schemas.push(own);
    return { ...light, $schemas: Object.keys(own) } as StoredCatalog['operations'][number];
  });
  return { stored: { ...catalog, operations }, schemas };
}

/**
 * The catalogue with each operation's schema fields as getters that parse the schemas file once, on the first
 * read of any of them, and then become plain fields.
 */
export function joinCatalog(stored: StoredCatalog, readSchemas: () => Schemas[]): BuiltCatalog {
  const operations = stored.operations as unknown as IrOperation[];
  let loaded = false;
  const load = () => {
    if (loaded) return;
    loaded = true;
    const all = readSchemas();
    operations.forEach((op, i) => {
      for (const f of SCHEMA_FIELDS) delete (op as unknown as Record<string, unknown>)[f];
      Object.assign(op, all[i]);
    });
  };
  for (const op of stored.operations) {
    const fields = op.$schemas;
    delete (op as Partial<typeof op>).$schemas;
    for (const f of fields) {
      Object.defineProperty(op, f, {
        enumerable: true,
        configurable: true,
        get() {
          load();
          return (op as unknown as Record<string, unknown>)[f];
        },
      });
    }
  }
  return { ...stored, operations };
}
