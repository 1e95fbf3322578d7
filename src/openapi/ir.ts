/**
 * The intermediate representation every later stage reads: OpenAPI files -> IR -> tool definitions -> server.
 * Nothing downstream of the generator re-reads YAML.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** read: GET. write: candidate-only change. destructive: delete / discard / load. deploy: push, enable. */
export type Safety = 'read' | 'write' | 'destructive' | 'deploy';

/** Destructive and deploy calls need approval; reads and candidate writes do not. */
export const isGated = (op: { safety: Safety }): boolean =>
  op.safety === 'destructive' || op.safety === 'deploy';

/**
 * What the server itself does with an operation beyond calling it, set from the overlay so nothing downstream
 * matches a key or a path: push (waitable, publishes the candidate), discard-candidate and load-version (replace
 * the candidate), job-get and job-list (push progress), enable (a deploy call that changes no object), folder-list
 * (the Setup API's folders, which the folders resource reads).
 */
export type OperationRole =
  'push' | 'discard-candidate' | 'load-version' | 'job-get' | 'job-list' | 'enable' | 'folder-list';

/** Roles whose success publishes or replaces the whole candidate. */
export const CANDIDATE_RESETS: ReadonlySet<OperationRole> = new Set([
  'push',
  'discard-candidate',
  'load-version',
]);

/** An OpenAPI 3.0 schema with every $ref resolved (as the spec says it; used by the sandbox validator). */
export type SpecSchema = Record<string, unknown>;

/**
 * Every field schema may carry `description` (upstream prose: build output only) and `note` (our own words:
 * constraints, choice rules, folder help), so a compact surface can drop the first and keep the second.
 *
 * A client-safe field schema: what an assistant may send. Keys are sanitised (`^[A-Za-z_][A-Za-z0-9_]*$`),
 * `apiName` maps back. Built from the spec by src/openapi/field-schema.ts; zod and JSON Schema come from it.
 */
export type FieldSchema =
  | StringField
  | NumberField
  | { kind: 'boolean'; description?: string; note?: string; default?: boolean; secret?: boolean }
  | ArrayField
  | ObjectField
  | { kind: 'union'; variants: FieldSchema[]; description?: string; note?: string; secret?: boolean }
  | { kind: 'any'; description?: string; note?: string; secret?: boolean };

export interface StringField {
  kind: 'string';
  description?: string;
  note?: string;
  enum?: string[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  default?: string;
  /** Holds a credential (by its format or name): never logged, the whole value when an object. */
  secret?: boolean;
}

export interface NumberField {
  kind: 'number' | 'integer';
  description?: string;
  note?: string;
  minimum?: number;
  maximum?: number;
  default?: number;
  secret?: boolean;
}

export interface ArrayField {
  kind: 'array';
  items: FieldSchema;
  description?: string;
  note?: string;
  minItems?: number;
  maxItems?: number;
  secret?: boolean;
}

export interface ObjectProperty {
  /** The API's own key, when it differs from the client key. */
  apiName?: string;
  required: boolean;
  schema: FieldSchema;
  /** Required by the spec, which gives this default: optional for the caller, and sent when left out. */
  default?: DefaultValue;
}

export type DefaultValue = string | number | boolean;

/** "Exactly one of" (or "at most one of") these client keys: a flattened oneOf. */
export interface ChoiceRule {
  keys: string[];
  required: boolean;
}

export interface ObjectField {
  kind: 'object';
  description?: string;
  note?: string;
  properties: Record<string, ObjectProperty>;
  choices?: ChoiceRule[];
  secret?: boolean;
}

export type InputSource = 'path' | 'query' | 'body';

/** One top-level tool argument and where it goes in the HTTP request. */
export interface InputField {
  name: string;
  source: InputSource;
  apiName: string;
  required: boolean;
  schema: FieldSchema;
  /** Required by the spec, which gives this default: optional for the caller, and sent when left out. */
  default?: DefaultValue;
}

export interface IrOperation {
  /** `resource.action`, e.g. `address.list`, `securityRule.move`. Stable. */
  key: string;
  resource: string;
  action: string;
  /** snake_case of the key: the MCP tool name. */
  tool: string;
  method: HttpMethod;
  /** Path template on its host, server prefix included, e.g. `/sse/config/v1/addresses/{id}`. */
  path: string;
  /**
   * Where the operation is served, from its file's `servers[0].url`: the upstream host (mapped to a configured
   * URL by the client) and the path prefix already in `path`.
   */
  base?: { host: string; prefix: string };
  operationId: string;
  specFile: string;
  /** The file's area (`objects` for `/config/objects/v1`): qualifies clashing names. */
  area?: string;
  safety: Safety;
  toolset: string;
  role?: OperationRole;
  /** Returns a `{data, total, limit, offset}` page. */
  paged: boolean;
  /** Upstream prose; build output only, never committed. */
  summary?: string;
  specDescription?: string;
  /** Flattened tool inputs in a fixed order: path, then query, then body fields. */
  inputs: InputField[];
  /** Rules across top-level body fields (a root oneOf). */
  choices?: ChoiceRule[];
  /** Names of input fields holding folder names (any folder name is accepted). */
  folderInputs: string[];
  /**
   * Updates only: top-level fields of the object as get/list return it that the call accepts and drops, because
   * the spec marks them read-only (`type`, a body `id`) or they name a container (`folder`, ...) the operation
   * takes no input for. An input of the same name (a path `id`, a query `folder`) takes the value instead.
   */
  droppedInputs?: string[];
  body?: {
    required: boolean;
    /** The resolved spec schema, for validation where the spec is the contract (sandbox). */
    schema: SpecSchema;
    /** Live-API defaults applied when the caller gives none (SCM-NOTES). */
    defaults?: Record<string, unknown>;
  };
  /** The resolved success-response schema, for the sandbox. */
  responseSchema?: SpecSchema;
}

/** The operation with this role; throws when the IR has none (an overlay mistake, found at start). */
export function operationFor(operations: readonly IrOperation[], role: OperationRole): IrOperation {
  const op = operations.find((o) => o.role === role);
  if (!op)
    throw new Error(
      `no operation has the role ${role}: set it under roles in specs/overlay.yaml (or specs/overlay-scm.yaml)`,
    );
  return op;
}

export interface IrCatalog {
  generator: string;
  specCommit: string;
  operations: IrOperation[];
}
