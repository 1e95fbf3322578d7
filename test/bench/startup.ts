/**
 * Start-up: spawn to the first tools/list answer over stdio (raw JSON-RPC lines: initialize, initialized,
 * tools/list in one write), of the real binary against a one-tool server on the same SDK, in interleaved rounds.
 * `node -e 0` (spawn to exit) is printed for context.
 */
import { CLI, cleanEnv } from '../integration/helpers.js';
import { bareNode, type Command, oneToolServer, RawServer } from './raw-stdio.js';
import { type Row, versus } from './rows.js';

export const STARTUP_TARGET = 1.15;
const ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 15);

async function timeToList(cmd: Command): Promise<number> {
  const s = new RawServer(cmd);
  try {
    return await s.ready();
  } finally {
    await s.close();
  }
}

export async function startupBench(): Promise<Row[]> {
  const anchor = oneToolServer();
  const env = cleanEnv();
  const arms = {
    node: () => bareNode(),
    anchor: () => timeToList(anchor),
    cli: () => timeToList({ args: [CLI], env }),
    all: () => timeToList({ args: [CLI, '--toolsets', 'all'], env }),
  };
  const t: Record<keyof typeof arms, number[]> = { node: [], anchor: [], cli: [], all: [] };
  // One warm-up round fills the file cache for every arm alike.
  for (const run of Object.values(arms)) await run();
  const order = Object.keys(arms) as Array<keyof typeof arms>;
  for (let r = 0; r < ROUNDS; r++) {
    // Rotated each round, so no arm always runs right after the same neighbour.
    for (let k = 0; k < order.length; k++) {
      const arm = order[(k + r) % order.length]!;
      t[arm].push(await arms[arm]());
    }
  }
  return [
    versus(
      'node dist/cli.js (default toolsets, sandbox)',
      'ms',
      t.cli,
      'one-tool server, same SDK',
      t.anchor,
      {
        max: STARTUP_TARGET,
      },
    ),
    versus('node dist/cli.js --toolsets all', 'ms', t.all, 'one-tool server, same SDK', t.anchor),
    versus('one-tool server, same SDK', 'ms', t.anchor, 'node -e 0 (spawn to exit)', t.node),
    versus('node dist/cli.js (default toolsets, sandbox)', 'ms', t.cli, 'node -e 0 (spawn to exit)', t.node),
  ];
}
