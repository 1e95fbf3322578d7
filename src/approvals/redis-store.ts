import type { Client } from '../store/redis-kv.js';
import type { ApprovalRecord, ApprovalStore } from './types.js';

type Patch = Partial<Pick<ApprovalRecord, 'state' | 'decidedBy' | 'decidedAt' | 'note'>>;

/** Fields that change after creation live beside the record's JSON, so a transition never rewrites it. */
const MUTABLE = ['state', 'decidedBy', 'decidedAt', 'note'] as const;

/** How long a decided or expired request stays listed after it expires. */
const KEEP_MS = 3600_000;

// Compare-and-set in one step on the server: of two replicas deciding one request, only one sees `from`.
// ARGV: from, now, then field/value pairs. A pending or approved request past its time counts as expired.
const TRANSITION = `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return nil end
local expires = tonumber(redis.call('HGET', KEYS[1], 'expiresAt'))
if (state == 'pending' or state == 'approved') and tonumber(ARGV[2]) >= expires then state = 'expired' end
if state ~= ARGV[1] then return nil end
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return redis.call('HGETALL', KEYS[1])
`;

/** Approvals in Redis: every replica sees the same pending requests, decisions and single use. */
export class RedisApprovalStore implements ApprovalStore {
  readonly #c: Client;
  readonly #prefix: string;
  readonly #max: number;
  readonly #now: () => number;

  constructor(client: Client, opts: { prefix?: string; max?: number; now?: () => number } = {}) {
    this.#c = client;
    this.#prefix = `${opts.prefix ?? 'prisma-access-mcp:'}approval:`;
    this.#max = opts.max ?? 500;
    this.#now = opts.now ?? Date.now;
  }

  async create(record: ApprovalRecord): Promise<void> {
    const key = this.#prefix + record.id;
    const fields: Record<string, string> = {
      json: JSON.stringify(record),
      expiresAt: String(record.expiresAt),
    };
    for (const f of MUTABLE) if (record[f] !== undefined) fields[f] = String(record[f]);
    await this.#c
      .multi()
      .hSet(key, fields)
      .pExpire(key, Math.max(1, record.expiresAt - this.#now() + KEEP_MS))
      .zAdd(this.#index, { score: record.createdAt, value: record.id })
      .zRemRangeByRank(this.#index, 0, -(this.#max + 1))
      .exec();
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    return this.#parse(await this.#c.hGetAll(this.#prefix + id));
  }

  async list(): Promise<ApprovalRecord[]> {
    const ids = await this.#c.zRange(this.#index, 0, this.#max - 1, { REV: true });
    if (!ids.length) return [];
    const multi = this.#c.multi();
    for (const id of ids) multi.hGetAll(this.#prefix + id);
    const rows = (await multi.exec()) as unknown as Record<string, string>[];
    const gone = ids.filter((_, i) => !rows[i] || !rows[i].json);
    if (gone.length) await this.#c.zRem(this.#index, gone);
    return rows.map((r) => this.#parse(r)).filter((r): r is ApprovalRecord => r !== undefined);
  }

  async transition(
    id: string,
    from: ApprovalRecord['state'],
    patch: Patch,
  ): Promise<ApprovalRecord | undefined> {
    const args = [from, String(this.#now())];
    for (const f of MUTABLE) if (patch[f] !== undefined) args.push(f, String(patch[f]));
    const reply = (await this.#c.eval(TRANSITION, { keys: [this.#prefix + id], arguments: args })) as
      string[] | null;
    if (!reply) return undefined;
    const fields: Record<string, string> = {};
    for (let i = 0; i + 1 < reply.length; i += 2) fields[reply[i]!] = reply[i + 1]!;
    return this.#parse(fields);
  }

  get #index(): string {
    return `${this.#prefix}index`;
  }

  #parse(fields: Record<string, string> | undefined): ApprovalRecord | undefined {
    if (!fields?.json) return undefined;
    const r = JSON.parse(fields.json) as ApprovalRecord;
    r.state = fields.state as ApprovalRecord['state'];
    if (fields.decidedBy !== undefined) r.decidedBy = fields.decidedBy;
    if (fields.decidedAt !== undefined) r.decidedAt = Number(fields.decidedAt);
    if (fields.note !== undefined) r.note = fields.note;
    if ((r.state === 'pending' || r.state === 'approved') && this.#now() >= r.expiresAt) r.state = 'expired';
    return r;
  }
}
