import type { ScmClient } from '../scm/http-client.js';
import { paginate } from '../scm/paginate.js';
import type { IrOperation } from '../openapi/ir.js';
import type { FolderDirectory, FolderInfo, FolderListing } from './folder-directory.js';

/** The resource types a folder summary counts: what people most often look for in a folder. */
export const COUNTED: Array<{ label: string; key: string; query?: Record<string, string> }> = [
  { label: 'addresses', key: 'address.list' },
  { label: 'address_groups', key: 'addressGroup.list' },
  { label: 'services', key: 'service.list' },
  { label: 'service_groups', key: 'serviceGroup.list' },
  { label: 'tags', key: 'tag.list' },
  { label: 'external_dynamic_lists', key: 'externalDynamicList.list' },
  { label: 'url_categories', key: 'urlCategory.list' },
  { label: 'security_rules_pre', key: 'securityRule.list', query: { position: 'pre' } },
  { label: 'security_rules_post', key: 'securityRule.list', query: { position: 'post' } },
];

export interface ObjectCount {
  /** Objects that live in this folder or snippet. */
  own?: number;
  /** What listing the folder returns: its own objects plus those inherited from its ancestors. */
  visible?: number;
  error?: string;
}

export interface FolderDetail extends FolderInfo {
  source: FolderListing['source'];
  /** The folder's ancestors, nearest first. */
  ancestors: string[];
  children: string[];
  objects: Record<string, ObjectCount>;
}

const ownerOf = (o: unknown) => {
  const r = o as { folder?: unknown; snippet?: unknown } | null;
  return r?.folder ?? r?.snippet;
};

/** Reads one folder: its place in the tree, its snippets, and object counts of the main resource types. */
export async function describeFolder(
  name: string,
  info: FolderInfo,
  listing: FolderListing,
  client: Pick<ScmClient, 'request'>,
  operations: IrOperation[],
): Promise<FolderDetail> {
  const all = [...listing.folders, ...listing.snippets];
  const ancestors: string[] = [];
  for (let p = info.parent; p && !ancestors.includes(p); p = all.find((f) => f.name === p)?.parent)
    ancestors.push(p);
  const byKey = new Map(operations.map((o) => [o.key, o]));

  const counts = await Promise.all(
    COUNTED.map(async ({ label, key, query }): Promise<[string, ObjectCount]> => {
      const op = byKey.get(key);
      if (!op) return [label, { error: 'not in this catalogue' }];
      try {
        // SCM clamps limit to 5000: one page covers almost every folder.
        const page = await paginate(
          client,
          { method: 'GET', path: op.path, query: { folder: name, ...query }, operation: op.key },
          { pageSize: 5000, max: 20_000 },
        );
        return [
          label,
          {
            own: page.data.filter((o) => ownerOf(o) === name).length,
            visible: page.total ?? page.data.length,
          },
        ];
      } catch (err) {
        return [label, { error: err instanceof Error ? err.message : String(err) }];
      }
    }),
  );
  return {
    ...info,
    source: listing.source,
    ancestors,
    children: all.filter((f) => f.parent === name).map((f) => f.name),
    objects: Object.fromEntries(counts),
  };
}

/** The folder by name from the directory; with the fallback listing any name is taken as given. */
export async function findFolder(
  directory: FolderDirectory,
  name: string,
): Promise<{ info: FolderInfo; listing: FolderListing } | { error: string; known: string[] }> {
  const { info, listing } = await directory.find(name);
  if (info) return { info, listing };
  // The fallback cannot see custom folders and snippets: let the config API say whether it exists.
  if (listing.source === 'fallback') return { info: { name, type: 'folder' }, listing };
  const known = [...listing.folders, ...listing.snippets].map((f) => f.name);
  return { error: `no folder or snippet named ${JSON.stringify(name)} (names are case-sensitive)`, known };
}
