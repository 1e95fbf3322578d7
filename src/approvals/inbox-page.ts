import { createHash } from 'node:crypto';
import type { ApprovalRecord } from './types.js';

/** HTML-escapes text for element content and quoted attributes. */
export const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 1.5rem;color:#1b1f24}
h1{font-size:1.3rem}h2{font-size:1.05rem;margin:0 0 .4rem}header{display:flex;justify-content:space-between;align-items:center}
.req{border:1px solid #c9d1d9;border-radius:8px;padding:1rem;margin:1rem 0}.pending{border-color:#bf8700;background:#fffbea}
dl{display:grid;grid-template-columns:9rem 1fr;gap:.2rem .8rem;margin:.4rem 0}dt{color:#57606a}dd{margin:0;word-break:break-all}
pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.6rem;white-space:pre-wrap;word-break:break-word;font-size:13px}
button{font:inherit;padding:.35rem 1rem;border-radius:6px;border:1px solid #8c959f;cursor:pointer;margin-right:.5rem}
.approve{background:#1f883d;color:#fff;border-color:#1a7f37}.decline{background:#cf222e;color:#fff;border-color:#a40e26}
.msg{padding:.6rem;border-radius:6px;background:#ddf4ff}.err{background:#ffebe9}.state{font-weight:600;text-transform:uppercase}
form.inline{display:inline}input{font:inherit;padding:.3rem;width:22rem;max-width:100%}`;

/** The one inline style, allowed by hash so the page needs no 'unsafe-inline'. */
export const CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

function layout(title: string, body: string, refreshSeconds?: number): string {
  // The list reloads itself (no script needed) so new requests show up while the approver watches.
  const refresh = refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">${refresh}<title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export function signInPage(
  base: string,
  csrf: string,
  opts: { failed?: boolean; oidcIssuer?: string } = {},
): string {
  const oidc = opts.oidcIssuer
    ? `<form method="post" action="${esc(base)}/oidc/login"><input type="hidden" name="csrf" value="${esc(csrf)}"><button type="submit">Sign in with ${esc(opts.oidcIssuer)}</button></form>`
    : '';
  return layout(
    'Sign in: approval inbox',
    `<h1>Prisma Access MCP: approval inbox</h1>
${opts.failed ? '<p class="msg err" role="alert">Sign-in failed: that approver token is not known.</p>' : ''}
<p>Sign in with your approver token to see and decide pending requests.</p>
<form method="post" action="${esc(base)}/login"><input type="hidden" name="csrf" value="${esc(csrf)}">
<label>Approver token <input type="password" name="token" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>${oidc}`,
  );
}

/** After OIDC sign-in: a page of our own moves on, so the browser sends the SameSite=Strict cookie. */
export function signedInPage(base: string): string {
  return layout(
    'Signed in: approval inbox',
    `<h1>Signed in</h1><p><a href="${esc(base)}/">Open the approval inbox</a></p>`,
  ).replace(
    '<meta charset="utf-8">',
    `<meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${esc(base)}/">`,
  );
}

const when = (ms: number | undefined) =>
  ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '';

function requestHtml(r: ApprovalRecord, base: string, csrf: string): string {
  const tenant =
    r.environment === 'sandbox' ? `SANDBOX (simulated), TSG ${r.tsgId}` : `Prisma Access TSG ${r.tsgId}`;
  const decided =
    r.state === 'pending'
      ? `<form class="inline" method="post" action="${esc(base)}/decide"><input type="hidden" name="csrf" value="${esc(csrf)}"><input type="hidden" name="id" value="${esc(r.id)}"><button class="approve" name="decision" value="approve">Approve</button><button class="decline" name="decision" value="decline">Decline</button></form>`
      : `<p>${r.decidedBy ? `Decided by <b>${esc(r.decidedBy)}</b> at ${when(r.decidedAt)}.` : ''}${r.note ? ` ${esc(r.note)}` : ''}</p>`;
  return `<section class="req ${r.state === 'pending' ? 'pending' : ''}" id="${esc(r.id)}">
<h2><span class="state">${esc(r.state)}</span> ${esc(r.tool)}</h2>
<dl><dt>Request</dt><dd>${esc(r.id)}</dd><dt>Asked by</dt><dd>${esc(r.clientName ?? '(client gave no name)')}</dd>
<dt>Tenant</dt><dd>${esc(tenant)}</dd><dt>Tool</dt><dd>${esc(r.tool)}</dd><dt>Asked at</dt><dd>${when(r.createdAt)}</dd>
<dt>Expires</dt><dd>${when(r.expiresAt)}</dd></dl>
<pre>${esc(r.message)}</pre>
<details><summary>Preview the assistant was given (JSON)</summary><pre>${esc(JSON.stringify(r.preview, null, 2))}</pre></details>
${decided}</section>`;
}

export function inboxPage(
  base: string,
  approver: string,
  csrf: string,
  records: ApprovalRecord[],
  opts: { notice?: string; error?: string; only?: string } = {},
): string {
  const pending = records.filter((r) => r.state === 'pending');
  const rest = records.filter((r) => r.state !== 'pending').slice(0, 20);
  const list = (rs: ApprovalRecord[]) => rs.map((r) => requestHtml(r, base, csrf)).join('\n');
  return layout(
    `${pending.length ? `(${pending.length}) ` : ''}Approval inbox`,
    `<header><h1>Approval inbox</h1><form method="post" action="${esc(base)}/logout"><input type="hidden" name="csrf" value="${esc(csrf)}">Signed in as <b>${esc(approver)}</b> <button>Sign out</button></form></header>
${opts.notice ? `<p class="msg" role="status">${esc(opts.notice)}</p>` : ''}${opts.error ? `<p class="msg err" role="alert">${esc(opts.error)}</p>` : ''}
${opts.only ? `<p><a href="${esc(base)}/">All requests</a></p>` : ''}
<h2>Pending (${pending.length})</h2>${pending.length ? list(pending) : '<p>Nothing waiting for a decision.</p>'}
${rest.length ? `<h2>Recent</h2>${list(rest)}` : ''}`,
    opts.error ? undefined : 30,
  );
}

export function plainPage(title: string, text: string): string {
  return layout(title, `<h1>${esc(title)}</h1><p>${esc(text)}</p>`);
}
