import { parseArgs } from 'node:util';
import { HTTP_OPTIONS, HTTP_USAGE, type HttpConfig, httpConfigFrom } from './config-http.js';
import type { LogLevel } from './log.js';

export const DEFAULTS = {
  apiUrl: 'https://api.sase.paloaltonetworks.com',
  setupUrl: 'https://api.strata.paloaltonetworks.com',
  authUrl: 'https://auth.apps.paloaltonetworks.com/oauth2/access_token',
};

export type ApprovalMode = 'auto' | 'strict' | 'flag';

export interface Config {
  backend: 'scm' | 'sandbox';
  credentials?: { clientId: string; clientSecret: string; tsgId: string };
  apiUrl: string;
  setupUrl: string;
  authUrl: string;
  sandboxState?: string;
  readOnly: boolean;
  approval: ApprovalMode;
  auditLog?: string;
  toolsets?: string[];
  tools: string[];
  excludeTools: string[];
  logLevel: LogLevel;
  /** Set in HTTP mode (--http); stdio otherwise. */
  http?: HttpConfig;
  /** Tenants file (--tenants): aliases and credentials per TSG. */
  tenantsFile?: string;
  /** Shared state for several replicas (approval tokens): redis://... */
  redisUrl?: string;
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
  SCM_API_URL        --api-url         default ${DEFAULTS.apiUrl}
  SCM_SETUP_URL      --setup-url       default ${DEFAULTS.setupUrl}
  SCM_AUTH_URL       --auth-url        default ${DEFAULTS.authUrl}

Options:
  --sandbox                 use the embedded sandbox even if credentials are set
  --sandbox-state FILE      keep the sandbox tenant in FILE across restarts
  --read-only               list and allow read tools only
  --approval MODE           auto (default), strict (person must approve via the client), flag (confirm: true is enough)
  --audit-log FILE          where to append the audit log (JSON lines)
  --toolsets a,b            toolsets to list: objects, policy, security-profiles, identity, certificates,
                            network, mobile-agent, config, catalogues, folders, discovery; default (the
                            default list), all (every tool). Discovery tools reach the unlisted ones.
  --tools x,y               add single tools
  --exclude-tools x,y       remove single tools (not reachable through discovery either)
  --log-level LEVEL         debug, info, warn, error, silent (default info)
  --tenants FILE            tenants (TSGs) calls may name with tsg_id: alias and credentials, or a parent
                            TSG whose descendants may be used (PRISMA_MCP_TENANTS)
  --redis-url URL           share approval tokens between replicas through Redis (PRISMA_MCP_REDIS_URL)
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

function redisUrl(v: string | undefined): string | undefined {
  if (v !== undefined && !/^rediss?:\/\//.test(v)) throw new ConfigError('redis-url must start with redis:// or rediss://');
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
        'audit-log': { type: 'string' },
        toolsets: { type: 'string' },
        tools: { type: 'string' },
        'exclude-tools': { type: 'string' },
        'log-level': { type: 'string' },
        tenants: { type: 'string' },
        'redis-url': { type: 'string' },
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
  if (!['auto', 'strict', 'flag'].includes(approval)) {
    throw new ConfigError(`approval must be one of auto, strict, flag; got ${approval}`);
  }
  const logLevel = (str('log-level', 'PRISMA_MCP_LOG_LEVEL') ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
    throw new ConfigError(`log-level must be one of debug, info, warn, error, silent; got ${logLevel}`);
  }
  const urls = {
    apiUrl: str('api-url', 'SCM_API_URL') ?? DEFAULTS.apiUrl,
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
  return {
    backend,
    ...(backend === 'scm' ? { credentials: given as Config['credentials'] } : {}),
    ...urls,
    sandboxState: str('sandbox-state', 'PRISMA_MCP_SANDBOX_STATE'),
    readOnly: values['read-only'] === true,
    approval: approval as ApprovalMode,
    auditLog: str('audit-log', 'PRISMA_MCP_AUDIT_LOG'),
    toolsets: list(values.toolsets as string | undefined),
    tools: list(values.tools as string | undefined) ?? [],
    excludeTools: list(values['exclude-tools'] as string | undefined) ?? [],
    logLevel,
    ...optional('http', httpConfigFrom(values, env)),
    ...optional('tenantsFile', str('tenants', 'PRISMA_MCP_TENANTS')),
    ...optional('redisUrl', redisUrl(str('redis-url', 'PRISMA_MCP_REDIS_URL'))),
    help: values.help === true,
    version: values.version === true,
  };
}
