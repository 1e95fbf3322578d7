import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** One tenant from --tenants: a TSG, its alias, and either its own service account or the default one. */
export interface TenantEntry {
  tsgId: string;
  alias?: string;
  /** Descendant TSGs of this one may be used too (one service account at a parent TSG). */
  descendants: boolean;
  credentials?: { clientId: string; clientSecret: string };
}

/**
 * Reads a tenants file (YAML or JSON):
 *   tenants:
 *     - { tsg_id: "1234567890", alias: mssp, descendants: true }
 *     - { tsg_id: "2000000001", alias: other, client_id: ..., client_secret_env: OTHER_SECRET }
 * Secrets come from the environment variable the entry names, never from the file.
 */
export function readTenantsFile(path: string, env: NodeJS.ProcessEnv = process.env): TenantEntry[] {
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`tenants file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const rows = (doc as { tenants?: unknown } | null)?.tenants;
  if (!Array.isArray(rows)) throw new Error(`tenants file ${path}: expected a "tenants" list`);
  const seen = new Set<string>();
  return rows.map((row: Record<string, unknown>, i) => {
    const where = `tenants file ${path}: tenants[${i}]`;
    const tsgId = typeof row.tsg_id === 'number' ? String(row.tsg_id) : row.tsg_id;
    if (typeof tsgId !== 'string' || !/^\d+$/.test(tsgId))
      throw new Error(`${where}.tsg_id must be a TSG id (digits)`);
    if (row.alias !== undefined && (typeof row.alias !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(row.alias)))
      throw new Error(`${where}.alias must be letters, digits, _ . or -`);
    for (const key of [tsgId, row.alias as string | undefined]) {
      if (key === undefined) continue;
      if (seen.has(key)) throw new Error(`${where}: ${key} is used twice`);
      seen.add(key);
    }
    if (row.client_secret !== undefined)
      throw new Error(
        `${where}.client_secret: keep secrets out of the file; name an environment variable in client_secret_env`,
      );
    let credentials: TenantEntry['credentials'];
    if (row.client_id !== undefined || row.client_secret_env !== undefined) {
      if (typeof row.client_id !== 'string' || typeof row.client_secret_env !== 'string')
        throw new Error(`${where}: client_id and client_secret_env go together`);
      const secret = env[row.client_secret_env];
      if (!secret)
        throw new Error(
          `${where}.client_secret_env: environment variable ${row.client_secret_env} is not set`,
        );
      credentials = { clientId: row.client_id, clientSecret: secret };
    }
    return {
      tsgId,
      ...(typeof row.alias === 'string' ? { alias: row.alias } : {}),
      descendants: row.descendants === true,
      ...(credentials ? { credentials } : {}),
    };
  });
}
