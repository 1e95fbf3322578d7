import type { IrOperation } from '../openapi/ir.js';
import type { ScmRequestSpec } from '../tools/build-request.js';

/** A plain-words account of what a gated call would do, for previews and approval prompts. */
export function describeIntent(op: IrOperation, req: ScmRequestSpec): string {
  // `folders` on /sse/config/v1; the unified API's push names the list `folder`.
  const list = req.body?.folders ?? req.body?.folder;
  const folders = Array.isArray(list) ? (list as unknown[]).map(String) : [];
  const inBody = typeof req.body?.folder === 'string' ? req.body.folder : undefined;
  const folder = req.query.folder ?? inBody ?? (folders.length ? folders.join(', ') : undefined);
  const target = req.pathParams.id
    ? ` id ${req.pathParams.id}`
    : req.query.name
      ? ` named ${String(req.query.name)}`
      : '';
  const where = folder ? ` in ${String(folder)}` : '';
  switch (op.role) {
    case 'push':
      return `Push the candidate configuration of ${folders.length === 1 ? 'folder' : 'folders'} ${folders.join(', ')} to Prisma Access: pending changes there go live.`;
    case 'discard-candidate':
      return 'Discard every pending change of the candidate configuration, in every folder.';
    case 'load-version':
      return `Replace the candidate configuration with saved version ${String(req.body?.version ?? '?')}; every pending change is lost.`;
    default:
      return `${op.action} ${op.resource}${target}${where} (${req.method} ${op.path}).`;
  }
}

export function requestPreview(req: ScmRequestSpec): Record<string, unknown> {
  return {
    method: req.method,
    path: req.path,
    path_params: req.pathParams,
    query: req.query,
    ...(req.body ? { body: req.body } : {}),
  };
}
