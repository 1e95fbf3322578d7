import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { InboxHandler } from './approvals/inbox-http.js';
import type { listenInbox } from './approvals/serve.js';
import { APPROVAL_STATUS, approvalStatusTool } from './approvals/status-tool.js';
import { loadCatalogFor } from './catalog/load.js';
import type { BuiltCatalog } from './catalog/types.js';
import { type Config, ConfigError } from './config.js';
import { connectionTestTool } from './doctor/connection-test-tool.js';
import { buildSurface, type Surface } from './discovery/surface.js';
import { serverInstructions } from './instructions.js';
import { createLogger, type Logger, registerSecret } from './log.js';
import { PolicyService } from './policy/service.js';
import { policyTools } from './policy/tools.js';
import { createResources } from './resources/index.js';
import type { PushCheckHook } from './safety/describe-change.js';
import { createSafety, type Safety } from './safety/setup.js';
import { onDemandSandbox } from './sandbox/on-demand.js';
import { ScmClient, UPSTREAM_HOSTS } from './scm/http-client.js';
import { JobReader } from './scm/jobs.js';
import { createServer } from './server.js';
import type { KvStore } from './store/kv-store.js';
import type { RedisKv } from './store/redis-kv.js';
import { createTenants, type TenantRegistry } from './tenants/index.js';
import { tenantListTool } from './tenants/tenant-list-tool.js';
import { tenantTools } from './tenants/tenant-tools.js';
import type { PipelineDeps } from './tools/call-operation.js';
import { withPushWait } from './tools/push-wait.js';
import { generatedTool, type ServedTool } from './tools/served-tool.js';
import { VERSION } from './version.js';
import { createWorkflows } from './workflows/index.js';

/** What one MCP session may see: extra wrapping (client scopes) and its own toolsets. */
export interface SessionOptions {
  wrapTools?: (tools: ServedTool[]) => ServedTool[];
  toolsets?: string[];
}

export interface App {
  /** The stdio server. */
  server: McpServer;
  /** A fresh MCP server over the same backend, safety and catalogue (one per HTTP session). */
  createServer(opts?: SessionOptions): McpServer;
  deps: PipelineDeps;
  client: ScmClient;
  /** Approval gate, audit log, change journal. */
  safety: Safety;
  /** The TSGs calls may name with tsg_id, and the service account for each. */
  tenants: TenantRegistry;
  /** The approval inbox page, when served (--approvals inbox); in HTTP mode known once the server listens. */
  inboxUrl?: string;
  /** HTTP mode with --approvals inbox: the inbox page for the HTTP server, given the URL it is served at. */
  httpInbox?(servedAt: string): InboxHandler;
  close(): Promise<void>;
}

const clientLimits = (config: Config) => ({
  ...(config.callTimeoutMs ? { callTimeoutMs: config.callTimeoutMs } : {}),
  ...(config.maxConnections ? { maxConnections: config.maxConnections } : {}),
});

/** The SCM client for the configured backend; starts the in-process sandbox when there are no credentials. */
async function connectBackend(config: Config, catalog: BuiltCatalog, log: Logger) {
  if (config.backend === 'scm' && config.credentials) {
    registerSecret(config.credentials.clientSecret);
    const client = new ScmClient({
      ...config.credentials,
      apiUrl: config.apiUrl,
      setupUrl: config.setupUrl,
      // The unified API is all on the Strata host: --api-url is where its calls go.
      ...(config.api === 'scm' ? { hosts: { [UPSTREAM_HOSTS.strata]: config.apiUrl } } : {}),
      authUrl: config.authUrl,
      ...clientLimits(config),
      logger: log,
    });
    log.info(`backend: SCM tenant ${config.credentials.tsgId} at ${config.apiUrl}`);
    const urls = { apiUrl: config.apiUrl, setupUrl: config.setupUrl, authUrl: config.authUrl };
    return { client, urls, close: async () => {} };
  }
  // Started by the first call, so a server that only lists tools never loads it; with a state file, now, so a
  // damaged file stops the start rather than the first call.
  const sandbox = onDemandSandbox({
    operations: catalog.operations,
    ...(config.maxConnections ? { maxConnections: config.maxConnections } : {}),
    ...(config.sandboxState ? { stateFile: config.sandboxState } : {}),
    log: (m: string) => log.info(`sandbox: ${m}`),
  });
  if (config.sandboxState) await sandbox.running();
  registerSecret(sandbox.clientSecret);
  // Same client, same code path as a real tenant: only where requests go differs.
  const client = new ScmClient({
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    tsgId: sandbox.tsgId,
    ...sandbox.urls,
    dispatcher: sandbox.dispatcher,
    ...clientLimits(config),
    logger: log,
  });
  log.warn(
    `backend: SANDBOX, a simulated tenant in this process${config.sandboxState ? ` (state in ${config.sandboxState})` : ', started on the first call'}. Set SCM_CLIENT_ID, SCM_CLIENT_SECRET and SCM_TSG_ID for a real tenant.`,
  );
  return {
    client,
    urls: { ...sandbox.urls, dispatcher: sandbox.dispatcher },
    close: () => sandbox.close(),
  };
}

/** Everything the server needs, built from the config: backend, pipeline, tools, MCP server. */
export async function createApp(config: Config, log: Logger = createLogger(config.logLevel)): Promise<App> {
  const catalog = loadCatalogFor(config.api ?? 'prisma-access');
  const backend = await connectBackend(config, catalog, log);
  const environment = config.backend;
  const shared = { client: backend.client, operations: catalog.operations, environment, log };
  const resources = createResources(shared);
  // Snapshots read through the pipeline (deps, built below); writes through it drop them (an audit sink).
  const policy = new PolicyService({
    operations: catalog.operations,
    deps: () => deps,
    directory: resources.directory,
    tsgId: backend.client.tokens.defaultTsgId,
  });
  let tenants: TenantRegistry;
  try {
    tenants = await createTenants(config.tenantsFile, backend.client, backend.urls, log);
  } catch (err) {
    await backend.close();
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
  let safety: Safety;
  // The push preview runs config_check: the hook is filled once the workflows exist.
  const pushCheck: PushCheckHook = {};
  let store: KvStore | undefined;
  let inboxServer: Awaited<ReturnType<typeof listenInbox>> | undefined;
  let inbox: Awaited<ReturnType<typeof startInbox>> | undefined;
  try {
    // Replicas share single-use approval tokens through Redis; one process keeps them in memory.
    // Redis and the inbox are imported only when configured.
    let redis: RedisKv | undefined;
    if (config.redisUrl) {
      const { RedisKv } = await import('./store/redis-kv.js');
      store = redis = await RedisKv.connect(config.redisUrl, log);
    }
    const approvalStore = redis
      ? new (await import('./approvals/redis-store.js')).RedisApprovalStore(redis.client, {
          prefix: redis.prefix,
        })
      : undefined;
    inbox = config.approvals === 'inbox' ? await startInbox(config) : undefined;
    inboxServer = inbox?.server;
    // Previews look objects up through the tenants, on the TSG the call names.
    safety = createSafety({
      ...shared,
      client: tenants,
      config,
      tsgId: backend.client.tokens.defaultTsgId,
      ...(store ? { store } : {}),
      // Replicas share pending approvals, decisions and single use: a request is decided once, on any of them.
      ...(approvalStore ? { approvalStore } : {}),
      ...(inbox ? { inbox: inbox.options } : {}),
      policy,
      pushCheck,
    });
    if (inboxServer && safety.inboxHandler) inboxServer.server.on('request', safety.inboxHandler);
  } catch (err) {
    await inboxServer?.close();
    await store?.close();
    await backend.close();
    throw err;
  }
  // Requests go through the tenants: tsg_id routes them, a TSG outside the allowlist is refused.
  const deps: PipelineDeps = { transport: tenants, environment, gate: safety.gate, audit: safety.audit };
  const ops = new Map(catalog.operations.map((op) => [op.tool, op]));
  const jobs = JobReader.fromOperations(backend.client, catalog.operations);
  const workflows = createWorkflows({
    operations: catalog.operations,
    deps,
    directory: resources.directory,
    jobs,
    tsgId: backend.client.tokens.defaultTsgId,
    policy,
    pendingChanges: () => safety.journal.entries(),
  });
  pushCheck.run = (folders, signal) => workflows.pushCheck(folders, signal);
  const tools: ServedTool[] = safety.wrapTools(
    tenantTools(
      [
        ...catalog.tools.map((def) => {
          const op = ops.get(def.name)!;
          const tool = workflows.withRuleNames(generatedTool(def, op, deps));
          // A push can wait for its jobs: the wait wraps the pipeline, so approval and audit stay the pipeline's.
          if (op.role !== 'push') return tool;
          // A push on another tenant (tsg_id) is followed on that tenant's jobs.
          const jobsFor = (tsgId: string) =>
            JobReader.fromOperations(
              {
                request: (r) =>
                  tenants.request({ ...(r as Parameters<TenantRegistry['request']>[0]), tsgId }),
              },
              catalog.operations,
            );
          return withPushWait(tool, { jobs, jobsFor, audit: safety.audit, log });
        }),
        ...resources.tools,
        tenantListTool(tenants, environment),
        connectionTestTool(tenants, environment),
        ...(safety.inbox ? [approvalStatusTool(safety.inbox, environment)] : []),
        ...policyTools(policy, environment),
        ...workflows.tools,
      ],
      tenants,
      environment,
      safety.audit,
    ),
  );
  const approvalTools =
    safety.inbox && !config.excludeTools.includes(APPROVAL_STATUS) ? [APPROVAL_STATUS] : [];
  const newServer = (opts: SessionOptions = {}) => {
    // --toolsets, --tools, --exclude-tools (--read-only wins); the discovery tools reach the rest.
    const surface: Surface = buildSurface(opts.wrapTools ? opts.wrapTools(tools) : tools, {
      ...config,
      tools: [...config.tools, ...approvalTools],
      ...(opts.toolsets ? { toolsets: opts.toolsets } : {}),
      environment,
    });
    return createServer({
      version: VERSION,
      instructions: `${serverInstructions(config.backend, { ...config, inbox: !!safety.inbox })}\n${surface.instructions}`,
      tools: surface.tools,
      textResults: config.textResults === true,
      extend: (mcp) => {
        resources.register(mcp);
        workflows.register(mcp);
      },
    });
  };
  let server: McpServer;
  try {
    server = newServer();
  } catch (err) {
    await inboxServer?.close();
    await backend.close();
    await safety.close();
    await store?.close();
    throw err;
  }
  const served = inbox;
  return {
    server,
    createServer: newServer,
    deps,
    client: backend.client,
    safety,
    tenants,
    get inboxUrl() {
      return served?.url() || undefined;
    },
    ...(served && config.http && safety.inboxHandlerAt
      ? {
          httpInbox: (servedAt: string) => {
            served.setUrl(servedAt);
            const publicUrl = served.url();
            return safety.inboxHandlerAt!({
              basePath: served.basePath,
              allowedHosts: [...new Set([...config.http!.allowedHosts, new URL(publicUrl).hostname])],
              secureCookies: publicUrl.startsWith('https:'),
            });
          },
        }
      : {}),
    close: async () => {
      await server.close().catch(() => {});
      await inboxServer?.close();
      await backend.close();
      await safety.close();
      await store?.close();
    },
  };
}

/**
 * Who may sign in to the approval inbox, and its own port (loopback by default). In HTTP mode the page is on the
 * HTTP server (/approvals) and has its own port only when --inbox-port asks for one.
 */
async function startInbox(config: Config) {
  const [{ loadApprovers }, { INBOX_PATH, listenInbox }, { OidcSignIn }] = await Promise.all([
    import('./approvals/approvers.js'),
    import('./approvals/serve.js'),
    import('./approvals/inbox-oidc.js'),
  ]);
  const approvers = loadApprovers({
    ...(config.approversFile ? { file: config.approversFile } : {}),
    ...(config.approversEnv ? { env: config.approversEnv } : {}),
  });
  const own = !config.http || config.inboxPort !== undefined;
  const server = own
    ? await listenInbox(config.inboxHost ?? '127.0.0.1', config.inboxPort ?? 8765)
    : undefined;
  // HTTP mode: set once the HTTP server listens, unless --inbox-url names it.
  let url = config.inboxUrl ?? (config.http ? '' : server!.url);
  const hosts = ['localhost', '127.0.0.1', '[::1]'];
  if (config.inboxUrl) hosts.push(new URL(config.inboxUrl).hostname.toLowerCase());
  if (server) hosts.push(new URL(server.url).hostname.toLowerCase());
  return {
    server,
    basePath: INBOX_PATH,
    url: () => url,
    setUrl: (servedAt: string) => {
      url = config.inboxUrl ?? servedAt;
    },
    options: {
      url: config.http ? () => url : url,
      approvers,
      allowedHosts: [...new Set(hosts)],
      ...(config.inboxOidcClientId && config.http?.oauth
        ? {
            oidc: new OidcSignIn({
              issuer: config.http.oauth.issuer,
              clientId: config.inboxOidcClientId,
              ...(config.inboxOidcClientSecret ? { clientSecret: config.inboxOidcClientSecret } : {}),
            }),
          }
        : {}),
    },
  };
}
