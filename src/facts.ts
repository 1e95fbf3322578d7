/** Facts about SCM and this server that several layers need: each said once, here. */

/** The system folders every tenant has, with their parents (SCM-NOTES). Custom folders and snippets add to them. */
export const SYSTEM_FOLDER_TREE = [
  { name: 'Shared', parent: undefined },
  { name: 'Mobile Users Container', parent: 'Shared' },
  { name: 'Mobile Users', parent: 'Mobile Users Container' },
  { name: 'Mobile Users Explicit Proxy', parent: 'Mobile Users Container' },
  { name: 'Remote Networks', parent: 'Shared' },
  { name: 'Service Connections', parent: 'Shared' },
] as const;

export const SYSTEM_FOLDERS: readonly string[] = SYSTEM_FOLDER_TREE.map((f) => f.name);

/** The containers an object lives in (exactly one of them): objects as the API returns them carry it. */
export const CONTAINER_FIELDS = ['folder', 'snippet', 'device'] as const;

/** Arguments the server consumes itself (gate, push wait, list shaping): never sent upstream, never body fields. */
export const CONTROL_ARGS = ['confirm', 'approval_token', 'wait', 'fields', 'all', 'tsg_id'] as const;

/** `all: true` reads pages until this many items (results are then cut to the budget, with next_offset). */
export const LIST_ALL_MAX_ITEMS = 5000;

/** Tools the server serves itself (folders resource, discovery): generated tools must never take these names. */
export const SERVER_TOOL_NAMES: readonly string[] = [
  'folder_list',
  'tool_search',
  'tool_describe',
  'tool_call',
];
