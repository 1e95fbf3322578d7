import type { IrOperation, Safety } from '../openapi/ir.js';

export interface ToolAnnotations {
  title: string;
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** What `tools/list` shows for one generated tool. */
export interface ToolDefinition {
  name: string;
  key: string;
  title: string;
  description: string;
  inputSchema: Record<string, unknown>;
  annotations: ToolAnnotations;
  safety: Safety;
  toolset: string;
}

/** The build output loaded at start-up (dist/catalog.json): no YAML is parsed when the server starts. */
export interface BuiltCatalog {
  generator: string;
  specCommit: string;
  operations: IrOperation[];
  tools: ToolDefinition[];
}
