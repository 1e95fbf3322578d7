export { dropNulls } from './drop-nulls.js';
export {
  apiErrorHint,
  ScmApiError,
  type ScmApiErrorInit,
  ScmError,
  type ScmErrorItem,
  ScmNetworkError,
  ScmTimeoutError,
  ScmUnexpectedResponseError,
  TokenError,
} from './errors.js';
export { ScmClient, type ScmClientOptions, type ScmRequest, type ScmResponse } from './http-client.js';
export { type PaginatedList, type PaginateOptions, paginate } from './paginate.js';
export { buildPath, buildQuery, encodePathParam } from './path.js';
export { DEFAULT_RETRY, type RetryOptions } from './retry-policy.js';
export { type ListPage, toListPage, unwrapObject } from './shapes.js';
export { TokenSource, type TokenSourceOptions } from './token-source.js';
export { sharedAgent } from './transport.js';
export type { HttpMethod, ScmLogger, Sleep } from './types.js';
