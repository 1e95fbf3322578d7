import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { loadCatalog } from './catalog/load.js';
import type { BuiltCatalog } from './catalog/types.js';
import type { Config } from './config.js';
import { buildSurface, type Surface } from './discovery/surface.js';
import { serverInstructions } from './instructions.js';
import { createLogger, type Logger, registerSecret } from './log.js';
import { createResources } from './resources/index.js';
import type { PushCheckHook } from './safety/describe-change.js';
import { createSafety, type Safety } from './safety/setup.js';
import { startSandbox } from './sandbox/index.js';
import { ScmClient } from './scm/http-client.js';
import { JobReader } from './scm/jobs.js';
import { createServer } from './server.js';
import type { PipelineDeps } from './tools/call-operation.js';
import { withPushWait } from './tools/push-wait.js';
import { generatedTool, type ServedTool } from './tools/served-tool.js';
import { VERSION } from './version.js';
import { createWorkflows } from './workflows/index.js';

export interface App {
  server: McpServer;
  deps: PipelineDeps;
  client: ScmClient;
  /** Base URL of the in-process sandbox, when that is the backend. */
  sandboxUrl?: string;
  /** Approval gate, audit log, change journal. */
  safety: Safety;
  close(): Promise<void>;
}

/** The SCM client for the configured backend; starts the in-process sandbox when there are no credentials. */
async function connectBackend(config: Config, catalog: BuiltCatalog, log: Logger) {
  if (config.backend === 'scm' && config.credentials) {
    registerSecret(config.credentials.clientSecret);
    const client = new ScmClient({
      ...config.credentials,
      apiUrl: config.apiUrl,
      setupUrl: config.setupUrl,
      authUrl: config.authUrl,
      logger: log,
    });
    log.info(`backend: SCM tenant ${config.credentials.tsgId} at ${config.apiUrl}`);
    return { client, close: async () => {} };
  }
  const sandbox = await startSandbox({
    operations: catalog.operations,
    ...(config.sandboxState ? { stateFile: config.sandboxState } : {}),
    log: (m: string) => log.info(`sandbox: ${m}`),
  });
  registerSecret(sandbox.clientSecret);
  // Same client, same code path as a real tenant: only the URLs differ.
  const client = new ScmClient({
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    tsgId: sandbox.tsgId,
    apiUrl: sandbox.apiUrl,
    setupUrl: sandbox.setupUrl,
    authUrl: sandbox.authUrl,
    logger: log,
  });
  log.warn(
    `backend: SANDBOX, a simulated tenant at ${sandbox.url}${config.sandboxState ? ` (state in ${config.sandboxState})` : ''}. Set SCM_CLIENT_ID, SCM_CLIENT_SECRET and SCM_TSG_ID for a real tenant.`,
  );
  return { client, sandboxUrl: sandbox.url, close: () => sandbox.close() };
}

/** Everything the server needs, built from the config: backend, pipeline, tools, MCP server. */
export async function createApp(config: Config, log: Logger = createLogger(config.logLevel)): Promise<App> {
  const catalog = loadCatalog();
  const backend = await connectBackend(config, catalog, log);
  const environment = config.backend;
  const shared = { client: backend.client, operations: catalog.operations, environment, log };
  let safety: Safety;
  // The push preview runs config_check: the hook is filled once the workflows exist.
  const pushCheck: PushCheckHook = {};
  try {
    safety = createSafety({ ...shared, config, tsgId: backend.client.tokens.defaultTsgId, pushCheck });
  } catch (err) {
    await backend.close();
    throw err;
  }
  const deps: PipelineDeps = { transport: backend.client, environment, gate: safety.gate, audit: safety.audit };
  const resources = createResources(shared);
  const ops = new Map(catalog.operations.map((op) => [op.tool, op]));
  const jobs = JobReader.fromOperations(backend.client, catalog.operations);
  const workflows = createWorkflows({
    operations: catalog.operations,
    deps,
    directory: resources.directory,
    jobs,
    tsgId: backend.client.tokens.defaultTsgId,
    pendingChanges: () => safety.journal.entries(),
    auditGrouped: (fn) => safety.auditGrouped(fn),
  });
  pushCheck.run = workflows.pushCheck;
  const tools: ServedTool[] = safety.wrapTools([
    ...catalog.tools.map((def) => {
      const op = ops.get(def.name)!;
      const tool = workflows.withRuleNames(generatedTool(def, op, deps));
      // A push can wait for its jobs: the wait wraps the pipeline, so approval and audit stay the pipeline's.
      return op.role === 'push' ? withPushWait(tool, { jobs, audit: safety.audit, log }) : tool;
    }),
    ...resources.tools,
    ...workflows.tools,
  ]);
  let surface: Surface;
  try {
    // --toolsets, --tools, --exclude-tools (--read-only wins); the discovery tools reach the rest.
    surface = buildSurface(tools, { ...config, environment });
  } catch (err) {
    await backend.close();
    safety.close();
    throw err;
  }
  const server = createServer({
    version: VERSION,
    instructions: `${serverInstructions(config.backend, config)}\n${surface.instructions}`,
    tools: surface.tools,
    extend: (mcp) => {
      resources.register(mcp);
      workflows.register(mcp);
    },
  });
  return {
    server,
    deps,
    client: backend.client,
    safety,
    ...(backend.sandboxUrl ? { sandboxUrl: backend.sandboxUrl } : {}),
    close: async () => {
      await server.close().catch(() => {});
      await backend.close();
      safety.close();
    },
  };
}
