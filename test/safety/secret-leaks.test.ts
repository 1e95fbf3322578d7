import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { resultData } from '../integration/result-data.js';

// Quotes, a backslash, non-ASCII and URL-special characters: every encoding differs from the raw text.
const SECRET = 'cl1ent"Se\\cret+/=Välue?&x';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.leaky-token-payload.signature-part';
const phrase = (s: string) => `invalid_client (bad secret ${s})`;
const uEscape = (s: string) =>
  [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

/** The ways a token endpoint can echo the secret back. */
const ECHOES: { type: string; body: string }[] = [
  {
    type: 'application/json',
    body: JSON.stringify({ error: 'invalid_client', error_description: phrase(SECRET) }),
  },
  {
    type: 'application/json',
    body: `{"error":"invalid_client","error_description":"bad secret ${uEscape(SECRET)}"}`,
  },
  { type: 'text/plain', body: phrase(SECRET) },
  {
    type: 'application/x-www-form-urlencoded',
    body: `error=invalid_client&error_description=${encodeURIComponent(phrase(SECRET))}`,
  },
  { type: 'text/plain', body: `bad secret ${encodeURIComponent(SECRET).replace(/%20/g, '+').toLowerCase()}` },
  { type: 'text/plain', body: Buffer.from(phrase(SECRET)).toString('base64') },
  { type: 'text/plain', body: `echo ${Buffer.from(`x${SECRET}yz`).toString('base64url')}` },
  {
    type: 'text/plain',
    body: `authorization was Basic ${Buffer.from(`client-id@x:${SECRET}`).toString('base64')}`,
  },
];

/** True when `text` holds `secret` in any form we know how to undo. */
function leaks(text: string, secret: string): boolean {
  const undone = [
    text,
    text.replace(/\\u([0-9a-f]{4})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
  ];
  for (const t of [...undone]) {
    undone.push(t.replace(/\\(["\\])/g, '$1'));
    try {
      undone.push(decodeURIComponent(t.replace(/\+/g, ' ')));
    } catch {
      /* not URL-encoded */
    }
  }
  if (undone.some((t) => t.includes(secret) || t.includes(secret.replace(/ /g, '+')))) return true;
  for (const run of text.match(/[A-Za-z0-9+/_-]{12,}/g) ?? []) {
    for (let i = 0; i < 4; i++) {
      if (
        Buffer.from(run.slice(i), 'base64')
          .toString('latin1')
          .includes(Buffer.from(secret).toString('latin1'))
      )
        return true;
    }
  }
  return false;
}

let tokenServer: Server;
let apiServer: Server;
let tokenAnswers: { type: string; body: string; status: number }[] = [];
let apiAnswer: { type: string; body: string; status: number } = {
  type: 'application/json',
  body: '{}',
  status: 200,
};

async function listen(handler: (res: import('node:http').ServerResponse) => void): Promise<Server> {
  const srv = createServer((req, res) => {
    req.resume();
    req.on('end', () => handler(res));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return srv;
}
const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

beforeAll(async () => {
  tokenServer = await listen((res) => {
    const a = tokenAnswers.shift() ?? {
      status: 200,
      type: 'application/json',
      body: JSON.stringify({ access_token: TOKEN, expires_in: 900 }),
    };
    res.writeHead(a.status, { 'content-type': a.type }).end(a.body);
  });
  apiServer = await listen((res) =>
    res.writeHead(apiAnswer.status, { 'content-type': apiAnswer.type }).end(apiAnswer.body),
  );
});
afterAll(() => {
  tokenServer?.close();
  apiServer?.close();
});

async function start() {
  const dir = mkdtempSync(join(tmpdir(), 'pa-leak-'));
  const logged: string[] = [];
  const config: Config = {
    backend: 'scm',
    credentials: { clientId: 'client-id@x', clientSecret: SECRET, tsgId: '1234567890' },
    apiUrl: urlOf(apiServer),
    setupUrl: urlOf(apiServer),
    authUrl: `${urlOf(tokenServer)}/oauth2/access_token`,
    readOnly: false,
    approval: 'flag',
    auditLog: join(dir, 'audit.log'),
    tools: [],
    excludeTools: [],
    toolsets: ['all'],
    logLevel: 'debug',
  };
  const app: App = await createApp(
    config,
    createLogger('debug', (l) => logged.push(l)),
  );
  const [a, b] = InMemoryTransport.createLinkedPair();
  await app.server.connect(a);
  const client = new Client({ name: 'leak-test', version: '1' });
  await client.connect(b);
  const call = async (name: string, args: Record<string, unknown>) =>
    JSON.stringify((await client.callTool({ name, arguments: args })) as CallToolResult);
  return { app, client, call, logged, audit: () => readFileSync(config.auditLog!, 'utf8') };
}

describe('the client secret and the token never leave, in any encoding, on any channel', () => {
  it('a token endpoint echoing the secret: not in the tool result, the log or the audit file', async () => {
    const s = await start();
    try {
      tokenAnswers = ECHOES.map((e) => ({ ...e, status: 401 }));
      for (const [i, echo] of ECHOES.entries()) {
        const result = await s.call('address_create', {
          folder: 'Shared',
          name: `leak-${i}`,
          ip_netmask: '192.0.2.1/32',
        });
        expect(result, `answer ${i}: ${echo.body}`).toMatch(/isError/);
        expect(leaks(result, SECRET), `tool result after echo ${i}: ${result}`).toBe(false);
      }
      const log = s.logged.join('');
      expect(leaks(log, SECRET), `log: ${log}`).toBe(false);
      const audit = s.audit();
      expect(audit).toMatch(/token fetch failed/);
      expect(leaks(audit, SECRET), `audit: ${audit}`).toBe(false);
    } finally {
      await s.client.close();
      await s.app.close();
    }
  });

  it('an API echoing the current token (escaped, encoded) in an error or a result: never shown', async () => {
    const s = await start();
    try {
      tokenAnswers = [];
      apiAnswer = {
        status: 400,
        type: 'application/json',
        body: `{"_errors":[{"code":"E003","message":"bad token ${uEscape(TOKEN)}"}]}`,
      };
      const failed = await s.call('address_create', {
        folder: 'Shared',
        name: 'tok-1',
        ip_netmask: '192.0.2.1/32',
      });
      expect(failed).toMatch(/E003/);
      expect(leaks(failed, TOKEN), failed).toBe(false);
      apiAnswer = {
        status: 200,
        type: 'application/json',
        body: JSON.stringify({
          data: [
            { id: 'a', name: 'n', description: `Bearer ${TOKEN} ${Buffer.from(TOKEN).toString('base64')}` },
          ],
          total: 1,
          limit: 200,
          offset: 0,
        }),
      };
      const listed = await s.call('address_list', { folder: 'Shared' });
      expect(resultData(JSON.parse(listed)).data[0]).toMatchObject({ id: 'a', name: 'n' });
      expect(leaks(listed, TOKEN), listed).toBe(false);
      expect(leaks(s.logged.join('') + s.audit(), TOKEN)).toBe(false);
    } finally {
      await s.client.close();
      await s.app.close();
    }
  });
});

describe('a bug that throws with a secret in its message', () => {
  it('becomes a JSON-RPC error without the secret', async () => {
    const { createServer: createMcp } = await import('../../src/server.js');
    const { registerSecret } = await import('../../src/secrets.js');
    registerSecret(SECRET);
    const server = createMcp({
      version: 't',
      instructions: '',
      tools: [
        {
          definition: { name: 'boom', inputSchema: { type: 'object', properties: {} } },
          safety: 'read',
          toolset: 'x',
          run: async () => {
            throw new Error(`unexpected: ${JSON.stringify({ s: SECRET })}`);
          },
        },
      ],
    });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(a);
    const client = new Client({ name: 'boom', version: '1' });
    await client.connect(b);
    let text = '';
    try {
      text = JSON.stringify(await client.callTool({ name: 'boom', arguments: {} }));
    } catch (err) {
      text = (err as Error).message;
    }
    expect(text).toMatch(/unexpected/);
    expect(leaks(text, SECRET), text).toBe(false);
    await client.close();
  });
});
