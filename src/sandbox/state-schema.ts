import { Ajv, type ErrorObject } from 'ajv';

/** The shape a state file must have to be loaded (StateData in state.ts); extra keys are tolerated. */
const stored = {
  type: 'object',
  required: ['id', 'data'],
  properties: {
    id: { type: 'string' },
    folder: { type: 'string' },
    snippet: { type: 'string' },
    position: { enum: ['pre', 'post'] },
    data: { type: 'object' },
  },
};
const config = { type: 'object', additionalProperties: { type: 'array', items: stored } };
const STATE_SCHEMA = {
  type: 'object',
  required: [
    'folders',
    'candidate',
    'running',
    'versions',
    'runningVersions',
    'jobs',
    'pushes',
    'nextJobId',
    'enabled',
  ],
  properties: {
    folders: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'parent', 'type'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          parent: { type: 'string' },
          type: { enum: ['folder', 'snippet'] },
        },
      },
    },
    candidate: config,
    running: config,
    versions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['version', 'config'],
        properties: { version: { type: 'integer' }, config },
      },
    },
    runningVersions: { type: 'object' },
    jobs: {
      type: 'array',
      items: { type: 'object', required: ['id', 'status_str'], properties: { id: { type: 'string' } } },
    },
    pushes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['jobId', 'childIds', 'folders', 'startMs', 'durationMs', 'config', 'errors', 'phase'],
        properties: {
          jobId: { type: 'string' },
          childIds: { type: 'array', items: { type: 'string' } },
          folders: { type: 'array', items: { type: 'string' } },
          startMs: { type: 'number' },
          durationMs: { type: 'number' },
          config,
          errors: { type: 'array', items: { type: 'string' } },
          phase: { enum: ['parent', 'children', 'done'] },
        },
      },
    },
    nextJobId: { type: 'integer' },
    enabled: {
      type: 'object',
      required: ['prismaAccess', 'mobileAgent'],
      properties: { prismaAccess: { type: 'boolean' }, mobileAgent: { type: 'boolean' } },
    },
  },
};

let compiled: ReturnType<Ajv['compile']> | undefined;

const where = (e: ErrorObject) => {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
  const missing = (e.params as { missingProperty?: string }).missingProperty;
  return missing ? (path ? `${path}.${missing}` : missing) : path;
};

/** The first few problems with a parsed state file, as `path: problem`; empty when it has the right shape. */
export function stateProblems(data: unknown): string[] {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile(STATE_SCHEMA);
  if (compiled(data)) return [];
  return (compiled.errors ?? [])
    .slice(0, 5)
    .map((e) => `${where(e)}: ${e.keyword === 'required' ? 'is required' : (e.message ?? e.keyword)}`);
}
