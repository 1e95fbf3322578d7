import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, loadConfig } from '../src/config.js';

const creds = {
  SCM_CLIENT_ID: 'id@tsg.iam.panserviceaccount.com',
  SCM_CLIENT_SECRET: 's3cret-value',
  SCM_TSG_ID: '1234567890',
};

describe('loadConfig', () => {
  it('uses the real API with all three credentials, and the documented default URLs', () => {
    const c = loadConfig([], creds);
    expect(c.backend).toBe('scm');
    expect(c.credentials).toEqual({
      clientId: creds.SCM_CLIENT_ID,
      clientSecret: creds.SCM_CLIENT_SECRET,
      tsgId: creds.SCM_TSG_ID,
    });
    expect(c.apiUrl).toBe('https://api.sase.paloaltonetworks.com');
    expect(c.setupUrl).toBe('https://api.strata.paloaltonetworks.com');
    expect(c.authUrl).toBe('https://auth.apps.paloaltonetworks.com/oauth2/access_token');
    expect(DEFAULTS.apiUrl).toBe(c.apiUrl);
  });

  it('--text-results asks for every result as JSON text (off by default)', () => {
    expect(loadConfig(['--text-results'], {}).textResults).toBe(true);
    expect(loadConfig([], {}).textResults).toBeUndefined();
    expect(loadConfig([], { PRISMA_MCP_TEXT_RESULTS: '1' }).textResults).toBe(true);
  });

  it('runs on the sandbox with no credentials at all, or when forced', () => {
    expect(loadConfig([], {}).backend).toBe('sandbox');
    expect(loadConfig(['--sandbox'], creds).backend).toBe('sandbox');
    expect(loadConfig(['--sandbox'], creds).credentials).toBeUndefined();
  });

  it('refuses partial credentials, naming what is missing, never falling back', () => {
    expect(() => loadConfig([], { SCM_CLIENT_SECRET: 'x', SCM_TSG_ID: '1' })).toThrow(/clientId is required/);
    expect(() => loadConfig([], { SCM_CLIENT_ID: 'x' })).toThrow(
      /clientSecret is required; tsgId is required/,
    );
    expect(() => loadConfig(['--tsg-id', '1'], {})).toThrow(ConfigError);
  });

  it('lets flags override variables, and checks URLs', () => {
    const c = loadConfig(['--api-url', 'http://127.0.0.1:9/x', '--tsg-id', '42'], creds);
    expect(c.apiUrl).toBe('http://127.0.0.1:9/x');
    expect(c.credentials?.tsgId).toBe('42');
    expect(() => loadConfig(['--auth-url', 'ftp://x'], creds)).toThrow(/authUrl must be an http\(s\) URL/);
  });

  it('rejects unknown flags and bad modes with the usage', () => {
    expect(() => loadConfig(['--bogus'], {})).toThrow(/Usage: prisma-access-mcp/);
    expect(() => loadConfig(['--approval', 'maybe'], {})).toThrow(
      /approval must be one of auto, strict, flag/,
    );
  });

  it('never puts the secret into a config error', () => {
    try {
      loadConfig(['--auth-url', 'nope'], creds);
      expect.unreachable();
    } catch (err) {
      expect(String(err)).not.toContain(creds.SCM_CLIENT_SECRET);
    }
  });
});

describe('loadConfig: limits and clear-text URLs', () => {
  it('reads the deadline, message, audit and pool limits, with defaults', () => {
    const d = loadConfig([], {});
    expect(d).toMatchObject({
      callTimeoutMs: 60_000,
      maxMessageBytes: 4 * 1024 * 1024,
      auditMaxBytes: 50 * 1024 * 1024,
      auditKeep: 5,
      maxConnections: 64,
    });
    const c = loadConfig(
      [
        '--call-timeout',
        '1500',
        '--max-message-bytes',
        '2048',
        '--audit-max-bytes',
        '10000',
        '--audit-keep',
        '2',
        '--max-connections',
        '8',
      ],
      {},
    );
    expect(c).toMatchObject({
      callTimeoutMs: 1500,
      maxMessageBytes: 2048,
      auditMaxBytes: 10000,
      auditKeep: 2,
      maxConnections: 8,
    });
    expect(loadConfig([], { PRISMA_MCP_CALL_TIMEOUT_MS: '900' }).callTimeoutMs).toBe(900);
    expect(() => loadConfig(['--call-timeout', 'soon'], {})).toThrow(
      /call-timeout must be a whole number of at least 1; got soon/,
    );
  });

  it('names every http:// SCM URL on a host that is not loopback', () => {
    const c = loadConfig([], {
      ...creds,
      SCM_AUTH_URL: 'http://auth.example.com/oauth2/access_token',
      SCM_API_URL: 'http://127.0.0.1:8080',
    });
    expect(c.insecureUrls).toEqual(['http://auth.example.com/oauth2/access_token']);
    expect(
      loadConfig([], { ...creds, SCM_API_URL: 'http://localhost:1', SCM_SETUP_URL: 'http://[::1]:2' })
        .insecureUrls,
    ).toEqual([]);
  });
});

describe('--api', () => {
  it('defaults to prisma-access and takes scm, whose API URL defaults to the Strata host', () => {
    expect(loadConfig([], {}).api).toBe('prisma-access');
    const scm = loadConfig(['--api', 'scm'], {});
    expect(scm.api).toBe('scm');
    expect(scm.apiUrl).toBe(DEFAULTS.scmApiUrl);
    expect(loadConfig([], { PRISMA_MCP_API: 'scm' }).api).toBe('scm');
    expect(loadConfig(['--api', 'scm', '--api-url', 'https://eu.example.com'], {}).apiUrl).toBe(
      'https://eu.example.com',
    );
  });

  it('refuses an unknown name, naming the valid ones', () => {
    expect(() => loadConfig(['--api', 'sse'], {})).toThrow(ConfigError);
    expect(() => loadConfig(['--api', 'sse'], {})).toThrow('unknown --api "sse"; valid: prisma-access, scm');
  });
});
