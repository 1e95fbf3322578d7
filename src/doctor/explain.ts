import { ScmApiError, ScmNetworkError, TokenError } from '../scm/errors.js';

export interface Explained {
  /** Stable name of the cause, for scripts and tests. */
  cause:
    | 'wrong_secret'
    | 'tsg_outside_hierarchy'
    | 'no_role'
    | 'bad_request'
    | 'dns'
    | 'tls'
    | 'proxy'
    | 'unreachable'
    | 'timeout'
    | 'api_forbidden'
    | 'api_error'
    | 'unknown';
  message: string;
  fix: string;
}

const TLS = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/;

/** A failed step of the connection check as a cause and a fix a person can act on. */
export function explain(err: unknown, tsgId: string, env: NodeJS.ProcessEnv = process.env): Explained {
  const proxy = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof TokenError) {
    const text = `${err.oauthError ?? ''} ${message}`;
    if (err.status === 401)
      return {
        cause: 'wrong_secret',
        message,
        fix: 'The client id or secret is wrong or was rotated: copy the current secret of the service account (Identity & Access > Service accounts) into SCM_CLIENT_SECRET.',
      };
    if (/hierarch/i.test(text))
      return {
        cause: 'tsg_outside_hierarchy',
        message,
        fix: `TSG ${tsgId} is not the service account's TSG or one of its descendants: use a service account created at TSG ${tsgId} or an ancestor, or add an access policy (IAM API) granting this account a role on TSG ${tsgId}.`,
      };
    if (err.status === 403)
      return {
        cause: 'no_role',
        message,
        fix: `Give the service account a role on TSG ${tsgId} (Identity & Access > Access management), e.g. Superuser or a configuration role.`,
      };
    return {
      cause: 'bad_request',
      message,
      fix: `Check SCM_TSG_ID (${tsgId}, 10 digits), SCM_CLIENT_ID and SCM_AUTH_URL.`,
    };
  }
  if (err instanceof ScmApiError) {
    if (err.status === 403)
      return {
        cause: 'api_forbidden',
        message,
        fix: `The token works but its role lacks this permission on TSG ${tsgId}: give the service account a role that may read configuration.`,
      };
    return { cause: 'api_error', message, fix: err.hint };
  }
  if (err instanceof ScmNetworkError) {
    const code = err.causeCode ?? '';
    const all = `${code} ${message} ${err.cause instanceof Error && err.cause.cause instanceof Error ? err.cause.cause.message : ''}`;
    if (/ENOTFOUND|EAI_AGAIN/.test(all))
      return {
        cause: 'dns',
        message,
        fix: `The host name does not resolve${proxy ? '' : ' and no proxy is set'}: check DNS on this machine and the API/auth URLs; behind a proxy set HTTPS_PROXY.`,
      };
    if (TLS.test(all))
      return {
        cause: 'tls',
        message,
        fix: 'The TLS certificate was not accepted: a TLS-inspecting proxy needs its CA in NODE_EXTRA_CA_CERTS; check the URLs and the system clock.',
      };
    if (proxy)
      return {
        cause: 'proxy',
        message,
        fix: `The proxy ${proxy.replace(/\/\/[^@]*@/, '//')} refused or failed the connection: check HTTPS_PROXY and NO_PROXY.`,
      };
    if (/TIMEOUT/.test(code))
      return {
        cause: 'timeout',
        message,
        fix: 'No answer in time: check the firewall and the network path to SCM.',
      };
    return {
      cause: 'unreachable',
      message,
      fix: 'SCM could not be reached: check the network, the firewall and the API/auth URLs.',
    };
  }
  return { cause: 'unknown', message, fix: 'Unexpected failure: run again with --log-level debug.' };
}
