import type { Environment } from './tools/types.js';

/** Said once here rather than in each of the tools' descriptions. */
export function serverInstructions(environment: Environment): string {
  const env =
    environment === 'sandbox'
      ? 'ENVIRONMENT: SANDBOX. This is a simulated tenant, not a real Prisma Access tenant; nothing you do here affects production. Every result says "environment": "sandbox".'
      : 'ENVIRONMENT: a real Prisma Access tenant (Strata Cloud Manager). Every result says "environment": "scm".';
  return [
    env,
    'Tools map one-to-one to the Prisma Access configuration API (resource_action names, e.g. address_list, security_rule_move).',
    'Candidate vs running: create, update, delete and move change the candidate configuration only. Nothing takes effect until config_version_push; follow its job with job_get until the parent and child jobs are FIN with result OK.',
    'Folders: almost every object call takes folder (case-sensitive): Shared, Mobile Users, Remote Networks, Service Connections, Mobile Users Container, Mobile Users Explicit Proxy, or a custom folder or snippet. Listing a custom folder also returns objects inherited from Shared.',
    'Policy rules take position pre|post (pre rules are evaluated before service-managed rules).',
    'Updates replace the whole object: get it, change fields, send every field back.',
    'Gate: destructive tools (delete, discard candidate, load) and deploy tools (push, enable) send nothing without confirm: true, and return a preview to show the user instead. Never set confirm without the user approving that exact change.',
    'Errors come back as results with isError, the SCM error code and a hint; fix the named field and retry.',
  ].join('\n');
}
