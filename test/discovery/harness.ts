import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { loadCatalog } from '../../src/catalog/load.js';
import type { SelectionFlags } from '../../src/catalog/toolsets.js';
import { buildSurface, type Surface } from '../../src/discovery/surface.js';
import { ConfirmFlagGate } from '../../src/safety/confirm-gate.js';
import { createServer } from '../../src/server.js';
import { generatedTool } from '../../src/tools/served-tool.js';
import type { AuditRecord, ScmAnswer, ScmTransport } from '../../src/tools/types.js';
import { resultData } from '../integration/result-data.js';

export type Sent = Parameters<ScmTransport['request']>[0];
type J = Record<string, any>;

/** An SCM double: lists of `listSize` items (honouring limit and offset), everything else echoed with an id. */
export function fakeScm(listSize = 3, item: (i: number) => J = (i) => ({ id: `id-${i}`, name: `obj-${i}` })) {
  const sent: Sent[] = [];
  const transport: ScmTransport = {
    async request(req): Promise<ScmAnswer> {
      sent.push(req);
      if (req.method === 'GET' && !req.pathParams.id) {
        const limit = Math.min(Number(req.query.limit ?? 200), 5000);
        const offset = Number(req.query.offset ?? 0);
        const data = [];
        for (let i = offset; i < Math.min(listSize, offset + limit); i++) data.push(item(i));
        return { status: 200, headers: {}, body: { data, total: listSize, limit, offset } };
      }
      return { status: req.method === 'POST' ? 201 : 200, headers: {}, body: { id: 'new-id', ...req.body } };
    },
  };
  return { sent, transport };
}

export interface Served {
  client: Client;
  surface: Surface;
  sent: Sent[];
  audit: AuditRecord[];
  call(name: string, args?: J): Promise<{ res: CallToolResult; data: J }>;
  close(): Promise<void>;
}

/**
 * Every generated tool through the one pipeline (confirm-flag gate, an audit list, an SCM double), the surface
 * chosen by `flags`, served by createServer to the SDK client over an in-memory pair.
 */
export async function serve(
  flags: SelectionFlags,
  scm = fakeScm(),
  opts: { resultBudgetTokens?: number } = {},
): Promise<Served> {
  const audit: AuditRecord[] = [];
  const deps = {
    transport: scm.transport,
    environment: 'sandbox' as const,
    gate: new ConfirmFlagGate(),
    audit: { write: (r: AuditRecord) => void audit.push(r) },
  };
  const catalog = loadCatalog();
  const ops = new Map(catalog.operations.map((op) => [op.tool, op]));
  const generated = catalog.tools.map((def) => generatedTool(def, ops.get(def.name)!, deps));
  const surface = buildSurface(generated, { ...flags, environment: 'sandbox' });
  const server = createServer({
    version: 'test',
    instructions: surface.instructions,
    tools: surface.tools,
    ...(opts.resultBudgetTokens ? { resultBudgetTokens: opts.resultBudgetTokens } : {}),
  });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'discovery-test', version: '1.0.0' });
  await client.connect(clientSide);
  return {
    client,
    surface,
    sent: scm.sent,
    audit,
    async call(name, args = {}) {
      const res = (await client.callTool({ name, arguments: args })) as CallToolResult;
      return { res, data: resultData(res) as J };
    },
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}
