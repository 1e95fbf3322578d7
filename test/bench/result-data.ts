import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * A tool result's data: `structuredContent` when the server sends it, else the JSON of the first text block
 * (generated tools may answer in text only).
 */
export function resultData(res: Pick<CallToolResult, 'structuredContent' | 'content'>): Record<string, any> {
  if (res.structuredContent) return res.structuredContent as Record<string, any>;
  const first = res.content?.[0];
  if (first?.type !== 'text') throw new Error('the result has neither structuredContent nor a text block');
  try {
    return JSON.parse(first.text) as Record<string, any>;
  } catch {
    throw new Error(`the result's text is not JSON: ${first.text.slice(0, 200)}`);
  }
}
