import { describe, expect, it } from 'vitest';
import { buildPath, buildQuery } from '../../src/scm/index.js';

describe('buildPath', () => {
  it('percent-encodes every parameter into a single segment', () => {
    expect(buildPath('/sse/config/v1/addresses/{id}', { id: 'a/../b?x#y' })).toBe(
      '/sse/config/v1/addresses/a%2F..%2Fb%3Fx%23y',
    );
    expect(buildPath('/sse/config/v1/security-rules/{id}:move', { id: 'r 1:2' })).toBe(
      '/sse/config/v1/security-rules/r%201%3A2:move',
    );
    expect(buildPath('/jobs/{id}', { id: 42 })).toBe('/jobs/42');
  });

  it('encodes "." and ".." so they cannot be normalised away', () => {
    expect(buildPath('/a/{id}/b', { id: '..' })).toBe('/a/%2E%2E/b');
    expect(buildPath('/a/{id}/b', { id: '.' })).toBe('/a/%2E/b');
    expect(buildPath('/a/{id}', { id: 'v1.2' })).toBe('/a/v1.2');
  });

  it('throws when a parameter is missing or empty', () => {
    expect(() => buildPath('/a/{id}', {})).toThrow(/path parameter "id" is missing/);
    expect(() => buildPath('/a/{id}', { id: '' })).toThrow(/"id" is missing/);
    expect(() => buildPath('/a/{toString}', {})).toThrow(/"toString" is missing/);
  });
});

describe('buildQuery', () => {
  it('skips undefined and null, repeats arrays, stringifies scalars, keeps key order', () => {
    expect(
      buildQuery({
        folder: 'Mobile Users',
        name: undefined,
        position: null,
        limit: 200,
        pre: true,
        tag: ['a&b', 'c'],
      }),
    ).toBe('?folder=Mobile%20Users&limit=200&pre=true&tag=a%26b&tag=c');
  });

  it('returns an empty string when nothing remains', () => {
    expect(buildQuery({})).toBe('');
    expect(buildQuery({ a: undefined, b: [] })).toBe('');
  });

  it('refuses objects rather than sending [object Object]', () => {
    expect(() => buildQuery({ filter: { a: 1 } })).toThrow(/query parameter "filter"/);
  });
});
