import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

export interface PromptDeps {
  folderNames(): Promise<string[]>;
}

/** The workflow prompts (registered in a later step). */
export function registerPrompts(_mcp: McpServer, _deps: PromptDeps): void {}
