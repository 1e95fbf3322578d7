import type { ApprovalMode } from './config.js';
import { SYSTEM_FOLDERS } from './facts.js';
import type { Environment } from './tools/types.js';

const GATE: Record<ApprovalMode, string> = {
  auto: 'Gate: destructive tools (delete, discard candidate, load) and deploy tools (push, enable) send nothing without approval. A call without confirm returns a preview: show it to the user. If they want it, call again with the same arguments and confirm: true; the user is then asked to approve in their client, or, when the client cannot ask, the preview carries an approval_token (single use, 5 minutes, these exact arguments) that must come back with confirm: true. confirm alone is not approval.',
  strict: 'Gate: destructive tools (delete, discard candidate, load) and deploy tools (push, enable) run only after the user approves them in their client\'s approval prompt (call with confirm: true to ask); clients that cannot ask are refused.',
  flag: 'Gate: destructive tools (delete, discard candidate, load) and deploy tools (push, enable) send nothing without confirm: true, and return a preview to show the user instead. Never set confirm without the user approving that exact change.',
};

/** Said once here rather than in each of the tools' descriptions. */
export function serverInstructions(
  environment: Environment,
  opts: { approval?: ApprovalMode; readOnly?: boolean } = {},
): string {
  const env =
    environment === 'sandbox'
      ? 'ENVIRONMENT: SANDBOX. This is a simulated tenant, not a real Prisma Access tenant; nothing you do here affects production. Every result says "environment": "sandbox".'
      : 'ENVIRONMENT: a real Prisma Access tenant (Strata Cloud Manager). Every result says "environment": "scm".';
  return [
    env,
    'Tools map one-to-one to the Prisma Access configuration API (resource_action names, e.g. address_list, security_rule_move).',
    'Candidate vs running: create, update, delete and move change the candidate configuration only. Nothing takes effect until config_version_push; follow its job with job_get until the parent and child jobs are FIN with result OK.',
    `Folders: almost every object call takes folder (case-sensitive): ${SYSTEM_FOLDERS.join(', ')}, or a custom folder or snippet. Listing a custom folder also returns objects inherited from Shared.`,
    'Policy rules take position pre|post (pre rules are evaluated before service-managed rules).',
    'Updates replace the whole object: get it, change fields, send every field back.',
    opts.readOnly
      ? 'READ-ONLY: this server serves read tools only; every change is refused.'
      : GATE[opts.approval ?? 'flag'],
    'folder_list (or the resource scm://folders) gives the folder and snippet names. config_version_push with wait: true waits until the push and its child jobs are done.',
    'Errors come back as results with isError, the SCM error code and a hint; fix the named field and retry.',
  ].join('\n');
}
