import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * The data of a result as a client gets it over the wire: structuredContent when the tool declares an
 * outputSchema (and the call succeeded), else the JSON text of its content, which then carries it alone.
 */
export function resultData(res: unknown): Record<string, any> {
  const r = res as CallToolResult;
  if (r.structuredContent) return r.structuredContent as Record<string, any>;
  const text = r.content?.find((c) => c.type === 'text');
  if (!text || text.type !== 'text') throw new Error(`result without text content: ${JSON.stringify(res)}`);
  return JSON.parse(text.text) as Record<string, any>;
}
