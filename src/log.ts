/** Logs go to stderr only: in stdio mode stdout carries protocol messages and nothing else. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

import { redactDeep, redactSecrets } from './secrets.js';

export { redactSecrets, registerSecret } from './secrets.js';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (l) => process.stderr.write(l),
): Logger {
  const min = ORDER.indexOf(level);
  const log = (lvl: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER.indexOf(lvl) < min) return;
    const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(redactDeep(fields))}` : '';
    write(redactSecrets(`prisma-access-mcp ${lvl}: ${msg}${extra}\n`));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
