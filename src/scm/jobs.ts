import type { IrOperation } from '../openapi/ir.js';
import { operationFor } from '../openapi/ir.js';
import type { ScmClient } from './http-client.js';
import { paginate } from './paginate.js';
import { unwrapObject } from './shapes.js';

/** One job, as the wait result shows it. */
export interface JobView {
  id: string;
  parent_id?: string;
  type?: string;
  status: string;
  result: string;
  percent?: number;
  summary?: string;
  description?: string;
  start_ts?: string;
  end_ts?: string;
  /** Parsed from SCM's `details` JSON string: errors and warnings say why a job failed. */
  details?: unknown;
}

// SCM's terminal job states; PUSHSENT is not one (the push is still under way).
const DONE_STATUS = new Set(['FIN', 'PUSHFAIL', 'PUSHABORT', 'PUSHTIMEOUT']);
const DONE_RESULT = new Set(['FAIL', 'CANCELLED', 'TIMEOUT']);
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function parseDetails(details: unknown): unknown {
  if (typeof details !== 'string') return details;
  try {
    return JSON.parse(details);
  } catch {
    return details;
  }
}

export function toJobView(raw: Record<string, unknown>): JobView {
  const percent = Number(raw.percent);
  const view: JobView = {
    id: str(raw.id) ?? '?',
    status: str(raw.status_str) ?? '?',
    result: str(raw.result_str) ?? '?',
  };
  const optional: Array<[keyof JobView, string | undefined]> = [
    ['parent_id', str(raw.parent_id)],
    ['type', str(raw.type_str)],
    ['summary', str(raw.summary) || undefined],
    ['description', str(raw.description) || undefined],
    ['start_ts', str(raw.start_ts)],
    ['end_ts', str(raw.end_ts)],
  ];
  for (const [k, v] of optional) if (v !== undefined) (view as unknown as Record<string, unknown>)[k] = v;
  if (Number.isFinite(percent)) view.percent = percent;
  if (raw.details !== undefined && raw.details !== '') view.details = parseDetails(raw.details);
  return view;
}

export const isJobDone = (j: JobView) => DONE_STATUS.has(j.status) || DONE_RESULT.has(j.result);
export const isJobOk = (j: JobView) => j.status === 'FIN' && j.result === 'OK';
/** A job and its child jobs (a push's per-folder jobs appear once the parent finishes). */
export interface JobWithChildren {
  job: JobView;
  children: JobView[];
  /** The parent and every child job are finished. */
  done: boolean;
  /** ... and all of them FIN/OK. */
  ok: boolean;
}

type Route = Pick<IrOperation, 'path' | 'key' | 'base'>;

/** Reads jobs through the operations the IR marks job-get and job-list: no path is fixed here. */
export class JobReader {
  readonly #client: Pick<ScmClient, 'request'>;
  readonly #get: Route;
  readonly #list: Route;

  constructor(client: Pick<ScmClient, 'request'>, routes: { get: Route; list: Route }) {
    this.#client = client;
    this.#get = routes.get;
    this.#list = routes.list;
  }

  static fromOperations(client: Pick<ScmClient, 'request'>, operations: IrOperation[]): JobReader {
    return new JobReader(client, {
      get: operationFor(operations, 'job-get'),
      list: operationFor(operations, 'job-list'),
    });
  }

  async job(id: string, signal?: AbortSignal): Promise<JobView> {
    const res = await this.#client.request({
      method: 'GET',
      path: this.#get.path,
      pathParams: { id },
      operation: this.#get.key,
      ...(this.#get.base ? { host: this.#get.base.host } : {}),
      ...(signal ? { signal } : {}),
    });
    return toJobView(unwrapObject(res.body));
  }

  /** Child jobs of a push (listed newest first, matched on parent_id). */
  async children(parentId: string, signal?: AbortSignal): Promise<JobView[]> {
    const list = await paginate(
      this.#client,
      {
        method: 'GET',
        path: this.#list.path,
        operation: this.#list.key,
        ...(this.#list.base ? { host: this.#list.base.host } : {}),
        ...(signal ? { signal } : {}),
      },
      { pageSize: 200, max: 1000 },
    );
    return list.data
      .filter((j): j is Record<string, unknown> => !!j && typeof j === 'object')
      .map(toJobView)
      .filter((j) => j.parent_id === parentId);
  }

  async withChildren(id: string): Promise<JobWithChildren> {
    const job = await this.job(id);
    const children = isJobDone(job) ? await this.children(id) : [];
    const all = [job, ...children];
    return { job, children, done: all.every(isJobDone), ok: all.every(isJobOk) };
  }
}
