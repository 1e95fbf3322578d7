import { parseArgs } from 'node:util';
import { addClient } from './clients-file.js';
import { parseScopes, SCOPES } from './scopes.js';

export const CLIENTS_USAGE = `Usage: prisma-access-mcp clients add NAME --scopes ${SCOPES.join(',')} --clients FILE [--tsgs a,b] [--toolsets a,b]

Adds (or replaces) client NAME in FILE and prints its new token once, on the last line. FILE keeps only its hash.
`;

const list = (v: string | undefined) =>
  v
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** `clients add ...`: returns the exit code; the token is the last line of stdout, everything else on stderr. */
export function runClientsCommand(argv: string[], out = process.stdout, err = process.stderr): number {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        scopes: { type: 'string' },
        clients: { type: 'string' },
        tsgs: { type: 'string' },
        toolsets: { type: 'string' },
      },
    });
    const [verb, name, ...rest] = positionals;
    if (verb !== 'add' || !name || rest.length) throw new Error('expected: clients add NAME');
    if (!values.clients) throw new Error('--clients FILE is required');
    if (!values.scopes) throw new Error(`--scopes is required (${SCOPES.join(', ')})`);
    const tsgs = list(values.tsgs);
    const toolsets = list(values.toolsets);
    const token = addClient(values.clients, {
      name,
      scopes: parseScopes(values.scopes, '--scopes'),
      ...(tsgs ? { tsgs } : {}),
      ...(toolsets ? { toolsets } : {}),
    });
    err.write(`client ${name} written to ${values.clients}; its token follows (shown once, store it now):\n`);
    out.write(`${token}\n`);
    return 0;
  } catch (e) {
    err.write(`prisma-access-mcp clients: ${e instanceof Error ? e.message : String(e)}\n\n${CLIENTS_USAGE}`);
    return 2;
  }
}
