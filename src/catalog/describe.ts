import type { IrOperation } from '../spec/ir.js';

/** `mobileAgentAgentProfile` -> `mobile agent agent profile`. */
export function nounFor(resource: string): string {
  return resource.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

const plural = (noun: string) =>
  noun.endsWith('settings')
    ? noun
    : noun.endsWith('y')
      ? `${noun.slice(0, -1)}ies`
      : noun.endsWith('s')
        ? `${noun}es`
        : `${noun}s`;

const CANDIDATE = 'Changes the candidate configuration only: nothing takes effect until config_version_push.';
const GATED = 'Gated: without confirm=true nothing is sent and you get a preview to show the user.';

const SPECIAL: Record<string, string> = {
  'configVersion.push': `Push the candidate configuration to the given folders, making pending changes live. Deploy. ${GATED} Answers with a job id; follow it with job_get.`,
  'configVersion.rollbackCandidate': `Discard ALL pending candidate changes of the tenant (every folder), back to the running configuration. Destructive. ${GATED}`,
  'configVersion.load': `Replace the candidate configuration with a saved config version (pending changes are lost). Destructive. ${GATED}`,
  'configVersion.list': 'List saved configuration versions (one per successful push).',
  'configVersion.get':
    'Get one configuration version by version number (metadata; contents are not readable through the API).',
  'configVersion.getRunning': 'Get the running (last pushed) configuration versions.',
  'job.list': 'List configuration jobs (pushes, validations) with status_str and result_str.',
  'job.get':
    'Get one job by id. A push is done when the parent job is FIN/OK and its child jobs (job_list, parent_id) are FIN/OK.',
  'snapshot.list': 'List configuration snapshots.',
  'prismaAccess.enable': `Enable Prisma Access for the tenant (starts provisioning). Deploy. ${GATED}`,
  'mobileAgent.enable': `Enable the GlobalProtect mobile agent service. Deploy. ${GATED}`,
  'mobileAgent.getEnabled': 'Tell whether the GlobalProtect mobile agent service is enabled.',
};

/** The tool description, in our own words (upstream prose is never committed, and rarely says this). */
export function describeOperation(op: IrOperation): string {
  const special = SPECIAL[op.key];
  if (special) return special;
  const noun = nounFor(op.resource);
  const byId = op.inputs.some((i) => i.source === 'path');
  const inFolder = op.inputs.some((i) => i.name === 'folder');
  const where = inFolder ? ' in a folder' : '';
  const position = op.inputs.some((i) => i.name === 'position')
    ? ' position pre|post picks the rulebase.'
    : '';
  switch (op.action) {
    case 'list':
      return op.paged
        ? `List ${plural(noun)}${where}. Returns {data,total,limit,offset}; name filters by exact name.${position}`
        : `List ${plural(noun)}${where}.`;
    case 'get':
      return byId ? `Get one ${noun} by id.` : `Get the ${noun}${where}.`;
    case 'create':
      return `Create a ${noun}${where}.${position} ${CANDIDATE}`;
    case 'update':
      return byId
        ? `Replace a ${noun} by id with the full object (read it, change fields, send every field). ${CANDIDATE}`
        : `Update the ${noun}${where}. ${CANDIDATE}`;
    case 'delete':
      return `Delete ${byId ? `a ${noun} by id` : `the named ${noun}`}. Destructive. ${GATED} ${CANDIDATE}`;
    case 'move':
      return `Move a ${noun} within its rulebase: destination top|bottom|before|after (destination_rule for before/after), rulebase pre|post. ${CANDIDATE}`;
    case 'import':
      return `Import a ${noun}${where}. ${CANDIDATE}`;
    default:
      return `${op.action} ${noun}${where}. ${CANDIDATE}`;
  }
}

/** A short human title: `Create address`. */
export function titleFor(op: IrOperation): string {
  const verb = op.action.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${verb.charAt(0).toUpperCase()}${verb.slice(1)} ${nounFor(op.resource)}`;
}
