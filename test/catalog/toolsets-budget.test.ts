import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { countTokens } from 'gpt-tokenizer';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ABBREVIATED_TOOL_NOTE,
  fittedInputSchema,
  LISTED_SCHEMA_MAX_CHARS,
} from '../../src/catalog/build.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { charTokens, type Listing, listingText, listTools, MODES } from '../bench/measure.js';
import { inputSchemaViolations, toolNameViolations } from './assistant-rules.js';

// tools/list in every serving mode, as a client gets it from the real app: within its context budget, and every
// definition one that Anthropic, OpenAI (non-strict) and Gemini accept (../shared/MCP-NOTES.md).

const listings = new Map<string, Listing>();

beforeAll(async () => {
  for (const mode of MODES) listings.set(mode.name, await listTools(mode.args));
}, 60_000);

const toolsOf = (mode: string): Tool[] => listings.get(mode)!.tools;

describe.each(MODES.map((m) => [m.name, m] as const))('tools/list in mode %s', (name, mode) => {
  it(`fits ${mode.budget} tokens, counted as characters / 4 and by a real tokenizer`, () => {
    const text = listingText(toolsOf(name));
    expect(charTokens(text)).toBeLessThanOrEqual(mode.budget);
    expect(countTokens(text)).toBeLessThanOrEqual(mode.budget);
  });

  it('passes the assistant compatibility check: zero failures', () => {
    const failures = toolsOf(name).flatMap((t) => [
      ...toolNameViolations(t.name),
      ...inputSchemaViolations(t.inputSchema).map((v) => `${t.name} ${v}`),
      ...(typeof t.description === 'string' && t.description.trim() ? [] : [`${t.name}: no description`]),
      ...['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']
        .filter((h) => typeof (t.annotations as Record<string, unknown> | undefined)?.[h] !== 'boolean')
        .map((h) => `${t.name}: ${h} not set`),
    ]);
    expect(failures).toEqual([]);
    const names = toolsOf(name).map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('the modes', () => {
  it('default: few tools, the discovery tools among them', () => {
    const names = toolsOf('default').map((t) => t.name);
    expect(names.length).toBeLessThanOrEqual(40);
    expect(names).toEqual(
      expect.arrayContaining(['tool_search', 'tool_describe', 'tool_call', 'folder_list']),
    );
    expect(names).toEqual(
      expect.arrayContaining(['address_create', 'security_rule_list', 'config_version_push']),
    );
    // The workflows are in the default surface.
    expect(names).toEqual(
      expect.arrayContaining([
        'indicators_block',
        'indicators_unblock',
        'indicators_status',
        'config_check',
        'host_isolate',
      ]),
    );
    expect(listings.get('default')!.instructions).toMatch(/tool_search finds them/);
  });

  it('discovery: the three discovery tools only', () => {
    expect(
      toolsOf('discovery')
        .map((t) => t.name)
        .sort(),
    ).toEqual(['tool_call', 'tool_describe', 'tool_search']);
  });

  it('all: every one of the 344 operations, plus folder_list, tenant_list, connection_test, the four policy tools, the five workflow tools and discovery', () => {
    const names = new Set(toolsOf('all').map((t) => t.name));
    expect(loadCatalog().tools.filter((t) => !names.has(t.name))).toEqual([]);
    expect(names.size).toBe(354 + 5);
  });

  it('read-only: read tools only, and tool_call says it can only read', () => {
    for (const mode of ['read-only', 'all+read-only']) {
      const tools = toolsOf(mode);
      expect(tools.filter((t) => t.annotations?.readOnlyHint !== true).map((t) => t.name)).toEqual([]);
      expect(tools.map((t) => t.name)).toContain('tool_call');
    }
    // 135 read operations, folder_list, tenant_list, connection_test, 4 policy tools, 3 discovery tools,
    // indicators_status and config_check.
    expect(toolsOf('all+read-only')).toHaveLength(135 + 1 + 2 + 4 + 3 + 2);
  });
});

describe('listed schemas', () => {
  it('shorten only large tools, say so, and keep small nested objects', () => {
    const catalog = loadCatalog();
    const ops = new Map(catalog.operations.map((op) => [op.tool, op]));
    const shortened = catalog.tools.filter((t) => t.description.includes(ABBREVIATED_TOOL_NOTE));
    expect(shortened.length).toBeGreaterThan(10);
    expect(shortened.length).toBeLessThan(80);
    for (const t of catalog.tools) {
      const whole = fittedInputSchema(ops.get(t.name)!, 'notes', Number.POSITIVE_INFINITY);
      const size = JSON.stringify(whole.schema).length;
      if (t.description.includes(ABBREVIATED_TOOL_NOTE)) {
        expect(size, t.name).toBeGreaterThan(LISTED_SCHEMA_MAX_CHARS);
        expect(JSON.stringify(t.inputSchema).length, t.name).toBeLessThan(size);
      } else expect(t.inputSchema, t.name).toEqual(whole.schema);
    }
    // security_rule_create stays whole: its one nested object is small.
    const rule = catalog.tools.find((t) => t.name === 'security_rule_create')!;
    expect((rule.inputSchema.properties as Record<string, any>).profile_setting.properties).toHaveProperty(
      'group',
    );
  });
});
