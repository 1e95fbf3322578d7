import type { ServedTool } from '../tools/served-tool.js';

/** Scopes of this server's own clients, one per safety class (SCM-NOTES "Scoped access"). */
export const SCOPES = ['config:read', 'config:write', 'config:delete', 'config:deploy'] as const;
export type Scope = (typeof SCOPES)[number];

const SCOPE_FOR: Record<ServedTool['safety'], Scope> = {
  read: 'config:read',
  write: 'config:write',
  destructive: 'config:delete',
  deploy: 'config:deploy',
};

export const scopeFor = (safety: ServedTool['safety']): Scope => SCOPE_FOR[safety];

export const isScope = (s: string): s is Scope => (SCOPES as readonly string[]).includes(s);

/** Parses a comma list or array of scopes; throws naming the first unknown one. */
export function parseScopes(input: string | readonly string[], where = 'scopes'): Scope[] {
  const items = (typeof input === 'string' ? input.split(/[,\s]+/) : [...input])
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length) throw new Error(`${where}: at least one scope is required (${SCOPES.join(', ')})`);
  for (const s of items)
    if (!isScope(s)) throw new Error(`${where}: unknown scope ${s}; expected ${SCOPES.join(', ')}`);
  return [...new Set(items)] as Scope[];
}
