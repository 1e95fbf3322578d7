import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Served, serve } from '../discovery/harness.js';
import { resultData } from '../integration/result-data.js';

type J = Record<string, any>;

// A seeded generator, so a failure names a case that can be run again.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function deepArray(levels: number): unknown {
  let v: unknown = [];
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}

function deepObject(levels: number): unknown {
  let v: unknown = {};
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

/** Tools of several kinds: list, get by id, create, update, gated, a path id, and a number field. */
const TOOLS: Array<{ tool: string; base: J; numberField: string; stringField: string }> = [
  { tool: 'address_list', base: { folder: 'Shared' }, numberField: 'limit', stringField: 'name' },
  { tool: 'address_get', base: { id: 'a1' }, numberField: 'limit', stringField: 'id' },
  {
    tool: 'address_create',
    base: { folder: 'Shared', name: 'n1', ip_netmask: '10.0.0.1/32' },
    numberField: 'name',
    stringField: 'description',
  },
  { tool: 'address_update', base: { id: 'a1', name: 'n1' }, numberField: 'name', stringField: 'id' },
  { tool: 'address_delete', base: { id: 'a1', confirm: true }, numberField: 'id', stringField: 'id' },
  {
    tool: 'config_version_load',
    base: { confirm: true },
    numberField: 'version',
    stringField: 'approval_token',
  },
  { tool: 'security_rule_list', base: { folder: 'Shared' }, numberField: 'offset', stringField: 'folder' },
];

/** [label, arguments, the field the error must name] */
type Case = [string, unknown, string];

function casesFor(t: (typeof TOOLS)[number], next: () => number): Case[] {
  const key = t.stringField;
  const num = t.numberField;
  const lone = next() < 0.5 ? '\uD800' : '\uDFFF';
  const depth = 70 + Math.floor(next() * 100_000);
  return [
    [`${num}=Infinity`, { ...t.base, [num]: Infinity }, num],
    [`${num}=-Infinity`, { ...t.base, [num]: -Infinity }, num],
    [`${num}=NaN`, { ...t.base, [num]: Number.NaN }, num],
    [`${num}=1e999`, { ...t.base, [num]: JSON.parse('1e999') }, num],
    [`${key} lone surrogate`, { ...t.base, [key]: `ab${lone}cd` }, key],
    [`${key} lone surrogate only`, { ...t.base, [key]: lone }, key],
    [`lone surrogate in a key`, { ...t.base, [`x${lone}`]: 1 }, `x\\u${lone.charCodeAt(0).toString(16)}`],
    [`${key} nested ${depth} arrays`, { ...t.base, [key]: deepArray(depth) }, key],
    [`${key} nested ${depth} objects`, { ...t.base, [key]: deepObject(depth) }, key],
    [`unknown key nested arrays`, { ...t.base, zz: deepArray(depth) }, 'zz'],
    ['constructor: null', { ...t.base, ...JSON.parse('{"constructor": null}') }, 'constructor'],
    ['__proto__: null', { ...t.base, ...JSON.parse('{"__proto__": null}') }, '__proto__'],
    ['__proto__ object', JSON.parse(`{"__proto__": {"polluted": 1}, "${key}": "x"}`), '__proto__'],
    ['prototype key', { ...t.base, prototype: {} }, 'prototype'],
    ['nested constructor', { ...t.base, [key]: JSON.parse('{"constructor": null}') }, key],
    ['arguments a string', 'not json', 'arguments'],
    ['arguments JSON text of an array', '[1,2]', 'arguments'],
    ['arguments an array', [t.base], 'arguments'],
    ['arguments null', null, 'arguments'],
    ['arguments a number', 42, 'arguments'],
    ['arguments true', true, 'arguments'],
  ];
}

let s: Served;
beforeAll(async () => {
  s = await serve({ toolsets: ['all'] });
});
afterAll(async () => {
  await s.close();
});

function expectClearError(res: J, field: string, label: string) {
  expect(res.isError, label).toBe(true);
  const data = resultData(res) as J;
  expect(data.error.code, label).toBe('INVALID_ARGUMENTS');
  const fields: string[] = data.error.fields.map((f: J) => f.field);
  expect(
    fields.some((f) => f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`)),
    `${label}: ${JSON.stringify(fields)}`,
  ).toBe(true);
  const text = JSON.stringify(data);
  for (const raw of [
    'URI malformed',
    'Maximum call stack',
    'Cannot read properties',
    '"code":"invalid_type"',
  ])
    expect(text, label).not.toContain(raw);
}

describe('malformed arguments', () => {
  it('a few hundred generated cases, direct and through tool_call: INVALID_ARGUMENTS naming the field, nothing sent', async () => {
    const next = rng(8017);
    let n = 0;
    for (let round = 0; round < 2; round++) {
      for (const t of TOOLS) {
        for (const [label, args, field] of casesFor(t, next)) {
          const direct = await s.client.callTool({ name: t.tool, arguments: args as never });
          expectClearError(direct, field, `${t.tool} direct ${label}`);
          const via = await s.client.callTool({
            name: 'tool_call',
            arguments: { name: t.tool, arguments: args },
          });
          expectClearError(via, field, `${t.tool} via tool_call ${label}`);
          n += 2;
        }
      }
    }
    expect(n).toBeGreaterThanOrEqual(500);
    expect(s.sent).toEqual([]);
    // Refusals of bad input are not changes: nothing reached the audit's intent phase either.
    expect(s.audit.filter((r) => r.phase === 'intent')).toEqual([]);
    // The process's own prototypes are untouched.
    expect(({} as J).polluted).toBeUndefined();
  }, 120_000);

  it('still accepts what it should: JSON-text objects and ordinary values', async () => {
    const ok = await s.client.callTool({ name: 'address_list', arguments: { folder: 'Shared', limit: 5 } });
    expect(ok.isError).toBeFalsy();
    const nested = await s.client.callTool({
      name: 'tool_call',
      arguments: {
        name: 'address_list',
        arguments: '{"folder": "Shared", "name": "caf\u00e9 \ud83d\ude00"}',
      },
    });
    expect(nested.isError).toBeFalsy();
  });
});
