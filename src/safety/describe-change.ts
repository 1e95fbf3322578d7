import { nounFor } from '../catalog/describe.js';
import type { ScmClient } from '../scm/http-client.js';
import { unwrapObject } from '../scm/shapes.js';
import { CANDIDATE_RESETS, type IrOperation } from '../openapi/ir.js';
import type { ScmRequestSpec } from '../tools/build-request.js';
import type { Environment } from '../tools/types.js';
import type { ChangeJournal, JournalEntry } from './change-journal.js';
import { describeIntent, requestPreview } from './preview.js';

/** The part of the SCM client a name lookup needs. */
export type LookupClient = Pick<ScmClient, 'request'>;

/** An object a gated call acts on, named when the lookup worked. */
export interface ObjectRef {
  type: string;
  id?: string;
  name?: string;
  folder?: string;
}

/** What a gated call will do, in plain words and facts: for previews and approval prompts. */
export interface ChangeSummary {
  tool: string;
  /** One sentence: "Delete address "ioc-1" (id …) from folder Shared." */
  action: string;
  /** candidate: needs a push to take effect; live: takes effect now. */
  effect: 'candidate' | 'live';
  folders: string[];
  objects: ObjectRef[];
  /** Push, discard and load: the changes made through this server since the last push. */
  pendingChanges?: JournalEntry[];
  /** Push: static checks of the folders' candidate (config_check), when the hook is attached. */
  configCheck?: PushCheckResult;
}

export interface PushCheckResult {
  summary: string;
  errors: number;
  problems: { severity: string; folder: string; object: string; field: string; message: string }[];
}

/** Attached after construction (the workflows that implement it are built later): checks a push's folders. */
export interface PushCheckHook {
  run?: (folders: string[], signal?: AbortSignal) => Promise<PushCheckResult>;
}


const str = (v: unknown) =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
const quote = (s: string) => `"${s}"`;

function refText(ref: ObjectRef): string {
  const what = ref.name
    ? `${ref.type} ${quote(ref.name)}${ref.id ? ` (id ${ref.id})` : ''}`
    : `${ref.type} with id ${ref.id ?? '?'}`;
  return ref.folder ? `${what} in folder ${ref.folder}` : what;
}

const PAST: Record<string, string> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  move: 'moved',
  import: 'imported',
};

export function journalLine(e: JournalEntry): string {
  const what = e.name
    ? `${nounFor(e.resource)} ${quote(e.name)}`
    : `${nounFor(e.resource)}${e.id ? ` id ${e.id}` : ''}`;
  return `${PAST[e.action] ?? e.action} ${what}${e.folder ? ` in ${e.folder}` : ''}`;
}

/** The facts every gated-call preview starts with: what, where, which objects, the request. */
export function previewHead(op: IrOperation, s: ChangeSummary, req: ScmRequestSpec): Record<string, unknown> {
  return {
    operation: op.key,
    executed: false,
    would: s.action,
    ...(s.folders.length ? { folders: s.folders } : {}),
    ...(s.objects.length ? { objects: s.objects } : {}),
    ...(s.pendingChanges ? { changes_since_last_push: s.pendingChanges.map(journalLine) } : {}),
    ...(s.configCheck ? { config_check: { summary: s.configCheck.summary, problems: s.configCheck.problems.slice(0, 20) } } : {}),
    request: requestPreview(req),
  };
}

export interface ChangeDescriberOptions {
  client: LookupClient;
  operations: IrOperation[];
  journal?: ChangeJournal;
  environment: Environment;
  tsgId: string;
  /** A lookup that takes longer is given up (the prompt then shows ids). Default 5 s. */
  lookupTimeoutMs?: number;
  pushCheck?: PushCheckHook;
}

/** Turns a gated call into what a person needs to judge it: names looked up, not just ids. */
export class ChangeDescriber {
  readonly #opts: ChangeDescriberOptions;
  /** GET-by-id operation per item path (`/sse/config/v1/addresses/{id}`). */
  readonly #getters: Map<string, IrOperation>;

  constructor(opts: ChangeDescriberOptions) {
    this.#opts = opts;
    this.#getters = new Map(
      opts.operations.filter((o) => o.method === 'GET' && o.path.endsWith('{id}')).map((o) => [o.path, o]),
    );
  }

  async summarize(op: IrOperation, req: ScmRequestSpec, signal?: AbortSignal): Promise<ChangeSummary> {
    const type = nounFor(op.resource);
    const folder = str(req.query.folder);
    const folders = Array.isArray(req.body?.folders) ? (req.body.folders as unknown[]).map(String) : [];
    const base = { tool: op.tool, folders: folder ? [folder] : folders, objects: [] as ObjectRef[] };
    // Push, discard and load: what they publish or lose is every pending change.
    if (op.role && CANDIDATE_RESETS.has(op.role)) {
      const effect = op.role === 'push' ? 'live' : 'candidate';
      const pendingChanges = this.#opts.journal?.entries() ?? [];
      const configCheck = op.role === 'push' ? await this.#check(base.folders, signal) : undefined;
      return { ...base, action: describeIntent(op, req), effect, pendingChanges, ...(configCheck ? { configCheck } : {}) };
    }
    if (op.safety === 'deploy') return { ...base, action: describeIntent(op, req), effect: 'live' };
    if (op.action !== 'delete') return { ...base, action: describeIntent(op, req), effect: 'candidate' };

    const id = req.pathParams.id;
    const ref: ObjectRef = id
      ? { type, id, ...(await this.#lookup(op, id, signal)) }
      : {
          type,
          ...(str(req.query.name) ? { name: str(req.query.name) } : {}),
          ...(str(req.query.host_id) ? { id: str(req.query.host_id) } : {}),
        };
    if (!ref.folder && folder) ref.folder = folder;
    if (id)
      this.#opts.journal?.remember(id, {
        ...(ref.name ? { name: ref.name } : {}),
        ...(ref.folder ? { folder: ref.folder } : {}),
      });
    return {
      ...base,
      folders: ref.folder ? [ref.folder] : base.folders,
      objects: [ref],
      action: `Delete ${refText(ref)}${id && !ref.name ? ' (its name could not be looked up)' : ''}.`,
      effect: 'candidate',
    };
  }

  /** The push check, if attached; a failure leaves it out of the preview rather than blocking the approval. */
  async #check(folders: string[], signal?: AbortSignal): Promise<PushCheckResult | undefined> {
    const run = this.#opts.pushCheck?.run;
    if (!run || !folders.length) return undefined;
    try {
      return await run(folders, signal);
    } catch {
      return undefined;
    }
  }

  /** Name and folder of the object, read through the same client; any failure just leaves them out. */
  async #lookup(
    op: IrOperation,
    id: string,
    signal?: AbortSignal,
  ): Promise<{ name?: string; folder?: string }> {
    const getter = this.#getters.get(op.path);
    if (!getter) return {};
    const timeout = AbortSignal.timeout(this.#opts.lookupTimeoutMs ?? 5000);
    try {
      const res = await this.#opts.client.request({
        method: 'GET',
        path: getter.path,
        pathParams: { id },
        operation: getter.key,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      const obj = unwrapObject(res.body);
      const name = str(obj.name) ?? str(obj.certificate_name);
      const folder = str(obj.folder) ?? str(obj.snippet);
      return { ...(name ? { name } : {}), ...(folder ? { folder } : {}) };
    } catch {
      return {};
    }
  }

  /** The approval prompt: what, where, on which tenant, and for a push what it publishes. */
  message(s: ChangeSummary): string {
    const { environment, tsgId } = this.#opts;
    const tenant =
      environment === 'sandbox'
        ? `Tenant: the SANDBOX (a simulated tenant, TSG ${tsgId}); nothing real changes.`
        : `Tenant: Prisma Access TSG ${tsgId} (a real tenant).`;
    const effect =
      s.effect === 'live'
        ? 'This takes effect on Prisma Access.'
        : 'This changes the candidate configuration; it takes effect at the next push.';
    const lines = [`An assistant asks to do this:`, '', s.action, '', `Tool: ${s.tool}`, tenant, effect];
    if (s.pendingChanges) {
      const shown = s.pendingChanges.slice(0, 20);
      lines.push(
        '',
        shown.length
          ? `Changes made through this server since the last push (${s.pendingChanges.length}):`
          : 'No changes were made through this server since the last push.',
        ...shown.map((e) => `- ${journalLine(e)}`),
        ...(s.pendingChanges.length > shown.length
          ? [`- and ${s.pendingChanges.length - shown.length} more`]
          : []),
        'Changes made elsewhere (for example in Strata Cloud Manager) are included too but not listed here.',
      );
    }
    if (s.configCheck) {
      const errors = s.configCheck.problems.filter((p) => p.severity === 'error').slice(0, 5);
      lines.push('', `Config check: ${s.configCheck.summary}.`, ...errors.map((p) => `- ${p.object} in ${p.folder}, ${p.field}: ${p.message}`));
    }
    lines.push('', 'Approve?');
    return lines.join('\n');
  }
}
