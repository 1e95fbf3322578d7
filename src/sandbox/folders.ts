import { SYSTEM_FOLDER_TREE } from '../facts.js';

/** The tenant's folder tree: the six Prisma Access system folders, a custom folder and a snippet. */

export interface FolderRecord {
  id: string;
  name: string;
  /** '' for a root (Shared, snippets). */
  parent: string;
  description?: string;
  labels?: string[];
  snippets?: string[];
  type: 'folder' | 'snippet';
}

export const SHARED = 'Shared';
export const CUSTOM_FOLDER = 'Branch Offices';
export const DEMO_SNIPPET = 'Corporate Baseline';

export function defaultFolders(uuid: () => string): FolderRecord[] {
  const f = (name: string, parent: string, extra: Partial<FolderRecord> = {}): FolderRecord => ({
    id: uuid(),
    name,
    parent,
    type: 'folder',
    ...extra,
  });
  return [
    ...SYSTEM_FOLDER_TREE.map((s) => f(s.name, s.parent ?? '')),
    f(CUSTOM_FOLDER, SHARED, {
      description: 'Branch sites with their own rulebase',
      labels: ['branch'],
      snippets: [DEMO_SNIPPET],
    }),
    { id: uuid(), name: DEMO_SNIPPET, parent: '', type: 'snippet', description: 'Baseline objects' },
  ];
}

/** The container and its ancestors, nearest first: what an object there can see and inherit. */
export function chainOf(folders: FolderRecord[], name: string): string[] {
  const chain: string[] = [];
  let current = folders.find((f) => f.name === name);
  while (current && !chain.includes(current.name)) {
    chain.push(current.name);
    const parent = current.parent;
    current = parent ? folders.find((f) => f.name === parent && f.type === 'folder') : undefined;
  }
  return chain.length ? chain : [name];
}
