import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { CLI, cleanEnv } from './helpers.js';
import { resultData } from './result-data.js';

type J = Record<string, any>;

/** Raw JSON-RPC lines to the real binary over stdio (an SDK client would re-encode 1e999 as null). */
async function exchange(lines: string[], ids: number[]): Promise<Map<number, J>> {
  const child = spawn(process.execPath, [CLI], { env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.resume();
  const answers = new Map<number, J>();
  const done = new Promise<void>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      const msg = JSON.parse(line) as J;
      if (typeof msg.id === 'number') answers.set(msg.id, msg);
      if (ids.every((id) => answers.has(id))) resolve();
    });
    child.on('exit', () => reject(new Error(`server exited; answered ${[...answers.keys()].join(', ')}`)));
  });
  for (const line of lines) child.stdin.write(`${line}\n`);
  try {
    await done;
  } finally {
    child.kill();
  }
  return answers;
}

const call = (id: number, name: string, argsText: string) =>
  `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"${name}","arguments":${argsText}}}`;

describe('malformed arguments over stdio', () => {
  it('1e999, deep nesting, constructor: null and a string for arguments: INVALID_ARGUMENTS naming the field', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const answers = await exchange(
      [
        '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}',
        '{"jsonrpc":"2.0","method":"notifications/initialized"}',
        call(2, 'address_list', '{"folder":"Shared","limit":1e999}'),
        call(3, 'config_version_load', '{"version":1e999,"confirm":true}'),
        call(4, 'address_create', `{"folder":"Shared","name":"x","ip_netmask":"10.0.0.1/32","tag":${deep}}`),
        call(5, 'address_list', '{"folder":"Shared","constructor":null}'),
        call(6, 'address_list', '"folder=Shared"'),
        call(7, 'tool_call', '{"name":"address_get","arguments":{"id":"a\\ud800"}}'),
      ],
      [2, 3, 4, 5, 6, 7],
    );
    const expected: Record<number, string> = {
      2: 'limit',
      3: 'version',
      4: 'tag',
      5: 'constructor',
      6: 'arguments',
      7: 'id',
    };
    for (const [id, field] of Object.entries(expected)) {
      const msg = answers.get(Number(id))!;
      expect(msg.error, `id ${id}`).toBeUndefined();
      const data = resultData(msg.result) as J;
      expect(msg.result.isError, `id ${id}`).toBe(true);
      expect(data.error.code, `id ${id}`).toBe('INVALID_ARGUMENTS');
      expect(data.error.fields[0].field.split('.')[0], `id ${id}`).toBe(field);
    }
  }, 60_000);
});
