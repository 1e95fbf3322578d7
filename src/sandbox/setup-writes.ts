import { SYSTEM_FOLDERS } from '../facts.js';
import type { Core, Reply } from './context.js';
import { ok } from './context.js';
import { invalidObject, missingBody, nameNotUnique, notPresent, referenceNotZero } from './errors.js';
import type { FolderRecord } from './folders.js';
import { containerOf } from './store.js';

type Body = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const strings = (v: unknown) =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;

/** What still uses a folder or snippet: child folders, folders that attach the snippet, objects inside it. */
function usersOf(core: Core, record: FolderRecord): string[] {
  const out: string[] = [];
  for (const f of core.state.data.folders) {
    if (record.type === 'folder' && f.type === 'folder' && f.parent === record.name)
      out.push(`folder ${f.name}`);
    if (record.type === 'snippet' && f.snippets?.includes(record.name))
      out.push(`folder ${f.name} -> snippets`);
  }
  for (const [resource, objects] of Object.entries(core.state.data.candidate))
    for (const o of objects) if (containerOf(o) === record.name) out.push(`${resource} ${o.id}`);
  return out;
}

function fields(record: FolderRecord, body: Body): void {
  const description = str(body.description);
  const labels = strings(body.labels);
  const snippets = strings(body.snippets);
  if (description !== undefined) record.description = description;
  if (labels) record.labels = labels;
  if (snippets && record.type === 'folder') record.snippets = snippets;
}

/**
 * Creating, changing and deleting the Setup API's folders and snippets. The six system folders are fixed; a
 * folder needs an existing parent folder; names are unique across folders and snippets (objects name them).
 */
export function handleSetupWrite(
  core: Core,
  method: string,
  collection: 'folders' | 'snippets',
  id: string | undefined,
  body: unknown,
): Reply {
  const type = collection === 'folders' ? 'folder' : 'snippet';
  const rows = core.state.data.folders;
  const current = id === undefined ? undefined : rows.find((f) => f.id === id && f.type === type);
  if (id !== undefined && !current) throw notPresent(`no ${type} with id ${id}`);
  if (method === 'DELETE' && current) {
    if (SYSTEM_FOLDERS.includes(current.name))
      throw invalidObject([
        { field: 'id', message: `${current.name} is a system folder and cannot be deleted` },
      ]);
    const users = usersOf(core, current);
    if (users.length) throw referenceNotZero(current.name, users);
    rows.splice(rows.indexOf(current), 1);
    core.state.changed();
    return ok({ id: current.id, name: current.name });
  }
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body))
    throw missingBody();
  const b = body as Body;
  const name = str(b.name) ?? current?.name;
  if (!name) throw invalidObject([{ field: 'name', message: 'is required' }]);
  if (current && SYSTEM_FOLDERS.includes(current.name) && name !== current.name)
    throw invalidObject([
      { field: 'name', message: `${current.name} is a system folder and cannot be renamed` },
    ]);
  if (rows.some((f) => f.name === name && f !== current)) throw nameNotUnique(name, 'the tenant');
  let parent = '';
  if (type === 'folder') {
    parent = str(b.parent) ?? current?.parent ?? '';
    const parentRecord = rows.find((f) => f.name === parent && f.type === 'folder');
    if (!parentRecord && !(current && current.parent === parent))
      throw invalidObject([
        { field: 'parent', message: `must name an existing folder; "${parent}" is not one` },
      ]);
  }
  if (method === 'POST' && id === undefined) {
    const record: FolderRecord = { id: core.uuid(), name, parent, type };
    fields(record, b);
    rows.push(record);
    core.state.changed();
    return ok(record, 201);
  }
  if (method === 'PUT' && current) {
    // A rename would strand the objects stored under the old name: the live API refuses it while in use too.
    if (name !== current.name && usersOf(core, current).length)
      throw invalidObject([{ field: 'name', message: `${current.name} is in use and cannot be renamed` }]);
    current.name = name;
    if (type === 'folder') current.parent = parent;
    fields(current, b);
    core.state.changed();
    return ok(current);
  }
  throw notPresent(`no ${type} at ${method} ${collection}${id ? `/${id}` : ''}`);
}
