import { describe, expect, it } from 'vitest';
import { dropNulls, ScmUnexpectedResponseError, toListPage, unwrapObject } from '../../src/scm/index.js';

const obj = { id: 'u-1', name: 'web' };

describe('unwrapObject', () => {
  it.each([
    ['a bare object', obj],
    ['{data: [obj]}', { data: [obj] }],
    ['a one-item array', [obj]],
  ])('accepts %s', (_label, body) => {
    expect(unwrapObject(body)).toEqual(obj);
  });

  it('leaves an object with its own data field alone', () => {
    const withData = { id: 'x', data: ['a', 'b'] };
    expect(unwrapObject(withData)).toBe(withData);
  });

  it.each([[[]], [[obj, obj]], [{ data: [] }], ['text'], [undefined]])('rejects %j', (body) => {
    expect(() => unwrapObject(body)).toThrow(ScmUnexpectedResponseError);
  });
});

describe('toListPage', () => {
  it('reads {data, total, limit, offset}', () => {
    expect(toListPage({ data: [obj], total: 7, limit: 1, offset: 3 })).toEqual({
      data: [obj],
      total: 7,
      limit: 1,
      offset: 3,
    });
    expect(toListPage({ data: [], total: '0' })).toEqual({ data: [], total: 0 });
  });

  it('wraps a bare array and a bare object (the ?name= answer)', () => {
    expect(toListPage([obj, obj])).toEqual({ data: [obj, obj], total: 2, offset: 0 });
    expect(toListPage(obj)).toEqual({ data: [obj], total: 1, offset: 0 });
    expect(toListPage(undefined)).toEqual({ data: [], total: 0, offset: 0 });
  });

  it('rejects text', () => {
    expect(() => toListPage('<html>')).toThrow(ScmUnexpectedResponseError);
  });
});

describe('dropNulls', () => {
  it('drops null and undefined at every depth and leaves other values', () => {
    const date = new Date(0);
    expect(
      dropNulls({
        a: null,
        b: undefined,
        c: 0,
        d: '',
        e: false,
        f: { g: null, h: [1, null, { i: null }] },
        date,
      }),
    ).toEqual({
      c: 0,
      d: '',
      e: false,
      f: { h: [1, {}] },
      date,
    });
  });

  it('does not modify its input', () => {
    const input = { a: null, b: { c: null } };
    dropNulls(input);
    expect(input).toEqual({ a: null, b: { c: null } });
  });
});
