import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseScopes, type Scope } from './scopes.js';

/** Who is calling over HTTP and what it may do. */
export interface ClientAccess {
  name: string;
  scopes: Scope[];
  /** TSGs this client may name with tsg_id; absent: any configured tenant. */
  tsgs?: string[];
  /** Toolsets listed for this client; absent: the server's selection. */
  toolsets?: string[];
}

interface StoredClient extends ClientAccess {
  token_sha256: string;
}

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** A new client token: random, prefixed so it is recognisable in a secret scanner. */
export const newToken = () => `pam_${randomBytes(32).toString('base64url')}`;

function stringList(v: unknown, where: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !x))
    throw new Error(`${where} must be a list of non-empty strings`);
  return v as string[];
}

/** Reads and checks a clients file; throws naming the client and field at fault. */
export function readClientsFile(path: string): StoredClient[] {
  if (!existsSync(path)) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`clients file ${path}: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const rows = (doc as { clients?: unknown }).clients;
  if (!Array.isArray(rows)) throw new Error(`clients file ${path}: expected {"clients": [...]}`);
  const names = new Set<string>();
  return rows.map((row: Record<string, unknown>, i) => {
    const where = `clients file ${path}: clients[${i}]`;
    if (typeof row.name !== 'string' || !row.name)
      throw new Error(`${where}.name must be a non-empty string`);
    if (names.has(row.name)) throw new Error(`${where}.name ${row.name} is used twice`);
    names.add(row.name);
    if (typeof row.token_sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(row.token_sha256))
      throw new Error(`${where}.token_sha256 must be 64 hex characters (the SHA-256 of the token)`);
    const tsgs = stringList(row.tsgs, `${where}.tsgs`);
    const toolsets = stringList(row.toolsets, `${where}.toolsets`);
    return {
      name: row.name,
      token_sha256: row.token_sha256,
      scopes: parseScopes(stringList(row.scopes, `${where}.scopes`) ?? [], `${where}.scopes`),
      ...(tsgs ? { tsgs } : {}),
      ...(toolsets ? { toolsets } : {}),
    };
  });
}

/** Adds (or replaces) a client and returns its new token; only the hash is written. */
export function addClient(path: string, client: ClientAccess): string {
  const clients = readClientsFile(path).filter((c) => c.name !== client.name);
  const token = newToken();
  clients.push({ ...client, token_sha256: hashToken(token) });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ clients }, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
  return token;
}

/** Finds the client a bearer token belongs to, comparing hashes in constant time against every client. */
export class ClientRegistry {
  private constructor(private readonly clients: StoredClient[]) {}

  static fromFile(path: string): ClientRegistry {
    return new ClientRegistry(readClientsFile(path));
  }

  get size(): number {
    return this.clients.length;
  }

  authenticate(token: string): ClientAccess | undefined {
    const presented = Buffer.from(hashToken(token), 'hex');
    let found: StoredClient | undefined;
    // No early exit: the time taken does not say which client (if any) matched.
    for (const c of this.clients) {
      if (timingSafeEqual(presented, Buffer.from(c.token_sha256, 'hex')) && !found) found = c;
    }
    if (!found) return undefined;
    const { token_sha256: _hash, ...access } = found;
    return access;
  }
}
