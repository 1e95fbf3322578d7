import type { Logger } from '../log.js';
import { safeText } from '../safety/safe-text.js';
import type { ApprovalRecord } from './types.js';

/** The notice for a pending approval: generic fields, plus `text` that Slack and Teams webhooks show. */
export function webhookPayload(r: ApprovalRecord, url: string): Record<string, unknown> {
  const tenant = r.environment === 'sandbox' ? `sandbox (TSG ${r.tsgId})` : `TSG ${r.tsgId}`;
  const who = r.clientName ? safeText(r.clientName, 60) : 'an MCP client';
  return {
    event: 'approval_pending',
    id: r.id,
    tool: r.tool,
    tenant: { environment: r.environment, tsg: r.tsgId },
    client: r.clientName ?? null,
    action: safeText(r.action, 300),
    url,
    expires_at: new Date(r.expiresAt).toISOString(),
    text: `Approval needed: ${who} asks to run ${r.tool} on ${tenant}: ${safeText(r.action, 300)} Decide at ${url}`,
  };
}

/** POSTs each new pending approval to the webhook; a failure is logged (without the URL's secret path). */
export function webhookNotifier(webhook: string, log: Pick<Logger, 'warn'>) {
  const host = new URL(webhook).host;
  return async (record: ApprovalRecord, url: string): Promise<void> => {
    try {
      const res = await fetch(webhook, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(webhookPayload(record, url)),
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) log.warn(`approval webhook at ${host} answered ${res.status} for ${record.id}`);
      await res.body?.cancel();
    } catch (err) {
      log.warn(
        `approval webhook at ${host} failed for ${record.id}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  };
}
