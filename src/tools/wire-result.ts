import type { CallToolResult, TextContent } from '@modelcontextprotocol/sdk/types.js';
import { isJsonOf } from './json-content.js';
import { summaryOf } from './result-summary.js';

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * A result as it goes on the wire, with its data once. Inside the server every result carries the same object as
 * JSON text and as structuredContent (the pipeline's consumers read the latter); clients read one or the other
 * (Claude Code only structuredContent when present, text-only hosts only content), so sending both doubles the
 * bytes and the tokens. With `structured` (the tool declares an outputSchema, which the spec says such results
 * conform to): structuredContent, and a short summary as text. Otherwise, and for errors: the JSON text alone.
 */
export function toWireResult(r: CallToolResult, tool: string, structured: boolean): CallToolResult {
  const { structuredContent: sc, ...rest } = r;
  if (!isObj(sc)) return r;
  // The text made from this very object is known to be its JSON (json-content.ts): no need to serialize it again.
  const own = r.content.find((c) => isJsonOf(c, sc)) as TextContent | undefined;
  const json = own ? own.text : JSON.stringify(sc);
  // Text that is not the JSON of the data (none today) is information of its own: it stays. (So does a copy that
  // redaction changed differently from the object, which takes a secret in the data: rare, and still redacted.)
  const others = r.content.filter((c) => c !== own && (c.type !== 'text' || c.text !== json));
  if (structured && !r.isError) {
    return {
      ...rest,
      content: [{ type: 'text', text: summaryOf(tool, sc) }, ...others],
      structuredContent: sc,
    };
  }
  return { ...rest, content: [{ type: 'text', text: json }, ...others] };
}
