import { describe, expect, it } from 'vitest';
import { isJsonOf, jsonContent, redactResult } from '../../src/tools/json-content.js';
import { jsonResult } from '../../src/tools/to-tool-result.js';
import { toWireResult } from '../../src/tools/wire-result.js';
import { registerSecret } from '../../src/secrets.js';

const SECRET = 'json-content-secret-4242';
registerSecret(SECRET);

describe('results whose text is known to be the JSON of their data', () => {
  it('marks the text made from this very object, not a copy or another object', () => {
    const sc = { a: 1 };
    const item = jsonContent(sc);
    expect(item.text).toBe('{"a":1}');
    expect(isJsonOf(item, sc)).toBe(true);
    expect(isJsonOf({ ...item }, sc)).toBe(false);
    expect(isJsonOf(item, { a: 1 })).toBe(false);
  });

  it('redacts a secret in both channels, and returns a clean result as it is', () => {
    const clean = jsonResult({ data: [{ name: 'web' }] });
    expect(redactResult(clean)).toBe(clean);
    const leaky = jsonResult({ data: [{ name: `x ${SECRET}` }] });
    const out = redactResult(leaky);
    expect(JSON.stringify(out)).not.toContain(SECRET);
    expect((out.structuredContent as { data: Array<{ name: string }> }).data[0]!.name).toBe('x [redacted]');
  });

  it('walks a result whose text was made elsewhere, and finds the secret there', () => {
    const r = {
      content: [{ type: 'text' as const, text: `note ${SECRET}` }],
      structuredContent: { ok: true },
    };
    expect(JSON.stringify(redactResult(r))).not.toContain(SECRET);
  });

  it('sends the marked text on the wire as it is, once', () => {
    const r = jsonResult({ data: [1, 2, 3], total: 3 });
    const wire = toWireResult(r, 'address_list', false);
    expect(wire.content).toEqual([r.content[0]]);
    expect(wire.structuredContent).toBeUndefined();
  });
});
