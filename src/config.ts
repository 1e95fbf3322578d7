import { parseArgs } from 'node:util';
import { HTTP_OPTIONS, HTTP_USAGE, type HttpConfig, httpConfigFrom } from './config-http.js';
import type { LogLevel } from './log.js';
import { registerSecret } from './secrets.js';

export const DEFAULTS = {
  api: 'prisma-access',
  apiUrl: 'https://api.sase.paloaltonetworks.com',
  /** The unified SCM configuration API is served from the Strata host. */
  scmApiUrl: 'https://api.strata.paloaltonetworks.com',
  setupUrl: 'https://api.strata.paloaltonetworks.com',
  authUrl: 'https://auth.apps.paloaltonetworks.com/oauth2/access_token',
};

export type ApprovalMode = 'auto' | 'strict' | 'flag' | 'confirm-token';
export const APPROVAL_MODES: readonly ApprovalMode[] = ['auto', 'strict', 'flag', 'confirm-token'];

/** The API generations the server can serve (`--api`); each has its own catalogue. */
export const API_NAMES = ['prisma-access', 'scm'] as const;

export interface Config {
  backend: 'scm' | 'sandbox';
  /** Which catalogue is served: `prisma-access` (/sse/config/v1) or `scm` (the unified /config/... API). */
  api?: string;
  credentials?: { clientId: string; clientSecret: string; tsgId: string };
  apiUrl: string;
  setupUrl: string;
  authUrl: string;
  sandboxState?: string;
  readOnly: boolean;
  approval: ApprovalMode;
  /** `inbox`: people approve gated calls in the approval inbox web page. */
  approvals?: 'inbox';
  inboxHost?: string;
  inboxPort?: number;
  /** The inbox URL people open, when it differs from http://host:port (a proxy in front). */
  inboxUrl?: string;
  /** `name:sha256hex` lines: who may sign in to the inbox (file, or PRISMA_MCP_APPROVERS). */
  approversFile?: string;
  approversEnv?: string;
  /** OIDC sign-in to the inbox (with --oauth-issuer): the inbox's client id at the issuer, and its secret (env only). */
  inboxOidcClientId?: string;
  inboxOidcClientSecret?: string;
  /** An approver may not approve a request made by an MCP client of the same name. */
  fourEyes?: boolean;
  /** POST a JSON notice (Slack/Teams-compatible `text`) for each pending approval. */
  approvalWebhook?: string;
  /** How long a gated call waits for an inbox decision before returning pending (seconds, default 120). */
  inboxWaitSeconds?: number;
  auditLog?: string;
  toolsets?: string[];
  tools: string[];
  excludeTools: string[];
  logLevel: LogLevel;
  /** Largest stdio message in bytes. */
  maxMessageBytes?: number;
  /** One deadline per tool call, token fetch and retries included. */
  callTimeoutMs?: number;
  /** The audit log rotates past this size; `auditKeep` rotated files are kept. */
  auditMaxBytes?: number;
  auditKeep?: number;
  /** Connections in the pool per SCM host. */
  maxConnections?: number;
  /** Set when an SCM URL is http:// on a host that is not loopback: the secret would travel in clear. */
  insecureUrls?: string[];
  /** Set in HTTP mode (--http); stdio otherwise. */
  http?: HttpConfig;
  /** Tenants file (--tenants): aliases and credentials per TSG. */
  tenantsFile?: string;
  /** Shared state for several replicas (approval tokens): redis://... */
  redisUrl?: string;
  /** Every result as JSON text, no outputSchema listed: for clients that read only a result's text. */
  textResults?: boolean;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_ERROR';
}

export const USAGE = `Usage: prisma-access-mcp [options]

Serves the Prisma Access configuration API as MCP tools over stdio (or Streamable HTTP with --http).
With no SCM_* credentials at all it runs on the embedded sandbox (a simulated tenant).

Credentials (environment variable, or flag):
  SCM_CLIENT_ID      --client-id       service account client id
  SCM_CLIENT_SECRET  --client-secret   its secret (prefer the variable: flags show in process lists)
  SCM_TSG_ID         --tsg-id          tenant service group id
  SCM_API_URL        --api-url         default ${DEFAULTS.apiUrl} (--api scm: ${DEFAULTS.scmApiUrl})
  SCM_SETUP_URL      --setup-url       default ${DEFAULTS.setupUrl}
  SCM_AUTH_URL       --auth-url        default ${DEFAULTS.authUrl}

Options:
  --api NAME                prisma-access (default: /sse/config/v1, 344 tools) or scm (the unified Strata Cloud
                            Manager configuration API, /config/..., 762 tools); env PRISMA_MCP_API
  --sandbox                 use the embedded sandbox even if credentials are set
  --sandbox-state FILE      keep the sandbox tenant in FILE across restarts
  --read-only               list and allow read tools only
  --approval MODE           who approves destructive and deploy calls:
                            auto (default): a person, in the client's approval prompt, else in the approval
                              inbox; with neither, such calls are refused
                            strict: a person, in the client's approval prompt only
                            confirm-token: the prompt, else the model confirms with a preview token (no person)
                            flag: confirm: true is enough (no person)
  --approvals inbox         serve the approval inbox: a web page where approvers decide (needs --approvers)
  --approvers FILE          approvers, one "name:sha256-of-token" a line (or PRISMA_MCP_APPROVERS, comma-separated)
  --inbox-host HOST         inbox address (default 127.0.0.1)
  --inbox-port PORT         inbox port (default 8765; 0 picks a free one)
  --inbox-url URL           the inbox address people open, if not http://HOST:PORT (a proxy in front)
  --inbox-wait SECONDS      how long a call waits for a decision before it returns pending (default 120)
  --inbox-oidc-client-id ID with --oauth-issuer: "Sign in with <issuer>" on the inbox, as this OIDC client
                            (secret in PRISMA_MCP_INBOX_OIDC_CLIENT_SECRET; approvers listed with oidc=EMAIL-OR-SUB)
  --four-eyes               an approver cannot approve a request from an MCP client of the same name
  --approval-webhook URL    POST each pending approval there as JSON (Slack/Teams-compatible text)
  --audit-log FILE          where to append the audit log (JSON lines)
  --toolsets a,b            toolsets to list: objects, policy, security-profiles, identity, certificates,
                            network, mobile-agent, config, catalogues, folders, discovery; default (the
                            default list), all (every tool). Discovery tools reach the unlisted ones.
  --tools x,y               add single tools
  --exclude-tools x,y       remove single tools (not reachable through discovery either)
  --log-level LEVEL         debug, info, warn, error, silent (default info)
  --call-timeout MS         deadline of one tool call, token fetch and retries included (default 60000;
                            env PRISMA_MCP_CALL_TIMEOUT_MS)
  --max-message-bytes N     largest stdio message; a longer one is refused (default 4194304)
  --audit-max-bytes N       rotate the audit log past this size (default 52428800; env PRISMA_MCP_AUDIT_MAX_BYTES)
  --audit-keep N            rotated audit files kept (default 5)
  --max-connections N       connections per SCM host (default 64; env PRISMA_MCP_MAX_CONNECTIONS)
  --tenants FILE            tenants (TSGs) calls may name with tsg_id: alias and credentials, or a parent
                            TSG whose descendants may be used (PRISMA_MCP_TENANTS)
  --redis-url URL           share approval tokens between replicas through Redis (PRISMA_MCP_REDIS_URL)
  --text-results            every tool result as JSON text, no structuredContent or output schemas: for
                            clients that read only a result's text (default: structured tools put their
                            data in structuredContent and a summary in the text; PRISMA_MCP_TEXT_RESULTS=1)
  -h, --help                this text
  -v, --version             the version
${HTTP_USAGE}
Commands:
  prisma-access-mcp clients add NAME --scopes config:read,... --clients FILE [--tsgs a,b] [--toolsets a,b]
  prisma-access-mcp doctor [credentials and --tenants as above]
`;

const list = (v: string | undefined) =>
  v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** An http:// URL whose host is not this machine: what is sent there (the client secret) travels in clear. */
export function isCleartextRemote(url: string): boolean {
  const u = new URL(url);
  return (
    u.protocol === 'http:' &&
    !LOOPBACK.has(u.hostname) &&
    !/^127\./.test(u.hostname) &&
    !u.hostname.endsWith('.localhost')
  );
}

function redisUrl(v: string | undefined): string | undefined {
  if (v !== undefined && !/^rediss?:\/\//.test(v))
    throw new ConfigError('redis-url must start with redis:// or rediss://');
  return v;
}

const optional = <K extends string, V>(key: K, v: V | undefined) => (v === undefined ? {} : { [key]: v });

/** Flags and environment -> a validated config. Throws ConfigError naming what is wrong. */
export function loadConfig(
  argv: string[],
  env: NodeJS.ProcessEnv,
): Config & { help?: boolean; version?: boolean } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        api: { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        'tsg-id': { type: 'string' },
        'api-url': { type: 'string' },
        'setup-url': { type: 'string' },
        'auth-url': { type: 'string' },
        sandbox: { type: 'boolean' },
        'sandbox-state': { type: 'string' },
        'read-only': { type: 'boolean' },
        approval: { type: 'string' },
        approvals: { type: 'string' },
        approvers: { type: 'string' },
        'inbox-host': { type: 'string' },
        'inbox-port': { type: 'string' },
        'inbox-url': { type: 'string' },
        'inbox-wait': { type: 'string' },
        'inbox-oidc-client-id': { type: 'string' },
        'four-eyes': { type: 'boolean' },
        'approval-webhook': { type: 'string' },
        'audit-log': { type: 'string' },
        toolsets: { type: 'string' },
        tools: { type: 'string' },
        'exclude-tools': { type: 'string' },
        'log-level': { type: 'string' },
        'call-timeout': { type: 'string' },
        'max-message-bytes': { type: 'string' },
        'audit-max-bytes': { type: 'string' },
        'audit-keep': { type: 'string' },
        'max-connections': { type: 'string' },
        tenants: { type: 'string' },
        'redis-url': { type: 'string' },
        'text-results': { type: 'boolean' },
        ...HTTP_OPTIONS,
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    }));
  } catch (err) {
    throw new ConfigError(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
  }
  const str = (flag: string, name: string) => {
    const v = (values[flag] as string | undefined) ?? env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const clientId = str('client-id', 'SCM_CLIENT_ID');
  const clientSecret = (values['client-secret'] as string | undefined) ?? env.SCM_CLIENT_SECRET;
  const tsgId = str('tsg-id', 'SCM_TSG_ID');
  const given = { clientId, clientSecret: clientSecret || undefined, tsgId };
  const missing = Object.entries(given)
    .filter(([, v]) => !v)
    .map(([k]) => k);

  let backend: Config['backend'];
  if (values.sandbox === true) backend = 'sandbox';
  else if (missing.length === 3) backend = 'sandbox';
  else if (missing.length) {
    // Partial credentials are a mistake, never a reason to fall back to the sandbox.
    throw new ConfigError(
      `${missing.map((m) => `${m} is required`).join('; ')} (or set none of SCM_CLIENT_ID, SCM_CLIENT_SECRET, SCM_TSG_ID to use the sandbox)`,
    );
  } else backend = 'scm';

  const approval = (values.approval as string | undefined) ?? 'auto';
  if (!(APPROVAL_MODES as readonly string[]).includes(approval)) {
    throw new ConfigError(`approval must be one of ${APPROVAL_MODES.join(', ')}; got ${approval}`);
  }
  const inboxConfig = approvalInboxConfig(str, values, env);
  if (inboxConfig.approvals && approval !== 'auto')
    throw new ConfigError(
      `--approvals inbox works with --approval auto (people approve there); got --approval ${approval}`,
    );
  const http = httpConfigFrom(values, env);
  if (inboxConfig.inboxOidcClientId && !http?.oauth)
    throw new ConfigError(
      '--inbox-oidc-client-id needs --http with --oauth-issuer (the issuer approvers sign in with)',
    );
  const logLevel = (str('log-level', 'PRISMA_MCP_LOG_LEVEL') ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
    throw new ConfigError(`log-level must be one of debug, info, warn, error, silent; got ${logLevel}`);
  }
  const api = str('api', 'PRISMA_MCP_API') ?? DEFAULTS.api;
  if (!(API_NAMES as readonly string[]).includes(api))
    throw new ConfigError(`unknown --api "${api}"; valid: ${API_NAMES.join(', ')}`);
  const urls = {
    apiUrl: str('api-url', 'SCM_API_URL') ?? (api === 'scm' ? DEFAULTS.scmApiUrl : DEFAULTS.apiUrl),
    setupUrl: str('setup-url', 'SCM_SETUP_URL') ?? DEFAULTS.setupUrl,
    authUrl: str('auth-url', 'SCM_AUTH_URL') ?? DEFAULTS.authUrl,
  };
  for (const [name, url] of Object.entries(urls)) {
    try {
      const u = new URL(url);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error();
    } catch {
      throw new ConfigError(`${name} must be an http(s) URL; got ${url}`);
    }
  }
  const int = (flag: string, envName: string | undefined, fallback: number, min: number) => {
    const raw = str(flag, envName ?? '');
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < min) {
      throw new ConfigError(`${flag} must be a whole number of at least ${min}; got ${raw}`);
    }
    return n;
  };
  return {
    backend,
    api,
    ...(backend === 'scm' ? { credentials: given as Config['credentials'] } : {}),
    ...urls,
    sandboxState: str('sandbox-state', 'PRISMA_MCP_SANDBOX_STATE'),
    readOnly: values['read-only'] === true,
    approval: approval as ApprovalMode,
    ...inboxConfig,
    auditLog: str('audit-log', 'PRISMA_MCP_AUDIT_LOG'),
    toolsets: list(values.toolsets as string | undefined),
    tools: list(values.tools as string | undefined) ?? [],
    excludeTools: list(values['exclude-tools'] as string | undefined) ?? [],
    logLevel,
    callTimeoutMs: int('call-timeout', 'PRISMA_MCP_CALL_TIMEOUT_MS', 60_000, 1),
    maxMessageBytes: int('max-message-bytes', undefined, 4 * 1024 * 1024, 1024),
    auditMaxBytes: int('audit-max-bytes', 'PRISMA_MCP_AUDIT_MAX_BYTES', 50 * 1024 * 1024, 4096),
    auditKeep: int('audit-keep', undefined, 5, 0),
    maxConnections: int('max-connections', 'PRISMA_MCP_MAX_CONNECTIONS', 64, 1),
    insecureUrls: backend === 'scm' ? Object.values(urls).filter(isCleartextRemote) : [],
    ...optional('http', http),
    ...optional('tenantsFile', str('tenants', 'PRISMA_MCP_TENANTS')),
    ...optional('redisUrl', redisUrl(str('redis-url', 'PRISMA_MCP_REDIS_URL'))),
    ...(values['text-results'] === true || ['1', 'true'].includes(env.PRISMA_MCP_TEXT_RESULTS ?? '')
      ? { textResults: true }
      : {}),
    help: values.help === true,
    version: values.version === true,
  };
}

/** The approval inbox flags, checked: a port number, http(s) URLs, approvers when the inbox is on. */
function approvalInboxConfig(
  str: (flag: string, env: string) => string | undefined,
  values: Record<string, string | boolean | undefined>,
  env: NodeJS.ProcessEnv,
): Partial<Config> {
  const approvals = str('approvals', 'PRISMA_MCP_APPROVALS');
  if (approvals !== undefined && approvals !== 'inbox')
    throw new ConfigError(`approvals must be inbox; got ${approvals}`);
  const num = (flag: string, env: string, max: number) => {
    const v = str(flag, env);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!/^\d+$/.test(v) || n > max)
      throw new ConfigError(`${flag} must be a whole number from 0 to ${max}; got ${v}`);
    return n;
  };
  const url = (flag: string, env: string) => {
    const v = str(flag, env);
    if (v === undefined) return undefined;
    try {
      if (!/^https?:$/.test(new URL(v).protocol)) throw new Error();
    } catch {
      throw new ConfigError(`${flag} must be an http(s) URL; got ${v}`);
    }
    return v;
  };
  const out: Partial<Config> = {
    ...(approvals ? { approvals: 'inbox' as const } : {}),
    inboxHost: str('inbox-host', 'PRISMA_MCP_INBOX_HOST'),
    inboxPort: num('inbox-port', 'PRISMA_MCP_INBOX_PORT', 65535),
    inboxUrl: url('inbox-url', 'PRISMA_MCP_INBOX_URL'),
    inboxWaitSeconds: num('inbox-wait', 'PRISMA_MCP_INBOX_WAIT', 3600),
    approversFile: str('approvers', 'PRISMA_MCP_APPROVERS_FILE'),
    approversEnv: env.PRISMA_MCP_APPROVERS?.trim() || undefined,
    inboxOidcClientId: str('inbox-oidc-client-id', 'PRISMA_MCP_INBOX_OIDC_CLIENT_ID'),
    inboxOidcClientSecret: env.PRISMA_MCP_INBOX_OIDC_CLIENT_SECRET || undefined,
    fourEyes: values['four-eyes'] === true,
    approvalWebhook: url('approval-webhook', 'PRISMA_MCP_APPROVAL_WEBHOOK'),
  };
  if (approvals && !out.approversFile && !out.approversEnv)
    throw new ConfigError(
      '--approvals inbox needs approvers: --approvers FILE (lines "name:sha256-of-token") or PRISMA_MCP_APPROVERS',
    );
  registerSecret(out.inboxOidcClientSecret);
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as Partial<Config>;
}
