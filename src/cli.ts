#!/usr/bin/env node
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createApp } from './app.js';
import { runClientsCommand } from './clients/clients-command.js';
import { ConfigError, loadConfig, USAGE } from './config.js';
import { runDoctor } from './doctor/doctor-command.js';
import { createLogger } from './log.js';
import { serveHttp } from './transports/http-main.js';
import { VERSION } from './version.js';

async function main(): Promise<void> {
  if (process.argv[2] === 'clients') process.exit(runClientsCommand(process.argv.slice(3)));
  if (process.argv[2] === 'doctor') process.exit(await runDoctor(process.argv.slice(3)));
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
  if (config.help) return void process.stderr.write(USAGE);
  if (config.version) return void process.stderr.write(`${VERSION}\n`);

  const log = createLogger(config.logLevel);
  const app = await createApp(config, log);
  if (config.http) return serveHttp(app, { ...config, http: config.http }, log);
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await app.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.stdin.on('close', shutdown);
  await app.server.connect(new StdioServerTransport());
  log.info('ready on stdio');
}

main().catch((err: unknown) => {
  process.stderr.write(`prisma-access-mcp: fatal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
