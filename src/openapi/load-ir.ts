import { type FileContext, readSpecFile, specFilesIn } from './spec-files.js';
import { CONTAINER_FIELDS, CONTROL_ARGS, SYSTEM_FOLDERS } from '../facts.js';
import { clientKey, defaultOf, mergeAllOf, toFieldSchema } from './field-schema.js';
import type {
  FieldSchema,
  HttpMethod,
  InputField,
  IrOperation,
  ObjectField,
  Safety,
  SpecSchema,
} from './ir.js';
import { resolveCollisions } from './collisions.js';
import { unmatchedLiveFields, withLiveFields } from './live-fields.js';
import {
  actionName,
  resourceName,
  resourceNameAll,
  resourcePath,
  resourcePathAll,
  toolNameFor,
  WRITE_ACTIONS,
} from './naming.js';
import type { Overlay } from './overlay.js';

type S = Record<string, any>;
const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

const FOLDER_HELP = `Folder name, case-sensitive: one of ${SYSTEM_FOLDERS.join(', ')}, or a custom folder or snippet name.`;

export { loadSpecFile } from './spec-files.js';

function successSchema(op: S): S | undefined {
  for (const code of ['200', '201']) {
    const schema = op.responses?.[code]?.content?.['application/json']?.schema;
    if (schema) return schema as S;
  }
  return undefined;
}

function isPaged(params: S[], response: S | undefined): boolean {
  if (params.some((p) => p.in === 'query' && p.name === 'limit')) return true;
  const data = response ? mergeAllOf(response).properties?.data : undefined;
  return !!data && mergeAllOf(data).type === 'array';
}

/** A snippet or device name: any existing one, as the tenant names it (the spec's pattern is narrower). */
const CONTAINER_FIELD: FieldSchema = { kind: 'string', minLength: 1 };

function folderField(schema: S, description?: string): FieldSchema {
  const help = description ? `${FOLDER_HELP} ${description}` : FOLDER_HELP;
  if (mergeAllOf(schema).type === 'array')
    return { kind: 'array', items: { kind: 'string', minLength: 1 }, minItems: 1, description: help };
  return { kind: 'string', minLength: 1, description: help };
}

/** Top-level property names a schema marks read-only, in its own properties and in its oneOf/anyOf variants. */
function readOnlyNames(schema: S | undefined): string[] {
  if (!schema) return [];
  const s = mergeAllOf(schema);
  const parts = [s, ...(((s.oneOf ?? s.anyOf) as S[] | undefined) ?? []).map(mergeAllOf)];
  return parts.flatMap((p) =>
    Object.entries((p.properties ?? {}) as Record<string, S>)
      .filter(([, prop]) => mergeAllOf(prop).readOnly === true)
      .map(([name]) => name),
  );
}

/** What an update accepts as get returned it and drops (IrOperation.droppedInputs). */
function droppedInputsOf(body: S, response: S | undefined, inputs: InputField[]): string[] {
  const taken = new Set(inputs.map((i) => i.name));
  const names = [...readOnlyNames(body), ...readOnlyNames(response), ...CONTAINER_FIELDS];
  return [...new Set(names)].filter((n) => !taken.has(n)).sort();
}

export interface BuildOptions {
  overlay: Overlay;
  /** Keep upstream prose (summaries and field descriptions) in the IR: only for build outputs. */
  withDescriptions?: boolean;
  /**
   * How a path names its resource: `first-segment` below /sse/config/v1 (the Prisma Access set), or
   * `all-segments` of the path below its server base, version segments dropped (any other set).
   */
  resourceRule?: 'first-segment' | 'all-segments';
  /** Tool names the server itself serves (`folder_list`, discovery): a generated tool must not take them. */
  reservedTools?: readonly string[];
  /** Said for what is worth fixing in the overlay but does not stop the load (an unplaced operation). */
  warn?: (message: string) => void;
}

/** The safety an operation has when the overlay says nothing: an unknown `:verb` is destructive, never write. */
function defaultSafety(method: HttpMethod, action: string, path: string): Safety {
  if (method === 'GET') return 'read';
  if (method === 'DELETE') return 'destructive';
  if (/:[a-zA-Z-]+$/.test(path) && !WRITE_ACTIONS.has(action)) return 'destructive';
  return 'write';
}

/** Builds the IR operations of one dereferenced document. */
export function operationsOf(
  doc: S,
  specFile: string,
  opts: BuildOptions,
  ctx: FileContext = { area: specFile.replace(/\.[a-z]+$/i, '') },
): IrOperation[] {
  const { overlay } = opts;
  const allSegments = opts.resourceRule === 'all-segments';
  const withText = opts.withDescriptions !== false;
  const ops: IrOperation[] = [];
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, S>)) {
    for (const method of METHODS) {
      const op = item[method.toLowerCase()] as S | undefined;
      if (!op) continue;
      const params = [...((item.parameters ?? []) as S[]), ...((op.parameters ?? []) as S[])];
      const response = successSchema(op);
      const paged = isPaged(params, response);
      // A collection GET is a list when it pages, or when an item path sits beside it.
      const listLike =
        paged ||
        (response !== undefined && mergeAllOf(response).type === 'array') ||
        (!path.endsWith('}') && Object.keys(doc.paths).some((p) => p.startsWith(`${path}/{`)));
      const resPath = allSegments ? resourcePathAll(path) : resourcePath(path);
      const rel = path.replace(/^\/sse\/config\/v1/, '');
      const fullPath = `${ctx.base?.prefix ?? ''}${path}`;
      const named =
        overlay.resources[resPath] ?? (allSegments ? resourceNameAll(resPath) : resourceName(resPath));
      const key =
        overlay.operations[`${method} ${rel}`] ??
        overlay.operations[`${method} ${fullPath}`] ??
        // Host and path: for the same path served by two hosts.
        overlay.operations[`${method} ${ctx.base?.host ?? ''}${fullPath}`] ??
        `${named}.${actionName(method, path, listLike)}`;
      const [resource = key, action = ''] = key.split('.');
      const safety: Safety = overlay.safety[key] ?? defaultSafety(method, action, path);
      // Placed for good by placeInToolsets, once clashing names are resolved.
      const toolset = toolsetOf(overlay, resource) ?? ctx.area;

      const inputs: InputField[] = [];
      const folderInputs: string[] = [];
      for (const p of params.filter((x) => x.in === 'path').concat(params.filter((x) => x.in === 'query'))) {
        const desc =
          withText && typeof p.description === 'string'
            ? p.description.trim().replace(/\s+/g, ' ')
            : undefined;
        let schema: FieldSchema;
        if (overlay.live.folderInputs.includes(p.name)) {
          schema = folderField(p.schema ?? {});
          folderInputs.push(p.name);
        } else if (overlay.live.containerInputs?.includes(p.name)) {
          schema = CONTAINER_FIELD;
        } else {
          schema = toFieldSchema({ ...(p.schema ?? {}), description: desc }, 2, {
            withDescriptions: withText,
          }) ?? { kind: 'string' };
        }
        // Path parameters are never empty: an empty id would address the collection instead.
        if (p.in === 'path' && schema.kind === 'string')
          schema = { ...schema, minLength: Math.max(1, schema.minLength ?? 0) };
        const required =
          p.in === 'path' || (p.required === true && !overlay.live.optionalParams.includes(p.name));
        // A required parameter with a default (`position`: pre) is optional; the default is sent when left out.
        const fallback = required && p.in !== 'path' ? defaultOf(schema) : undefined;
        inputs.push({
          name: clientKey(p.name, new Set(inputs.map((i) => i.name))),
          source: p.in,
          apiName: p.name,
          required: required && fallback === undefined,
          schema,
          ...(fallback !== undefined ? { default: fallback } : {}),
        });
      }

      let body: IrOperation['body'];
      let choices: IrOperation['choices'];
      const bodySchema = withLiveFields(
        op.requestBody?.content?.['application/json']?.schema as S | undefined,
        overlay.live.fields?.[resource],
      );
      if (bodySchema) {
        const field = toFieldSchema(bodySchema, 1, { withDescriptions: withText });
        // Parameters and the pipeline's own arguments keep their names; a body field that clashes is prefixed.
        const taken = new Set([...inputs.map((i) => i.name), ...CONTROL_ARGS]);
        if (field?.kind === 'object') {
          for (const [name, prop] of Object.entries((field as ObjectField).properties)) {
            // Parameters keep their names; a body field with the same name is prefixed, the same way every time.
            const inputName = taken.has(name) ? `body_${name}` : name;
            const apiName = prop.apiName ?? name;
            let schema = prop.schema;
            if (overlay.live.folderInputs.includes(apiName)) {
              schema = folderField({ type: schema.kind === 'array' ? 'array' : 'string' });
              folderInputs.push(inputName);
            } else if (overlay.live.containerInputs?.includes(apiName) && schema.kind === 'string') {
              schema = CONTAINER_FIELD;
            }
            // A field the live API needs and we default (SCM-NOTES) is optional for the caller.
            const fallback = overlay.live.bodyDefaults[key]?.[apiName];
            if (fallback !== undefined) schema = { ...schema, note: `default ${JSON.stringify(fallback)}` };
            inputs.push({
              name: inputName,
              source: 'body',
              apiName,
              required: prop.required && fallback === undefined,
              schema,
              ...(prop.default !== undefined && fallback === undefined ? { default: prop.default } : {}),
            });
          }
          choices = (field as ObjectField).choices?.map((c) => ({
            ...c,
            keys: c.keys.map((k) => (taken.has(k) ? `body_${k}` : k)),
          }));
        }
        body = {
          required: op.requestBody?.required === true,
          schema: bodySchema as SpecSchema,
          ...(overlay.live.bodyDefaults[key] ? { defaults: overlay.live.bodyDefaults[key] } : {}),
        };
      }

      const dropped = method === 'PUT' && bodySchema ? droppedInputsOf(bodySchema, response, inputs) : [];

      ops.push({
        key,
        resource,
        action,
        tool: toolNameFor(key),
        method,
        path: fullPath,
        ...(ctx.base ? { base: ctx.base } : {}),
        operationId: String(op.operationId ?? `${method} ${path}`),
        specFile,
        area: ctx.area,
        safety,
        toolset,
        ...(overlay.roles[key] ? { role: overlay.roles[key] } : {}),
        paged,
        ...(withText && op.summary ? { summary: String(op.summary).trim() } : {}),
        ...(withText && op.description ? { specDescription: String(op.description).trim() } : {}),
        inputs,
        ...(choices?.length ? { choices } : {}),
        folderInputs,
        ...(dropped.length ? { droppedInputs: dropped } : {}),
        ...(body ? { body } : {}),
        ...(response ? { responseSchema: response as SpecSchema } : {}),
      });
    }
  }
  return ops;
}

/**
 * Every operation of every spec file (YAML or JSON) below a folder, sub-folders included, sorted by key. The same
 * method and URL in two files is one operation; clashing keys and tool names are resolved by rule or the overlay,
 * else the load fails naming them.
 */
export async function loadIr(dir: string, opts: BuildOptions): Promise<IrOperation[]> {
  const ops: IrOperation[] = [];
  for (const file of specFilesIn(dir)) {
    const { doc, ctx } = await readSpecFile(dir, file);
    ops.push(...operationsOf(doc, file, opts, ctx));
  }
  const placed = placeInToolsets(resolveCollisions(ops, opts), opts);
  const unmatched = unmatchedLiveFields(placed, opts.overlay.live.fields ?? {});
  if (unmatched.length) throw new Error(`overlay live.fields names no body field: ${unmatched.join('; ')}`);
  return placed.sort((a, b) => a.key.localeCompare(b.key));
}

const toolsetOf = (overlay: Overlay, resource: string) =>
  Object.entries(overlay.toolsets).find(([, members]) => members.includes(resource))?.[0];

/** Each operation in its resource's toolset; one the overlay does not place goes to its file's area, with a warning. */
function placeInToolsets(ops: IrOperation[], opts: BuildOptions): IrOperation[] {
  for (const op of ops) {
    const toolset = toolsetOf(opts.overlay, op.resource);
    if (toolset) op.toolset = toolset;
    else {
      // A new operation never stops the load: it is served, and the overlay can place it later.
      op.toolset = op.area ?? op.toolset;
      opts.warn?.(
        `overlay: resource ${op.resource} (${op.method} ${op.path}) is in no toolset; using ${op.toolset}`,
      );
    }
  }
  return ops;
}
