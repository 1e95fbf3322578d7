import type { ScmClient } from '../scm/http-client.js';
import { type Explained, explain } from './explain.js';

export interface StepResult {
  step: 'token' | 'folders' | 'addresses';
  ok: boolean;
  ms: number;
  detail?: string;
  error?: Explained;
}

export interface TenantCheck {
  tsg_id: string;
  alias?: string;
  ok: boolean;
  steps: StepResult[];
  /** Local clock minus the server's Date header, in seconds (tokens are refused past a few minutes). */
  clock_skew_s?: number;
  warnings: string[];
}

const SKEW_WARN_S = 60;

type Client = Pick<ScmClient, 'request'> & { tokens: Pick<ScmClient['tokens'], 'getToken'> };

/** The connection check for one TSG: token fetch (timed), a Setup API folder read, an address list in Shared. */
export async function checkTenant(
  client: Client,
  tsgId: string,
  opts: { alias?: string; now?: () => number } = {},
): Promise<TenantCheck> {
  const now = opts.now ?? Date.now;
  const steps: StepResult[] = [];
  const warnings: string[] = [];
  let skew: number | undefined;
  const step = async (name: StepResult['step'], fn: () => Promise<string | undefined>) => {
    const started = now();
    try {
      const detail = await fn();
      steps.push({ step: name, ok: true, ms: now() - started, ...(detail ? { detail } : {}) });
      return true;
    } catch (err) {
      steps.push({ step: name, ok: false, ms: now() - started, error: explain(err, tsgId) });
      return false;
    }
  };
  const dateSkew = (headers: Record<string, string>) => {
    const date = Date.parse(headers.date ?? '');
    if (!Number.isNaN(date)) skew = Math.round((now() - date) / 1000);
  };
  const ok =
    (await step('token', async () => {
      await client.tokens.getToken(tsgId);
      return undefined;
    })) &&
    (await step('folders', async () => {
      const res = await client.request({
        method: 'GET',
        base: 'setup',
        path: '/config/setup/v1/folders',
        query: { limit: 200 },
        operation: 'doctor.folders',
        tsgId,
      });
      dateSkew(res.headers);
      const data = (res.body as { data?: unknown[] } | undefined)?.data;
      return `${Array.isArray(data) ? data.length : 0} folders`;
    })) &&
    (await step('addresses', async () => {
      const res = await client.request({
        method: 'GET',
        path: '/sse/config/v1/addresses',
        query: { folder: 'Shared', limit: 1 },
        operation: 'doctor.addresses',
        tsgId,
      });
      const total = (res.body as { total?: unknown } | undefined)?.total;
      return `${typeof total === 'number' ? total : '?'} addresses in Shared`;
    }));
  if (skew !== undefined && Math.abs(skew) > SKEW_WARN_S)
    warnings.push(
      `clock skew: this machine is ${skew} s ${skew > 0 ? 'ahead of' : 'behind'} SCM; tokens may be refused as not yet valid or expired. Fix: enable NTP (timedatectl set-ntp true).`,
    );
  return {
    tsg_id: tsgId,
    ...(opts.alias ? { alias: opts.alias } : {}),
    ok,
    steps,
    ...(skew !== undefined ? { clock_skew_s: skew } : {}),
    warnings,
  };
}

/** Human-readable lines for one tenant's check. */
export function formatCheck(c: TenantCheck): string {
  const head = `TSG ${c.tsg_id}${c.alias ? ` (${c.alias})` : ''}: ${c.ok ? 'OK' : 'FAILED'}`;
  const lines = c.steps.map((s) =>
    s.ok
      ? `  ok   ${s.step} (${s.ms} ms)${s.detail ? `: ${s.detail}` : ''}`
      : `  FAIL ${s.step} (${s.ms} ms): ${s.error!.message}\n       cause: ${s.error!.cause}\n       fix:   ${s.error!.fix}`,
  );
  return [head, ...lines, ...c.warnings.map((w) => `  warn ${w}`)].join('\n');
}
