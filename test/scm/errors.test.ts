import { describe, expect, it } from 'vitest';
import { apiErrorHint, ScmApiError, ScmNetworkError, TokenError } from '../../src/scm/index.js';

const apiError = (status: number, text: string, operation = 'address.update') =>
  new ScmApiError({ status, text, operation });

describe('ScmApiError', () => {
  it('formats the SCM error body exactly', () => {
    const err = apiError(
      409,
      JSON.stringify({
        _errors: [{ code: 'E006', message: 'Name Not Unique', details: {} }],
        _request_id: 'abcd-1234',
      }),
      'address.create',
    );
    expect(err.message).toBe(
      'API error [409] on address.create: Name Not Unique (E006), request_id=abcd-1234',
    );
    expect(err.name).toBe('ScmApiError');
    expect(err.code).toBe('SCM_API_ERROR');
  });

  it('falls back to a request id from the headers and joins several errors', () => {
    const err = new ScmApiError({
      status: 400,
      text: JSON.stringify({ _errors: [{ code: 'E003', message: 'A' }, 'B', { code: 'API_I00013' }] }),
      requestId: 'hdr-1',
    });
    expect(err.message).toBe('API error [400]: A (E003); B; API_I00013, request_id=hdr-1');
    expect(err.scmCode).toBe('E003');
  });

  it.each([
    [
      'details as an object',
      { errorType: 'Invalid Object', message: ['bad ip_netmask'] },
      '{"errorType":"Invalid Object","message":["bad ip_netmask"]}',
    ],
    ['details as strings', ['name is required', 'folder is invalid'], 'name is required; folder is invalid'],
    ['details as one string', 'folder is invalid', 'folder is invalid'],
  ])('keeps %s', (_label, details, text) => {
    const err = apiError(
      400,
      JSON.stringify({ _errors: [{ code: 'E003', message: 'Invalid Object', details }] }),
    );
    expect(err.message).toBe('API error [400] on address.update: Invalid Object (E003)');
    expect(err.details).toEqual(details);
    expect(err.detailsText).toBe(text);
  });

  it.each([
    [
      'non-JSON',
      403,
      'Forbidden: tenant locked',
      'API error [403] on address.update: Forbidden: tenant locked',
    ],
    ['other JSON', 403, '{"message":"nope"}', 'API error [403] on address.update: {"message":"nope"}'],
    ['a JSON list', 500, '[1,2]', 'API error [500] on address.update: [1,2]'],
    ['JSON null', 500, 'null', 'API error [500] on address.update: null'],
    [
      '_errors of junk',
      400,
      '{"_errors":[null,42,{}]}',
      'API error [400] on address.update: {"_errors":[null,42,{}]}',
    ],
    ['an empty body', 503, '', 'API error [503] on address.update: Service Unavailable'],
    ['an odd status', 599, '', 'API error [599] on address.update: no body'],
  ])('never crashes on %s', (_label, status, text, message) => {
    const err = apiError(status, text);
    expect(err.message).toBe(message);
    expect(err.status).toBe(status);
    expect(err.rawText).toBe(text);
  });

  it('cuts long raw text to about 500 characters', () => {
    const err = apiError(502, 'x'.repeat(5000));
    expect(err.rawText.length).toBeLessThanOrEqual(501);
    expect(err.message.length).toBeLessThan(600);
  });

  it('serialises its useful fields, message included', () => {
    const json = JSON.parse(
      JSON.stringify(apiError(404, '{"_errors":[{"code":"E005","message":"Object Not Present"}]}')),
    );
    expect(json).toMatchObject({
      name: 'ScmApiError',
      code: 'SCM_API_ERROR',
      status: 404,
      scmCode: 'E005',
      message: 'API error [404] on address.update: Object Not Present (E005)',
    });
  });
});

describe('apiErrorHint', () => {
  it.each([
    [409, 'E006', /pick another name, or update the existing object/],
    [400, 'E006', /pick another name/],
    [404, 'E005', /check the id and the folder .*list/],
    [404, undefined, /check the id and the folder/],
    [409, 'E009', /still referenced.*remove those references first/],
    [400, 'E003', /fix the field/],
    [400, undefined, /fix the field/],
    [401, undefined, /client id, client secret/],
    [403, undefined, /role/],
    [429, undefined, /Rate limited.*retry later/],
    [500, undefined, /service problem/],
    [503, undefined, /service problem/],
  ])('%i %s', (status, code, hint) => {
    expect(apiErrorHint(status, code)).toMatch(hint);
  });
});

describe('TokenError', () => {
  it('shows the OAuth error and what to do', () => {
    const err = new TokenError({ status: 401, text: '{"error":"invalid_client"}', tsgId: '1' });
    expect(err.message).toMatch(
      /^token fetch failed: status=401 body=invalid_client\. .*rotate or re-enter the client secret/,
    );
    expect(err.hint).toMatch(/check the client id/);
  });

  it('adds error_description and handles empty bodies', () => {
    expect(
      new TokenError({
        status: 400,
        text: '{"error":"invalid_scope","error_description":"bad tsg"}',
        tsgId: '9',
      }).message,
    ).toBe(
      'token fetch failed: status=400 body=invalid_scope (bad tsg). Check the TSG id (9), the client id and the auth URL.',
    );
    expect(new TokenError({ status: 502, text: '', tsgId: '9' }).message).toBe(
      'token fetch failed: status=502 body=<empty>. The token service is busy or failing: retry later.',
    );
  });
});

describe('ScmNetworkError', () => {
  it('names the operation, the attempts and the cause code', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const err = new ScmNetworkError({ operation: 'address.list', attempts: 5, cause });
    expect(err.message).toBe(
      'network error on address.list after 5 attempts: connect ECONNREFUSED 127.0.0.1:9',
    );
    expect(err.causeCode).toBe('ECONNREFUSED');
    expect(err.cause).toBe(cause);
    expect(err.hint).toMatch(/could not be reached/);
  });

  it('finds the code inside an AggregateError', () => {
    const inner = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    const err = new ScmNetworkError({
      operation: 'x',
      attempts: 1,
      cause: new AggregateError([inner], 'all failed'),
    });
    expect(err.causeCode).toBe('ECONNREFUSED');
    expect(err.message).toBe('network error on x after 1 attempt: all failed (ECONNREFUSED)');
  });
});
