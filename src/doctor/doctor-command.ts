import { createApp } from '../app.js';
import { ConfigError, loadConfig } from '../config.js';
import { checkTenant, formatCheck } from './connection-check.js';

/** `prisma-access-mcp doctor [flags]`: the connection check per tenant; exit 0 when all pass, 1 otherwise. */
export async function runDoctor(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(argv, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`prisma-access-mcp doctor: ${err.message}\n`);
    return 2;
  }
  const app = await createApp({ ...config, logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel });
  try {
    let ok = true;
    const where = config.backend === 'sandbox' ? 'the embedded sandbox' : config.apiUrl;
    process.stdout.write(
      `prisma-access-mcp doctor: checking ${app.tenants.entries.length} tenant(s) on ${where}\n`,
    );
    for (const e of app.tenants.entries) {
      const check = await checkTenant(app.tenants.clientFor(e), e.tsgId, e.alias ? { alias: e.alias } : {});
      ok &&= check.ok;
      process.stdout.write(`${formatCheck(check)}\n`);
    }
    process.stdout.write(ok ? 'all checks passed\n' : 'some checks FAILED: see the fixes above\n');
    return ok ? 0 : 1;
  } finally {
    await app.close();
  }
}
