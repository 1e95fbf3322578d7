#!/usr/bin/env node
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadCatalog } from './catalog/load.js';
import { ConfigError, loadConfig, USAGE } from './config.js';
import { createLogger, registerSecret } from './log.js';
import { ConfirmFlagGate } from './safety/confirm-gate.js';
import { startSandbox } from './sandbox/index.js';
import { ScmClient } from './scm/http-client.js';
import { createServer } from './server.js';
import { VERSION } from './version.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`prisma-access-mcp: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  if (config.help) {
    process.stderr.write(USAGE);
    return;
  }
  if (config.version) {
    process.stderr.write(`${VERSION}\n`);
    return;
  }
  const log = createLogger(config.logLevel);
  const catalog = loadCatalog();

  let client: ScmClient;
  let stop = async () => {};
  if (config.backend === 'scm' && config.credentials) {
    registerSecret(config.credentials.clientSecret);
    client = new ScmClient({
      ...config.credentials,
      apiUrl: config.apiUrl,
      setupUrl: config.setupUrl,
      authUrl: config.authUrl,
      logger: log,
    });
    log.info(`backend: SCM tenant ${config.credentials.tsgId} at ${config.apiUrl}`);
  } else {
    const sandbox = await startSandbox({
      operations: catalog.operations,
      stateFile: config.sandboxState,
      log: (m) => log.info(`sandbox: ${m}`),
    });
    registerSecret(sandbox.clientSecret);
    client = new ScmClient({
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      tsgId: sandbox.tsgId,
      apiUrl: sandbox.apiUrl,
      setupUrl: sandbox.setupUrl,
      authUrl: sandbox.authUrl,
      logger: log,
    });
    stop = () => sandbox.close();
    log.warn(
      `backend: SANDBOX (simulated tenant at ${sandbox.url}${config.sandboxState ? `, state in ${config.sandboxState}` : ''}). Set SCM_CLIENT_ID, SCM_CLIENT_SECRET and SCM_TSG_ID for a real tenant.`,
    );
  }

  const server = createServer({
    catalog,
    version: VERSION,
    deps: { transport: client, environment: config.backend, gate: new ConfirmFlagGate() },
  });
  const transport = new StdioServerTransport();
  const shutdown = async () => {
    await server.close().catch(() => {});
    await stop().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.stdin.on('close', shutdown);
  await server.connect(transport);
  log.info(`ready: ${catalog.tools.length} tools over stdio`);
}

main().catch((err: unknown) => {
  process.stderr.write(`prisma-access-mcp: fatal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
