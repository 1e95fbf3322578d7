/** Some clients send object and array arguments as JSON text (MCP-NOTES rule 10): accept it, validate what it parses to. */
export function fromJsonText(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return v;
  try {
    return JSON.parse(t);
  } catch {
    return v;
  }
}
