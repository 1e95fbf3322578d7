import type { IrOperation } from '../openapi/ir.js';
import { returnsFor } from './returns.js';

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

// What every write, gated and list tool has in common (candidate only, confirmation, paging, the result's envelope)
// is said once in the server instructions (src/instructions.ts), not in 344 descriptions: tools/list must stay
// small. A gated tool says so by its destructiveHint and its confirm argument.

const article = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);

const SPECIAL: Record<string, string> = {
  'configVersion.push': `Push the candidate configuration to the given folders, making pending changes live. Deploy. Returns result.job_id: follow it with job_get, or pass wait: true to wait until the push is done (then every job's status).`,
  'configVersion.rollbackCandidate': `Discard ALL pending candidate changes of the tenant (every folder), back to the running configuration. Destructive.`,
  'configVersion.load': `Replace the candidate configuration with a saved config version (pending changes are lost). Destructive.`,
  'configVersion.list': 'List saved configuration versions (one per successful push).',
  'configVersion.get':
    'Get one configuration version by version number (metadata; contents are not readable through the API).',
  'configVersion.getRunning': 'Get the running (last pushed) configuration versions.',
  'job.list': 'List configuration jobs (pushes, validations) with status_str and result_str.',
  'job.get':
    'Get one job by id. A push is done when the parent job is FIN/OK and its child jobs (job_list, parent_id) are FIN/OK.',
  'snapshot.list': 'List configuration snapshots.',
  'prismaAccess.enable': `Enable Prisma Access for the tenant (starts provisioning). Deploy.`,
  'mobileAgent.enable': `Enable the GlobalProtect mobile agent service. Deploy.`,
  'mobileAgent.getEnabled': 'Tell whether the GlobalProtect mobile agent service is enabled.',
};

/** The tool description, in our own words (upstream prose is never committed, and rarely says this). */
export function describeOperation(op: IrOperation): string {
  const special = SPECIAL[op.key];
  if (special) return op.role === 'push' ? special : `${special.replace(/\.$/, '')} → ${returnsFor(op)}.`;
  return `${whatItDoes(op)} → ${returnsFor(op)}.`;
}

function whatItDoes(op: IrOperation): string {
  const noun = nounFor(op.resource);
  const byId = op.inputs.some((i) => i.source === 'path');
  switch (op.action) {
    case 'list':
      return `List ${plural(noun)}`;
    case 'get':
      return byId ? `Get one ${noun} by id` : `Get the ${noun}`;
    case 'create':
      return `Create ${article(noun)}`;
    case 'update': {
      // Which fields are dropped is said once in the server instructions (70 update tools take them).
      const asGot = op.droppedInputs?.length ? ' (as get returns it)' : '';
      return byId ? `Replace ${article(noun)} by id${asGot}` : `Update the ${noun}`;
    }
    case 'delete':
      return `Delete ${byId ? `${article(noun)} by id` : `the named ${noun}`}`;
    case 'move':
      return `Move ${article(noun)} in its rulebase (destination_rule for before/after)`;
    case 'import':
      return `Import ${article(noun)}`;
    default:
      return `${op.action} ${noun}`;
  }
}

/** A short human title: `Create address`. */
export function titleFor(op: IrOperation): string {
  const verb = op.action.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${verb.charAt(0).toUpperCase()}${verb.slice(1)} ${nounFor(op.resource)}`;
}
