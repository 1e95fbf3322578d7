#!/usr/bin/env node
import { createApp } from './app.js';
import { ConfigError, loadConfig, USAGE } from './config.js';
import { createLogger, redactSecrets } from './log.js';
import { BoundedStdioTransport } from './transports/stdio.js';
import { VERSION } from './version.js';

// The commands and the HTTP transport are imported when used: a stdio start loads none of them (issue 14).
async function main(): Promise<void> {
  if (process.argv[2] === 'clients') {
    const { runClientsCommand } = await import('./clients/clients-command.js');
    process.exit(runClientsCommand(process.argv.slice(3)));
  }
  if (process.argv[2] === 'doctor') {
    const { runDoctor } = await import('./doctor/doctor-command.js');
    process.exit(await runDoctor(process.argv.slice(3)));
  }
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
  for (const url of config.insecureUrls ?? []) {
    // Loud on purpose, whatever the log level: the client secret and tokens would cross the network in clear.
    process.stderr.write(
      `prisma-access-mcp WARNING: ${url} is plain http:// on a host that is not this machine: the client secret and tokens travel unencrypted. Use https://.\n`,
    );
  }
  const app = await createApp(config, log);
  if (config.http) {
    const { serveHttp } = await import('./transports/http-main.js');
    return serveHttp(app, { ...config, http: config.http }, log);
  }
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await app.close().catch(() => {});
    process.exit(0);
  };
  // shutdown catches its own failures: nothing to await here.
  const onEnd = () => void shutdown();
  process.on('SIGINT', onEnd);
  process.on('SIGTERM', onEnd);
  const transport = new BoundedStdioTransport({
    maxMessageBytes: config.maxMessageBytes,
    warn: (m) => log.warn(m),
  });
  // Closed once stdin has ended and every answer is written and flushed: exiting then loses nothing.
  transport.onclose = () => void shutdown();
  await app.server.connect(transport);
  log.info('ready on stdio');
}

main().catch((err: unknown) => {
  process.stderr.write(
    `prisma-access-mcp: fatal: ${redactSecrets(err instanceof Error ? err.message : String(err))}\n`,
  );
  process.exit(1);
});
