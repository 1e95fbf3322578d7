import { ConfigError } from './config.js';

/** Streamable HTTP mode: where to listen and who may connect. */
export interface HttpConfig {
  host: string;
  port: number;
  /** Host header names accepted (DNS rebinding): the loopback names plus --allowed-hosts. */
  allowedHosts: string[];
  /** Origin values accepted when a browser sends one; requests without Origin are not browsers. */
  allowedOrigins: string[];
  /** Clients file (name, token hash, scopes, TSGs, toolsets). */
  clientsFile?: string;
  oauth?: { issuer: string; audience: string; jwksUrl?: string };
  /** A session without requests for this long is closed. */
  sessionIdleMs: number;
  /** The URL clients use to reach /mcp (protected-resource metadata); default from host and bound port. */
  publicUrl?: string;
}

export const HTTP_OPTIONS = {
  http: { type: 'boolean' },
  host: { type: 'string' },
  port: { type: 'string' },
  'allowed-hosts': { type: 'string' },
  'allowed-origins': { type: 'string' },
  clients: { type: 'string' },
  'oauth-issuer': { type: 'string' },
  'oauth-audience': { type: 'string' },
  'oauth-jwks-url': { type: 'string' },
  'public-url': { type: 'string' },
  'session-idle': { type: 'string' },
} as const;

export const HTTP_USAGE = `
HTTP (Streamable HTTP at /mcp, /healthz, /readyz):
  --http                    serve over HTTP instead of stdio (PRISMA_MCP_HTTP=1)
  --host ADDR               listen address, default 127.0.0.1 (PRISMA_MCP_HOST); a non-loopback address
                            needs --clients or --oauth-issuer
  --port N                  default 8080 (PRISMA_MCP_PORT)
  --allowed-hosts a,b       Host names accepted besides localhost, 127.0.0.1, [::1] (DNS rebinding check)
  --allowed-origins a,b     browser Origins accepted (default: loopback origins only)
  --clients FILE            client tokens and scopes (PRISMA_MCP_CLIENTS); see "clients add"
  --oauth-issuer URL        accept JWTs from this issuer (its JWKS from its metadata or --oauth-jwks-url)
  --oauth-audience AUD      the audience those JWTs must carry
  --public-url URL          the URL clients use for /mcp (for OAuth metadata)
  --session-idle SECONDS    close idle sessions after this long, default 1800
`;

const LOOPBACK = ['127.0.0.1', 'localhost', '::1', '[::1]'];
export const isLoopback = (host: string) => LOOPBACK.includes(host) || host.startsWith('127.');

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function url(name: string, v: string): string {
  try {
    const u = new URL(v);
    if (u.protocol === 'https:' || u.protocol === 'http:') return v;
  } catch {
    /* fall through */
  }
  throw new ConfigError(`${name} must be an http(s) URL; got ${v}`);
}

/** The HTTP part of the config, or undefined in stdio mode. Throws ConfigError naming the flag. */
export function httpConfigFrom(
  values: Record<string, string | boolean | undefined>,
  env: NodeJS.ProcessEnv,
): HttpConfig | undefined {
  const str = (flag: string, name: string) => {
    const v = (values[flag] as string | undefined) ?? env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const on = values.http === true || ['1', 'true'].includes(env.PRISMA_MCP_HTTP ?? '');
  if (!on) {
    for (const flag of Object.keys(HTTP_OPTIONS))
      if (flag !== 'http' && values[flag] !== undefined) throw new ConfigError(`--${flag} needs --http`);
    return undefined;
  }
  const host = str('host', 'PRISMA_MCP_HOST') ?? '127.0.0.1';
  const portText = str('port', 'PRISMA_MCP_PORT') ?? '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new ConfigError(`port must be 0-65535; got ${portText}`);
  const idleText = str('session-idle', 'PRISMA_MCP_SESSION_IDLE') ?? '1800';
  const idle = Number(idleText);
  if (!/^\d+$/.test(idleText) || idle < 1)
    throw new ConfigError(`session-idle must be whole seconds >= 1; got ${idleText}`);
  const clientsFile = str('clients', 'PRISMA_MCP_CLIENTS');
  const issuer = str('oauth-issuer', 'PRISMA_MCP_OAUTH_ISSUER');
  const audience = str('oauth-audience', 'PRISMA_MCP_OAUTH_AUDIENCE');
  const jwksUrl = str('oauth-jwks-url', 'PRISMA_MCP_OAUTH_JWKS_URL');
  if ((issuer === undefined) !== (audience === undefined))
    throw new ConfigError('oauth-issuer and oauth-audience go together: set both or neither');
  if (issuer && clientsFile) throw new ConfigError('use either --clients or --oauth-issuer, not both');
  if (!isLoopback(host) && !clientsFile && !issuer)
    throw new ConfigError(
      `host ${host} is not a loopback address: refusing to serve without client auth. Set --clients FILE or --oauth-issuer/--oauth-audience, or bind 127.0.0.1.`,
    );
  const publicText = str('public-url', 'PRISMA_MCP_PUBLIC_URL');
  const publicUrl = publicText === undefined ? undefined : url('public-url', publicText);
  const extraHosts = list(str('allowed-hosts', 'PRISMA_MCP_ALLOWED_HOSTS'));
  const publicHost = publicUrl ? [new URL(publicUrl).hostname] : [];
  const bound =
    isLoopback(host) || host === '0.0.0.0' || host === '::' ? [] : [host.includes(':') ? `[${host}]` : host];
  return {
    host,
    port,
    allowedHosts: [...new Set(['localhost', '127.0.0.1', '[::1]', ...bound, ...publicHost, ...extraHosts])],
    allowedOrigins: list(str('allowed-origins', 'PRISMA_MCP_ALLOWED_ORIGINS')),
    ...(clientsFile ? { clientsFile } : {}),
    ...(issuer && audience
      ? {
          oauth: {
            issuer: url('oauth-issuer', issuer),
            audience,
            ...(jwksUrl ? { jwksUrl: url('oauth-jwks-url', jwksUrl) } : {}),
          },
        }
      : {}),
    sessionIdleMs: idle * 1000,
    ...(publicUrl ? { publicUrl } : {}),
  };
}
