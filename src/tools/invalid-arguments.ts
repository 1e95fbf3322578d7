import type { ZodIssue } from 'zod';

/** What the user (or model) got wrong in a tool call: said field by field, and nothing was sent. */
export class InvalidArguments extends Error {
  readonly code = 'INVALID_ARGUMENTS';
  constructor(
    readonly tool: string,
    readonly problems: { field: string; message: string }[],
  ) {
    super(`Invalid arguments for ${tool}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
    this.name = 'InvalidArguments';
  }
}

function fieldOf(issue: ZodIssue): string {
  const path = issue.path.length ? issue.path.join('.') : '(arguments)';
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((k) => (issue.path.length ? `${path}.${k}` : k)).join(', ');
  return path;
}

function messageOf(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.received === 'undefined'
        ? `required (${issue.expected})`
        : `expected ${issue.expected}, got ${issue.received}`;
    case 'invalid_enum_value':
      return `expected one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}, got ${JSON.stringify(issue.received)}`;
    case 'unrecognized_keys':
      return 'unknown field (check the tool schema for the field names)';
    default:
      return issue.message;
  }
}

export function fromZodIssues(tool: string, issues: ZodIssue[]): InvalidArguments {
  return new InvalidArguments(
    tool,
    issues.map((i) => ({ field: fieldOf(i), message: messageOf(i) })),
  );
}
