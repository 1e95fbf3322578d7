import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * A client's answer to one of our requests (an approval prompt) whose `result` is not an object, e.g.
 * `result: null`, is not a response the SDK recognises: it would drop it and the request would wait out its
 * timeout (ten minutes for an approval). Turned into an error response, the request fails at once and the gate
 * refuses. Call after the server has connected the transport (it wraps the SDK's own handler).
 */
export function failMalformedAnswers(transport: Transport): void {
  const inner = transport.onmessage;
  if (!inner) return;
  transport.onmessage = (message, extra) => {
    const m = message as unknown as Record<string, unknown>;
    if (isObj(m) && 'id' in m && 'result' in m && !('method' in m) && !isObj(m.result)) {
      const fixed = {
        jsonrpc: '2.0' as const,
        id: m.id as string | number,
        error: { code: -32600, message: 'malformed answer: result is not an object' },
      };
      return inner(fixed, extra);
    }
    return inner(message, extra);
  };
}
