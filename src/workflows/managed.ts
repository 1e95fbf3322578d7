/** Names and limits of the objects the indicator workflows own in a folder (documented in the README). */

export type Direction = 'both' | 'inbound' | 'outbound';

export const MANAGED = {
  tag: 'mcp-blocked',
  /** Static address groups: `mcp-blocked-addresses`, then `-2`, `-3`, ... past the member limit. */
  group: 'mcp-blocked-addresses',
  category: 'mcp-blocked-urls',
  rules: {
    inbound: 'mcp-block-inbound',
    outbound: 'mcp-block-outbound',
    urls: 'mcp-block-urls',
  },
} as const;

/**
 * Members per managed static group before spilling into the next. PAN-OS documents 2,500 members per address group
 * on most platforms; staying at that keeps a push from failing on a smaller limit.
 */
export const GROUP_MEMBER_LIMIT = 2500;

export const groupName = (n: number) => (n <= 1 ? MANAGED.group : `${MANAGED.group}-${n}`);

/** Index of a managed group name (1 for the base), or undefined for any other name. */
export function groupIndex(name: string): number | undefined {
  if (name === MANAGED.group) return 1;
  const m = new RegExp(`^${MANAGED.group}-(\\d+)$`).exec(name);
  return m ? Number(m[1]) : undefined;
}

export type RuleRole = keyof typeof MANAGED.rules;

/** Which managed rules a direction needs: inbound blocks sources, outbound destinations and URLs. */
export function rulesFor(direction: Direction): RuleRole[] {
  if (direction === 'inbound') return ['inbound'];
  if (direction === 'outbound') return ['outbound', 'urls'];
  return ['inbound', 'outbound', 'urls'];
}

/** A description under SCM's limit, saying who made the object and why. */
export function describeManaged(what: string, reason?: string, ticket?: string): string {
  const parts = [`${what} (managed by prisma-access-mcp)`, reason, ticket ? `ticket ${ticket}` : undefined];
  return parts.filter(Boolean).join('; ').slice(0, 1023);
}
