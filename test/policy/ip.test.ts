import { describe, expect, it } from 'vitest';
import { formatIpSet, overlap, parseIpSet } from '../../src/policy/ip.js';
import { evalTagExpr, parseTagExpr, TagExprError } from '../../src/policy/tag-expr.js';
import { urlMatches } from '../../src/policy/url.js';

const set = (s: string) => {
  const v = parseIpSet(s);
  if (!v) throw new Error(`not parsed: ${s}`);
  return v;
};

describe('IP sets', () => {
  it.each([
    // outer, inner, want
    ['10.0.0.0/8', '10.1.2.3', 'all'],
    ['10.0.0.0/8', '11.0.0.1', 'none'],
    ['10.0.0.0/8', '9.255.255.0-10.0.0.5', 'some'],
    ['10.0.0.0/8', '9.255.254.0/23', 'none'],
    ['10.10.8.10-10.10.8.50', '10.10.8.50', 'all'],
    ['10.10.8.10-10.10.8.50', '10.10.8.51', 'none'],
    ['10.10.8.10-10.10.8.50', '10.10.8.0/24', 'some'],
    ['10.10.7.0/0.0.0.255', '10.10.7.9', 'all'],
    ['10.0.0.1/0.255.0.0', '10.77.0.1', 'all'],
    ['10.0.0.1/0.255.0.0', '10.77.0.2', 'none'],
    ['10.0.0.0/0.255.0.255', '10.5.0.0/24', 'all'],
    ['10.0.0.0/0.255.0.255', '10.5.0.0/23', 'some'],
    ['2001:db8::/32', '2001:db8:1::5', 'all'],
    ['2001:db8::/32', '2001:db9::1', 'none'],
    ['2001:db8::1-2001:db8::ff', '2001:db8::10/124', 'all'],
    ['10.0.0.0/8', '::ffff:10.1.1.1', 'all'],
    ['10.0.0.0/8', '2001:db8::1', 'none'],
  ])('%s holds %s: %s', (outer, inner, want) => {
    expect(overlap(set(outer), set(inner))).toBe(want);
  });

  it.each([
    '10.1',
    '10.0.0.0/33',
    '10.0.0.9-10.0.0.1',
    'web-srv',
    '1.2.3.4-2001:db8::1',
    '2001:db8::/0.0.0.255',
  ])('rejects %s', (s) => expect(parseIpSet(s)).toBeUndefined());

  it.each([
    ['10.1.2.3/24', '10.1.2.0/24'],
    ['10.0.0.5-10.0.0.9', '10.0.0.5-10.0.0.9'],
    ['10.0.0.0-10.0.0.255', '10.0.0.0/24'],
    ['2001:db8::/48', '2001:db8::/48'],
    ['10.0.0.0/0.255.0.255', '10.0.0.0/0.255.0.255'],
  ])('formats %s as %s', (s, want) => expect(formatIpSet(set(s))).toBe(want));
});

describe('tag expressions', () => {
  it.each([
    ["'a'", ['a'], true],
    ["'a' and 'b'", ['a'], false],
    ["'a' and ('b' or 'c')", ['a', 'c'], true],
    ["'a' or 'b' and 'c'", ['a'], true],
    ["not 'a'", ['b'], true],
    ["not ('a' or 'b')", ['b'], false],
    ['"with space" AND plain', ['with space', 'plain'], true],
    ["'x' and not 'y'", ['x', 'y'], false],
  ])('%s over %j is %s', (src, tags, want) => {
    expect(evalTagExpr(parseTagExpr(src as string), new Set(tags as string[]))).toBe(want);
  });

  it.each(["'a' and", "('a'", "'a", "'a' 'b'", ')'])('rejects %s', (src) => {
    expect(() => parseTagExpr(src)).toThrow(TagExprError);
  });
});

describe('URL list entries', () => {
  it.each([
    ['*.example.com', 'https://shop.example.com/cart', true],
    ['*.example.com', 'example.com', false],
    ['partner.example.org', 'http://partner.example.org/x?y=1', true],
    ['partner.example.org', 'partner.example.org.evil.net', false],
    ['example.com/docs', 'example.com/docs/a', true],
  ])('%s covers %s: %s', (p, u, want) => expect(urlMatches(p, u)).toBe(want));
});
