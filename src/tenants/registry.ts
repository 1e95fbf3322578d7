import type { ScmClient } from '../scm/http-client.js';
import type { ScmAnswer, ScmTransport } from '../tools/types.js';
import type { TenantEntry } from './tenants-file.js';

export interface TsgInfo {
  id: string;
  display_name?: string;
  parent_id?: string;
}

/** A TSG outside the allowlist: refused before anything is sent for it. */
export class TenantNotAllowed extends Error {
  readonly code = 'TSG_NOT_ALLOWED';
  readonly hint: string;
  constructor(tsg: string, known: string[]) {
    super(`TSG ${tsg} is not one of this server's tenants. Nothing was sent.`);
    this.hint = `Use one of: ${known.join(', ')}, or ask the operator to add it to the tenants file (--tenants).`;
  }
}

const TREE_TTL_MS = 5 * 60_000;
export const TENANCY_PATH = '/tenancy/v1/tenant_service_groups';

/**
 * The tenants a call may name with tsg_id: the configured TSG, the tenants file, and descendants of entries
 * that allow them. Routes each request to the service account for its TSG (tokens cached per account and TSG).
 */
export class TenantRegistry implements ScmTransport {
  readonly defaultTsgId: string;
  readonly #entries: TenantEntry[];
  readonly #clients = new Map<string, ScmClient>();
  readonly #defaultClient: ScmClient;
  readonly #trees = new Map<string, { at: number; items: TsgInfo[] }>();

  constructor(
    defaultClient: ScmClient,
    entries: TenantEntry[],
    makeClient: (e: TenantEntry & { credentials: NonNullable<TenantEntry['credentials']> }) => ScmClient,
  ) {
    this.#defaultClient = defaultClient;
    this.defaultTsgId = defaultClient.tokens.defaultTsgId;
    const hasDefault = entries.some((e) => e.tsgId === this.defaultTsgId);
    this.#entries = hasDefault ? entries : [{ tsgId: this.defaultTsgId, descendants: false }, ...entries];
    for (const e of this.#entries)
      if (e.credentials) this.#clients.set(e.tsgId, makeClient({ ...e, credentials: e.credentials }));
  }

  get entries(): readonly TenantEntry[] {
    return this.#entries;
  }

  get multi(): boolean {
    return this.#entries.length > 1 || this.#entries.some((e) => e.descendants);
  }

  /** A TSG id from an id or alias; undefined is the default TSG. */
  idFor(tsgOrAlias: string | undefined): string {
    if (tsgOrAlias === undefined) return this.defaultTsgId;
    return this.#entries.find((e) => e.alias === tsgOrAlias)?.tsgId ?? tsgOrAlias;
  }

  /** The entry that serves a TSG: its own, or an ancestor that allows descendants (null: not allowed). */
  async entryFor(tsgId: string): Promise<TenantEntry | undefined> {
    const own = this.#entries.find((e) => e.tsgId === tsgId);
    if (own) return own;
    for (const e of this.#entries.filter((x) => x.descendants)) {
      const tree = await this.tree(e.tsgId).catch(() => []);
      if (tree.some((t) => t.id === tsgId)) return e;
    }
    return undefined;
  }

  /** Throws TenantNotAllowed unless the TSG is a tenant of this server. */
  async check(tsgId: string): Promise<TenantEntry> {
    const entry = await this.entryFor(tsgId);
    if (!entry)
      throw new TenantNotAllowed(
        tsgId,
        this.#entries.map((e) => (e.alias ? `${e.tsgId} (${e.alias})` : e.tsgId)),
      );
    return entry;
  }

  /** The client holding the service account for an entry. */
  clientFor(entry: TenantEntry): ScmClient {
    return this.#clients.get(entry.tsgId) ?? this.#defaultClient;
  }

  /** TSGs the entry's token can see (the tenancy API), cached for a few minutes. */
  async tree(tsgId: string): Promise<TsgInfo[]> {
    const cached = this.#trees.get(tsgId);
    if (cached && Date.now() - cached.at < TREE_TTL_MS) return cached.items;
    const entry = this.#entries.find((e) => e.tsgId === tsgId);
    const client = entry ? this.clientFor(entry) : this.#defaultClient;
    const res = await client.request({ method: 'GET', path: TENANCY_PATH, operation: 'tenancy.list', tsgId });
    const items = ((res.body as { items?: unknown })?.items ?? []) as TsgInfo[];
    this.#trees.set(tsgId, { at: Date.now(), items });
    return items;
  }

  async request(req: Parameters<ScmTransport['request']>[0]): Promise<ScmAnswer> {
    const tsgId = req.tsgId ?? this.defaultTsgId;
    const entry = await this.check(tsgId);
    return this.clientFor(entry).request({ ...req, tsgId });
  }
}
