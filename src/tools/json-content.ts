import type { CallToolResult, TextContent } from '@modelcontextprotocol/sdk/types.js';
import { jsonHoldsSecret, redactDeep } from '../secrets.js';

/**
 * Text items made as JSON.stringify of a result's structuredContent, each with the object it was made from. Later
 * steps (redaction, the wire form) then know the text is the data without serializing a large result again.
 */
const madeFrom = new WeakMap<object, object>();

/** The JSON text item of `structured`, remembered as such. */
export function jsonContent(structured: Record<string, unknown>): TextContent {
  const item: TextContent = { type: 'text', text: JSON.stringify(structured) };
  madeFrom.set(item, structured);
  return item;
}

/** Whether `item` is the JSON text made from `structured` (this very object). */
export const isJsonOf = (item: object, structured: unknown): boolean =>
  typeof structured === 'object' && structured !== null && madeFrom.get(item) === structured;

/**
 * A result with every registered secret redacted. When its text items are the JSON of its structuredContent, one
 * search of that text answers for both channels; otherwise (or on a hit) every value is walked.
 */
export function redactResult(r: CallToolResult): CallToolResult {
  const sc = r.structuredContent;
  const first = r.content[0];
  if (first && r.content.every((c) => isJsonOf(c, sc)) && !jsonHoldsSecret((first as TextContent).text))
    return r;
  return redactDeep(r);
}
