/** What the policy layer loads for a folder: raw list items by kind, and the rules of the folder chain. */

export type Item = Record<string, unknown>;

/** Object kinds evaluation reads, each loaded by its IR list key (`${kind}.list`), never by path. */
export const OBJECT_KINDS = [
  'address',
  'addressGroup',
  'tag',
  'service',
  'serviceGroup',
  'application',
  'applicationGroup',
  'applicationFilter',
  'urlCategory',
  'externalDynamicList',
  'region',
  'profileGroup',
  'dynamicUserGroup',
  'hipProfile',
  'schedule',
] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];
export const RULE_KIND = 'securityRule';

export type Position = 'pre' | 'post';

export interface SnapshotData {
  folder: string;
  /** `Shared` first, the folder itself last. */
  chain: string[];
  objects: Partial<Record<ObjectKind, Item[]>>;
  /** Per folder of the chain: its own pre and post rules in list order. */
  rules: Record<string, Record<Position, Item[]>>;
  /** Kinds this API generation does not serve (no list operation in the catalogue). */
  missing: string[];
  loadedAt: number;
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
export const ownerOf = (o: Item): string | undefined => str(o.folder) ?? str(o.snippet);
